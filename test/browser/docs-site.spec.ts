/**
 * The sample docs site (examples/docs-site/) published as a site owner
 * would: podplay's dist/ copied under podplay/, podplay-sw.js at the root,
 * served by `python3 -m http.server`, which sends no isolation headers.
 */
import { expect, test, type Page } from '@playwright/test';
import { assembleSite, servePlain, type Served, type Site } from '../helpers/static-site.ts';
import { exec, getObject, noticesOf, ready, save, screenOf, statusOf } from './element-helpers.ts';

let site: Site;
let server: Served;

test.beforeEach(async () => {
  site = assembleSite();
  server = await servePlain(site.dir);
});

test.afterEach(async () => {
  await server.stop();
  site.remove();
});

const open = async (page: Page, path: string, id: string) => {
  await page.goto(server.url + path);
  await ready(page, id);
};

test('on a plain static host, podplay-sw.js isolates the page with one reload; the lesson types its run line, exec and the lesson check work', async ({ page }) => {
  // Counted as committed navigations of the page: the reload may come before the first load event fires.
  let loads = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) loads++;
  });
  await open(page, 'index.html', 'lesson');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(loads).toBe(2); // the page, then the one reload under the service worker
  const coep = await page.evaluate(() => fetch(location.href).then((r) => r.headers.get('cross-origin-embedder-policy')));
  expect(coep).toBe('credentialless');
  await expect.poll(() => screenOf(page, 'lesson')).toMatch(/\$ kubectl get nodes\nNAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nnode-1\s+Ready[^]*node-3\s+Ready/);
  expect(await exec(page, 'lesson', 'cat web.yaml | grep replicas')).toEqual({ stdout: '  replicas: 3\n', stderr: '', exitCode: 0 });
  expect(await exec(page, 'lesson', 'kubectl apply -f web.yaml')).toEqual({ stdout: 'deployment.apps/web created\n', stderr: '', exitCode: 0 });
  await page.click('#check');
  await expect(page.locator('#result')).toHaveText(/^(Almost|Well done)/);
  expect((await exec(page, 'lesson', 'kubectl rollout status deployment/web --timeout=60s')).exitCode).toBe(0);
  await page.click('#check');
  await expect(page.locator('#result')).toHaveText('Well done: web has 3 ready pods.');
});

test('two sandboxes on one page are independent: their own nodes, objects and terminals', async ({ page }) => {
  await open(page, 'reference.html', 'get-example');
  await ready(page, 'describe-example');
  const nodes = async (id: string) => (await getObject<unknown[]>(page, id, 'nodes'))!.length;
  expect(await nodes('get-example')).toBe(1);
  expect(await nodes('describe-example')).toBe(2);
  // The describe example applied its manifest and typed its line: the scheduler's reason is on the screen.
  await expect.poll(() => screenOf(page, 'describe-example'), { timeout: 30_000 }).toMatch(/Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/2 nodes are available/);
  expect((await exec(page, 'describe-example', 'kubectl describe pod big')).stdout).toContain('0/2 nodes are available: 2 Insufficient cpu.');
  expect(await getObject(page, 'get-example', 'pods', 'big')).toBeUndefined();
  await exec(page, 'get-example', 'kubectl create deployment only-here --image=podplay/hello');
  expect(await getObject(page, 'get-example', 'deployments', 'only-here')).toBeDefined();
  expect(await getObject(page, 'describe-example', 'deployments', 'only-here')).toBeUndefined();
  // A read-only terminal takes no keys; a live one does.
  await page.locator('#describe-example [data-testid=terminal]').click();
  await page.keyboard.type('kubectl get nodes');
  await page.keyboard.press('Enter');
  await page.locator('#get-example [data-testid=terminal]').click();
  await page.keyboard.type('kubectl get deployments');
  await page.keyboard.press('Enter');
  await expect.poll(() => screenOf(page, 'get-example')).toMatch(/only-here\s+1\/1|only-here\s+0\/1/);
  expect(await screenOf(page, 'describe-example')).not.toContain('$ kubectl get nodes');
});

test('persist: the cluster, the files and the history survive a reload, the pods start again; Reset starts clean', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page, 'index.html', 'lesson');
  await exec(page, 'lesson', 'kubectl apply -f web.yaml');
  expect(await exec(page, 'lesson', 'kubectl rollout status deployment/web --timeout=60s')).toMatchObject({ exitCode: 0 });
  await exec(page, 'lesson', 'kubectl get deployments > saved.txt');
  await page.locator('#lesson [data-testid=terminal]').click();
  await page.keyboard.type('kubectl get pods -l app=web');
  await page.keyboard.press('Enter');
  await expect.poll(() => screenOf(page, 'lesson')).toMatch(/\$ kubectl get pods -l app=web\nNAME/);
  const before = await getObject<{ metadata: { uid: string } }>(page, 'lesson', 'deployments', 'web');
  await save(page, 'lesson');

  await page.reload();
  await ready(page, 'lesson');
  const after = await getObject<{ metadata: { uid: string } }>(page, 'lesson', 'deployments', 'web');
  expect(after?.metadata.uid).toBe(before!.metadata.uid);
  await expect.poll(() => screenOf(page, 'lesson')).toMatch(/Restored this sandbox as it was saved/);
  expect((await exec(page, 'lesson', 'cat saved.txt')).stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+3\/3/);
  // The restored pods' containers start again, as after a node reboot.
  expect((await exec(page, 'lesson', 'kubectl rollout status deployment/web --timeout=60s')).stdout).toContain('successfully rolled out');
  // The history came back: Up brings the last typed line.
  await page.locator('#lesson [data-testid=terminal]').click();
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => screenOf(page, 'lesson')).toMatch(/\$ kubectl get pods -l app=web\s*$/);
  await page.keyboard.press('Control+U');

  await page.locator('#lesson').getByTestId('reset').click();
  await expect(statusOf(page, 'lesson')).toHaveText(/Cluster ready/);
  await expect.poll(() => getObject(page, 'lesson', 'deployments', 'web')).toBeUndefined();
  expect((await exec(page, 'lesson', 'ls')).stdout.split('\n')).toContain('web.yaml');
  expect((await exec(page, 'lesson', 'cat saved.txt')).exitCode).not.toBe(0);
  await page.reload();
  await ready(page, 'lesson');
  expect(await getObject(page, 'lesson', 'deployments', 'web')).toBeUndefined();
});

test('offline: after one visit, a reload with the server gone boots the sandbox and runs containers from the service worker cache', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page, 'index.html', 'lesson');
  await expect(page.locator('#lesson').getByTestId('offline')).toBeVisible({ timeout: 60_000 });
  await server.stop();
  await page.reload();
  await ready(page, 'lesson');
  // podplay/crash was never pulled: its blobs come from the cached image layout.
  const crash = await exec(page, 'lesson', 'docker run --rm podplay/crash 3');
  expect(crash.exitCode).toBe(3);
  expect(crash.stdout + crash.stderr).toContain('crash: exiting with code 3');
  await exec(page, 'lesson', 'kubectl run tick --image=podplay/ticker --restart=Never -- -count=2 -interval=10ms');
  expect((await exec(page, 'lesson', "kubectl wait --for=jsonpath='{.status.phase}'=Succeeded pod/tick --timeout=60s")).exitCode).toBe(0);
  expect((await exec(page, 'lesson', 'kubectl logs tick')).stdout).toMatch(/^tick 1\ntick 2\n$/);
});

test('a new build is noticed: the page says an update is ready, Reload switches to it, and the build before stays for tabs still running it', async ({ page }) => {
  test.setTimeout(180_000);
  await open(page, 'index.html', 'lesson');
  await expect(page.locator('#lesson').getByTestId('offline')).toBeVisible({ timeout: 60_000 });
  const served = () => page.evaluate(() => fetch('podplay/podplay.js').then((r) => r.text()));
  const before = await served();
  // A new build is published: podplay.js changed, and the file list names a new version.
  const listPath = 'podplay/podplay-files.json';
  const list = JSON.parse(await (await fetch(server.url + listPath)).text()) as { version: string; files: string[] };
  site.write('podplay/podplay.js', `${before}\n// the next build\n`);
  site.write(listPath, JSON.stringify({ ...list, version: `${list.version}-next` }));
  await page.reload();
  await ready(page, 'lesson');
  const update = page.locator('#lesson').getByTestId('update');
  await expect(update).toBeVisible({ timeout: 60_000 });
  await expect(update).toContainText('A new version of podplay is ready');
  // Until the reader asks, the page runs the build it has, whole.
  expect(await served()).toBe(before);
  const reloaded = page.waitForEvent('load');
  await update.getByRole('button', { name: 'Reload to update' }).click();
  await reloaded;
  await ready(page, 'lesson');
  expect(await served()).toContain('// the next build');
  const cachesAfter = await page.evaluate(() => caches.keys());
  expect(cachesAfter.some((c) => c.endsWith(`:${list.version}-next`))).toBe(true);
  expect(cachesAfter.some((c) => c.endsWith(`:${list.version}`))).toBe(true);
  await expect(page.locator('#lesson').getByTestId('update')).toBeHidden();
});

test('keyboard: Tab completes in the terminal, Esc then Tab leaves it, Shift+Tab comes back; focus is visible', async ({ page }) => {
  await open(page, 'index.html', 'lesson');
  // The run line (kubectl get nodes) has been typed and has run.
  await expect.poll(() => screenOf(page, 'lesson')).toMatch(/node-3\s+Ready[^\n]*\n\$\s*$/);
  const inTerminal = () => page.evaluate(() => document.getElementById('lesson')!.shadowRoot!.activeElement?.classList.contains('xterm-helper-textarea') ?? false);
  await page.locator('#lesson [data-testid=terminal]').click();
  expect(await inTerminal()).toBe(true);
  await page.keyboard.type('kubectl api-res');
  await page.keyboard.press('Tab');
  await expect.poll(() => screenOf(page, 'lesson')).toMatch(/\$ kubectl api-resources\s*$/);
  expect(await inTerminal()).toBe(true);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  expect(await inTerminal()).toBe(false);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('check');
  // The line typed so far is still there, and no Escape reached the shell.
  await page.keyboard.press('Shift+Tab');
  expect(await inTerminal()).toBe(true);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Tab');
  const focused = await page.evaluate(() => {
    const el = document.getElementById('lesson')!.shadowRoot!.activeElement as HTMLElement | null;
    return el && { id: el.id, outline: getComputedStyle(el).outlineStyle, width: parseFloat(getComputedStyle(el).outlineWidth) };
  });
  expect(focused?.id).toBe('reset');
  expect(focused?.outline).not.toBe('none');
  expect(focused?.width).toBeGreaterThanOrEqual(2);
});

test('at 390 px wide the lesson page and the playground do not scroll sideways; the terminal keeps 80 columns and scrolls inside its box', async ({ page }, info) => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [path, id] of [['index.html', 'lesson'], ['podplay/index.html', 'playground']] as const) {
    await open(page, path, id);
    await expect(statusOf(page, id)).toHaveText(/Cluster ready/);
    await page.screenshot({ path: info.outputPath(`${id}-390.png`), fullPage: true });
    const widths = await page.evaluate((i) => {
      const root = document.getElementById(i)!.shadowRoot!;
      const term = root.getElementById('terminal')!;
      return { page: document.documentElement.scrollWidth, viewport: innerWidth, termScroll: term.scrollWidth, termBox: term.clientWidth };
    }, id);
    expect(widths.page, `${path} scrolls sideways`).toBeLessThanOrEqual(widths.viewport);
    expect(widths.termScroll).toBeGreaterThan(widths.termBox);
    const r = await exec(page, id, 'kubectl get nodes -o wide');
    expect(r.exitCode).toBe(0);
  }
});
