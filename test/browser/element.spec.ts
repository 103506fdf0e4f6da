/**
 * `<podplay-sandbox>` through what lesson pages and graders use: its JS API
 * and events, its attributes (bad values and failing URLs included), its
 * saved state when that state is damaged, and a tab killed while saving.
 * Sandboxes are added to the test page as a docs page would have them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import { chromiumArgs } from '../../playwright.config.ts';
import { exec, getObject, noticesOf, ready, readyError, save, screenOf, statusOf } from './element-helpers.ts';
import { TEST_PAGE } from './helpers.ts';

/** Adds a sandbox to the (already open) test page and waits until it is ready. */
async function addSandbox(page: Page, html: string, id: string): Promise<void> {
  await page.evaluate((h) => document.body.insertAdjacentHTML('beforeend', h), html);
  await ready(page, id);
}

/** Opens the test page with only its own sandbox running (its panels are not what these tests look at). */
async function openTestPage(page: Page): Promise<void> {
  await page.goto(TEST_PAGE);
  await ready(page, 'test');
}

const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  colour: blue
`;
const dataUrl = (text: string) => `data:text/yaml,${encodeURIComponent(text)}`;

test('the API: exec runs a line unseen, type types it on the screen; podplay-command and podplay-change report; get and apply', async ({ page }) => {
  await openTestPage(page);
  await addSandbox(page, '<podplay-sandbox id="api" nodes="2"></podplay-sandbox>', 'api');
  await page.evaluate(() => {
    const el = document.getElementById('api')!;
    const w = window as unknown as { commands: unknown[]; changes: string[] };
    w.commands = [];
    w.changes = [];
    el.addEventListener('podplay-command', (e) => w.commands.push((e as CustomEvent).detail));
    // Events bubble out of the element (composed), so a page can listen on document.
    document.addEventListener('podplay-change', (e) => {
      const d = (e as CustomEvent<{ type: string; kind: string; object: { metadata: { name: string } } }>).detail;
      if ((e.target as HTMLElement).id === 'api') w.changes.push(`${d.type} ${d.kind} ${d.object.metadata.name}`);
    });
  });
  expect(await exec(page, 'api', 'kubectl get nodes -o name')).toEqual({ stdout: 'node/node-1\nnode/node-2\n', stderr: '', exitCode: 0 });
  expect(await screenOf(page, 'api')).not.toContain('kubectl get nodes -o name');
  expect(await exec(page, 'api', 'kubectl get pods nope')).toEqual({ stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });

  const code = await page.evaluate(() => (document.getElementById('api') as unknown as { type(l: string): Promise<number> }).type('kubectl create configmap typed --from-literal=a=b'));
  expect(code).toBe(0);
  await expect.poll(() => screenOf(page, 'api')).toMatch(/\$ kubectl create configmap typed --from-literal=a=b\nconfigmap\/typed created\n\$\s*$/);

  const applied = await page.evaluate((m) => (document.getElementById('api') as unknown as { apply(y: string): Promise<unknown> }).apply(m), MANIFEST);
  expect(applied).toEqual({ lines: ['configmap/settings created'], errors: [] });
  expect((await getObject<{ data: Record<string, string> }>(page, 'api', 'configmaps', 'settings'))?.data).toEqual({ colour: 'blue' });
  expect(await getObject(page, 'api', 'cm', 'nope')).toBeUndefined();
  const all = await getObject<Array<{ metadata: { name: string } }>>(page, 'api', 'configmap');
  expect(all!.map((c) => c.metadata.name)).toEqual(expect.arrayContaining(['settings', 'typed']));

  await expect.poll(() => page.evaluate(() => (window as unknown as { changes: string[] }).changes)).toEqual(expect.arrayContaining(['ADDED ConfigMap typed', 'ADDED ConfigMap settings']));
  const commands = await page.evaluate(() => (window as unknown as { commands: Array<{ startedAt: number }> }).commands);
  const started = expect.any(Number);
  expect(commands).toEqual([
    { line: 'kubectl get nodes -o name', exitCode: 0, source: 'exec', startedAt: started },
    { line: 'kubectl get pods nope', exitCode: 1, source: 'exec', startedAt: started },
    { line: 'kubectl create configmap typed --from-literal=a=b', exitCode: 0, source: 'terminal', startedAt: started },
  ]);
  // startedAt: when each began (epoch ms), in the order they ran.
  expect(commands.map((c) => c.startedAt)).toEqual([...commands.map((c) => c.startedAt)].sort((a, b) => a - b));
});

test('the library in a page: createSandbox() from podplay.js runs the same sandbox without an element, and persist restores it', async ({ page }) => {
  await openTestPage(page);
  const run = () =>
    page.evaluate(async () => {
      const podplay = (await import(/* @vite-ignore */ new URL('/podplay.js', location.href).href)) as {
        createSandbox(o: object): Promise<{ exec(l: string): Promise<{ stdout: string; exitCode: number }>; get(k: string, n?: string): unknown; dispose(): Promise<void> }>;
      };
      const sandbox = await podplay.createSandbox({ nodes: 1, persist: 'library-test' });
      const had = !!sandbox.get('configmaps', 'from-the-library');
      const r = await sandbox.exec('kubectl create configmap from-the-library');
      const nodes = await sandbox.exec('kubectl get nodes -o name');
      await sandbox.dispose();
      return { had, created: r.exitCode, nodes: nodes.stdout };
    });
  expect(await run()).toEqual({ had: false, created: 0, nodes: 'node/node-1\n' });
  // A second sandbox under the same key starts where the first stopped (dispose saved it).
  const again = await run();
  expect(again.had).toBe(true);
});

test('reset starts clean: objects gone, the start files back, no history; stored images stay', async ({ page }) => {
  await openTestPage(page);
  await addSandbox(page, `<podplay-sandbox id="r" nodes="1" manifests="${dataUrl(MANIFEST)}"></podplay-sandbox>`, 'r');
  expect(await getObject(page, 'r', 'configmaps', 'settings')).toBeDefined();
  await exec(page, 'r', 'kubectl create deployment gone --image=podplay/hello');
  await exec(page, 'r', 'echo scratch > notes.txt');
  await page.evaluate(() => (document.getElementById('r') as unknown as { type(l: string): Promise<number> }).type('kubectl get deployments'));
  const imagesBefore = (await exec(page, 'r', 'docker images --format "{{.Repository}}"')).stdout;
  await page.evaluate(() => (document.getElementById('r') as unknown as { reset(): Promise<void> }).reset());
  expect(await getObject(page, 'r', 'deployments', 'gone')).toBeUndefined();
  // The start's manifests are applied again, the start's files are back, and nothing else.
  expect(await getObject(page, 'r', 'configmaps', 'settings')).toBeDefined();
  expect((await exec(page, 'r', 'cat notes.txt')).exitCode).not.toBe(0);
  expect((await exec(page, 'r', 'ls')).stdout).toBe('crash.yaml\njob.yaml\nticker.yaml\nweb-app\nweb.yaml\n');
  expect((await exec(page, 'r', 'history')).stdout).toBe('');
  expect(await screenOf(page, 'r')).not.toContain('kubectl get deployments');
  expect((await exec(page, 'r', 'docker images --format "{{.Repository}}"')).stdout).toBe(imagesBefore);
});

test('theme and screen reader: dark and light follow the attribute, and the toggle and attribute turn on the terminal\'s screen reader mode', async ({ page }) => {
  await openTestPage(page);
  await addSandbox(page, '<podplay-sandbox id="t" theme="dark" screen-reader></podplay-sandbox>', 't');
  const look = () =>
    page.evaluate(() => {
      const root = document.getElementById('t')!.shadowRoot!;
      return {
        dark: root.querySelector('.pp')!.classList.contains('dark'),
        background: getComputedStyle(root.querySelector('.pp')!).backgroundColor,
        reader: !!root.querySelector('.xterm-accessibility'),
        toggle: (root.getElementById('screen-reader') as HTMLInputElement).checked,
      };
    });
  expect(await look()).toEqual({ dark: true, background: 'rgb(27, 29, 33)', reader: true, toggle: true });
  await page.evaluate(() => {
    const el = document.getElementById('t')!;
    el.setAttribute('theme', 'light');
    el.removeAttribute('screen-reader');
  });
  expect(await look()).toEqual({ dark: false, background: 'rgb(255, 255, 255)', reader: false, toggle: false });
  await page.locator('#t #screen-reader').check();
  await expect.poll(async () => (await look()).reader).toBe(true);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => document.getElementById('t')!.setAttribute('theme', 'auto'));
  await expect.poll(async () => (await look()).dark).toBe(true);
});

test('bad attribute values and failing URLs are reported on the element and in the console; the sandbox starts with the defaults and what did load', async ({ page }) => {
  await openTestPage(page);
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  const manifests = [dataUrl(MANIFEST), 'missing.yaml', dataUrl('kind: [unclosed'), dataUrl('apiVersion: v1\nkind: Nonsense\nmetadata:\n  name: x\n')].join(' ');
  await addSandbox(page, `<podplay-sandbox id="bad" nodes="abc" speed="-1" theme="pink" height="tall" manifests="${manifests}" files="nope.txt" images="no-such-layout/"></podplay-sandbox>`, 'bad');
  const notices = noticesOf(page, 'bad');
  await expect(notices).toContainText('nodes="abc" is not allowed: nodes takes a whole number of nodes from 1 to 10. Using the default, 3.');
  await expect(notices).toContainText('speed="-1" is not allowed: speed takes a number above 0 and at most 1000');
  await expect(notices).toContainText('theme="pink" is not allowed: theme takes light, dark or auto');
  await expect(notices).toContainText('height="tall" is not allowed');
  await expect(notices).toContainText(/manifests: http:\/\/127\.0\.0\.1:\d+\/test\/pages\/missing\.yaml answered HTTP 404/);
  await expect(notices).toContainText(/manifests: data:text\/yaml,kind%3A%20%5Bunclosed: error: /);
  await expect(notices).toContainText(/manifests: data:text\/yaml,apiVersion.*: error: resource mapping not found for name: "x" .* no matches for kind "Nonsense" in version "v1"/);
  await expect(notices).toContainText(/files: http:\/\/127\.0\.0\.1:\d+\/test\/pages\/nope\.txt answered HTTP 404/);
  await expect(notices).toContainText(/images: http:\/\/127\.0\.0\.1:\d+\/test\/pages\/no-such-layout\/: the OCI image layout at .* is missing oci-layout/);
  for (const attr of ['nodes="abc"', 'speed="-1"', 'theme="pink"', 'height="tall"']) expect(warnings.some((w) => w.includes(attr)), attr).toBe(true);
  // It started anyway: three nodes (the default), the good manifest applied.
  expect((await getObject<unknown[]>(page, 'bad', 'nodes'))!.length).toBe(3);
  expect(await getObject(page, 'bad', 'configmaps', 'settings')).toBeDefined();
  await expect(statusOf(page, 'bad')).toHaveText(/Cluster ready/);
});

/** Writes raw bytes under a sandbox's key in the saved-state database, as a damaged or foreign value would be. */
function writeSavedState(page: Page, key: string, text: string): Promise<void> {
  return page.evaluate(
    ([k, t]) =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('podplay-state');
        req.onupgradeneeded = () => req.result.createObjectStore('kv');
        req.onsuccess = () => {
          const tx = req.result.transaction('kv', 'readwrite');
          tx.objectStore('kv').put(new TextEncoder().encode(t!), k!);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
        req.onerror = () => reject(req.error);
      }),
    [key, text] as const,
  );
}

function savedKeys(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const req = indexedDB.open('podplay-state');
        req.onsuccess = () => {
          const r = req.result.transaction('kv').objectStore('kv').getAllKeys();
          r.onsuccess = () => resolve((r.result as string[]).sort());
        };
        req.onerror = () => reject(req.error);
      }),
  );
}

for (const [what, value, reason] of [
  ['not JSON', '{"objects": [', /it is not JSON/],
  ['saved by a newer podplay', JSON.stringify({ format: 'podplay.dev/sandbox-state', version: 99, savedAt: '', sha256: '', body: '{}' }), /it is format version 99, saved by a newer podplay; this one reads version 1/],
  ['damaged', JSON.stringify({ format: 'podplay.dev/sandbox-state', version: 1, savedAt: '', checksum: 'crc32:00000000', body: '{"objects":[]}' }), /its checksum does not match/],
] as const) {
  test(`a saved state that cannot be restored (${what}) is set aside with a message and a download, and a clean cluster starts`, async ({ page }) => {
    await openTestPage(page);
    const key = `${new URL(TEST_PAGE, 'http://x').pathname}#kept`;
    await writeSavedState(page, key, value);
    await addSandbox(page, '<podplay-sandbox id="kept" persist nodes="1"></podplay-sandbox>', 'kept');
    const notices = noticesOf(page, 'kept');
    await expect(notices).toContainText('The saved state of this sandbox could not be restored:');
    await expect(notices).toContainText(reason);
    await expect(notices).toContainText(`It was set aside (IndexedDB "podplay-state", key "${key}.set-aside-`);
    const link = notices.getByRole('link', { name: 'Download it' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const saved = await download.createReadStream().then(async (s) => {
      let text = '';
      for await (const chunk of s) text += chunk;
      return text;
    });
    expect(saved).toBe(value);
    expect((await savedKeys(page)).filter((k) => k.startsWith(`${key}.set-aside-`))).toHaveLength(1);
    expect(await getObject(page, 'kept', 'deployments')).toEqual([]);
    await expect(statusOf(page, 'kept')).toHaveText(/Cluster ready/);
  });
}

test('a change made just before a reload is kept: the page saves as it goes', async ({ page }) => {
  const html = '<podplay-sandbox id="quick" persist nodes="1"></podplay-sandbox>';
  await openTestPage(page);
  await addSandbox(page, html, 'quick');
  for (let i = 0; i < 3; i++) {
    // No save asked for, no wait: the reload follows the command at once.
    await exec(page, 'quick', `kubectl create configmap right-before-${i}`);
    await page.reload();
    await openTestPage(page);
    await addSandbox(page, html, 'quick');
    for (let j = 0; j <= i; j++) expect(await getObject(page, 'quick', 'configmaps', `right-before-${j}`), `right-before-${j} after reload ${i}`).toBeDefined();
  }
});

test('a persisted sandbox open in two tabs: the first keeps the saved state, the second starts from it and does not write over it', async ({ context }) => {
  const html = '<podplay-sandbox id="shared" persist nodes="1"></podplay-sandbox>';
  const first = await context.newPage();
  await openTestPage(first);
  await addSandbox(first, html, 'shared');
  await exec(first, 'shared', 'kubectl create configmap from-first');
  await save(first, 'shared');
  const second = await context.newPage();
  await openTestPage(second);
  await addSandbox(second, html, 'shared');
  await expect(noticesOf(second, 'shared')).toContainText('This sandbox is also open in another tab, which keeps its saved state');
  expect(await getObject(second, 'shared', 'configmaps', 'from-first')).toBeDefined();
  await exec(second, 'shared', 'kubectl create configmap from-second');
  await save(second, 'shared');
  await exec(first, 'shared', 'kubectl create configmap later-in-first');
  await save(first, 'shared');
  await second.close();
  await first.reload();
  await addSandbox(first, html, 'shared');
  expect(await getObject(first, 'shared', 'configmaps', 'later-in-first')).toBeDefined();
  expect(await getObject(first, 'shared', 'configmaps', 'from-second')).toBeUndefined();
  await expect(noticesOf(first, 'shared')).not.toContainText('also open in another tab');
});

test('a browser killed while saving restores a whole state, the old one or the new one, never a torn one', async ({ baseURL }) => {
  test.setTimeout(300_000);
  // A profile on disk that outlives each browser, as a person's does.
  const profile = mkdtempSync(join(tmpdir(), 'podplay-profile-'));
  const html = '<podplay-sandbox id="crashy" persist nodes="1"></podplay-sandbox>';
  const launch = async () => {
    const context = await chromium.launchPersistentContext(profile, { executablePath: test.info().project.use.launchOptions?.executablePath, args: chromiumArgs, baseURL });
    const page = context.pages()[0] ?? (await context.newPage());
    await openTestPage(page);
    await addSandbox(page, html, 'crashy');
    return { context, page };
  };
  const outcomes: string[] = [];
  try {
    let { context, page } = await launch();
    await exec(page, 'crashy', 'kubectl create deployment before --image=podplay/hello --replicas=0');
    await save(page, 'crashy');
    for (const delay of [0, 40, 55, 70, 85, 100, 200, 800]) {
      // A big state (a 24 MiB file) takes a while to encode and write; the browser dies somewhere in it.
      await page.evaluate(async (n) => {
        const el = document.getElementById('crashy') as unknown as { session: { files: { write(p: string, b: Uint8Array): Promise<void> }; save(): Promise<void> }; exec(l: string): Promise<unknown> };
        await el.exec(`kubectl create deployment after-${n} --image=podplay/hello --replicas=0`);
        await el.session.files.write('big.bin', new Uint8Array(24 << 20).fill(n % 251));
        void el.session.save();
      }, delay);
      if (delay) await page.waitForTimeout(delay);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Browser.crash').catch(() => undefined);
      await context.close().catch(() => undefined);
      ({ context, page } = await launch());
      const restored = await page.evaluate(() => (document.getElementById('crashy') as unknown as { session: { restored: { kind: string } } }).session.restored.kind);
      expect(restored, `after a crash ${delay} ms into a save`).toBe('restored');
      const names = ((await getObject<Array<{ metadata: { name: string } }>>(page, 'crashy', 'deployments')) ?? []).map((d) => d.metadata.name);
      expect(names).toContain('before');
      await expect(noticesOf(page, 'crashy')).not.toContainText('could not be restored');
      outcomes.push(names.includes(`after-${delay}`) ? 'new' : 'old');
    }
    await context.close();
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  // Which side of the save each crash fell on (both are whole states).
  test.info().annotations.push({ type: 'crash outcomes', description: outcomes.join(', ') });
});
