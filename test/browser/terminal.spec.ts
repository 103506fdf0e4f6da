/**
 * The playground's terminal: keys typed into xterm.js run kubectl and
 * docker against the page's cluster of node workers; the test reads what
 * the screen shows.
 */
import { expect, test, type Page } from '@playwright/test';
import { TEST_PAGE, hook } from './helpers.ts';

/** The terminal's visible rows as text. */
async function screen(page: Page): Promise<string> {
  return (await page.locator('[data-testid=terminal] .xterm-rows').innerText()).replace(/\u00a0/g, ' ');
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Presses Enter and waits until the line has run and the screen shows it
 * (xterm.js renders a frame later): `shown` is what the screen must then
 * match, by default the line `ran` followed, at the end, by the prompt.
 */
async function enter(page: Page, ran: string, shown?: RegExp, key = 'Enter'): Promise<void> {
  const before = await hook<number>(page, 'terminalCommands');
  await page.keyboard.press(key);
  await expect.poll(() => hook<number>(page, 'terminalCommands'), { timeout: 90_000 }).toBeGreaterThan(before);
  await expect.poll(() => screen(page)).toMatch(shown ?? new RegExp(`\\$ ${escape(ran)}\\s*\\n[^]*\\$\\s*$`));
}

async function type(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line);
  await enter(page, line, line === 'clear' ? /^\$\s*$/ : undefined);
}

async function openTerminal(page: Page): Promise<void> {
  await page.goto(TEST_PAGE);
  await expect(page.getByTestId('cluster-status')).toHaveText(/Cluster ready: node-1, node-2, node-3/, { timeout: 90_000 });
  await expect.poll(() => hook<boolean>(page, 'terminalReady')).toBe(true);
  await page.getByTestId('terminal').click();
}

test('typed kubectl: a deployment of three hello pods Running on three nodes, their logs, its deletion', async ({ page }) => {
  test.setTimeout(180_000);
  await openTerminal(page);
  await type(page, 'kubectl create deployment web --image=podplay/hello --replicas=3');
  expect(await screen(page)).toContain('deployment.apps/web created');
  await type(page, 'kubectl rollout status deployment/web');
  expect(await screen(page)).toContain('deployment "web" successfully rolled out');

  await type(page, 'clear');
  await type(page, 'kubectl get pods -o wide');
  const text = await screen(page);
  expect(text).toMatch(/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/);
  const rows = [...text.matchAll(/^(web-[a-z0-9]+-[a-z0-9]{5})\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.\d+\.\d+\s+(node-\d)\s+<none>\s+<none>\s*$/gm)];
  expect(rows.length, text).toBe(3);
  expect(new Set(rows.map((r) => r[2])).size).toBe(3);

  const pod = rows[0]![1]!;
  await type(page, 'clear');
  await type(page, `kubectl logs ${pod}`);
  expect(await screen(page)).toContain(`Hello from podplay, world!\nhostname: ${pod}`);

  await type(page, 'kubectl delete deployment web');
  expect(await screen(page)).toContain('deployment.apps "web" deleted from default namespace');
  await type(page, 'kubectl get deployments');
  expect(await screen(page)).toContain('No resources found in default namespace.');
  // hello ends on SIGTERM at once (Go's runtime as PID 1), so its pods go away within moments, as on a real cluster.
  await expect
    .poll(async () => {
      await type(page, 'clear');
      await type(page, 'kubectl get pods');
      return screen(page);
    }, { timeout: 10_000 })
    .toContain('No resources found in default namespace.');
});

test('the shell: tab completion, history, a kubectl error, Ctrl-C stops kubectl get -w, an interactive kubectl exec -it sh, docker in the same terminal', async ({ page }) => {
  test.setTimeout(180_000);
  await openTerminal(page);
  // One candidate completes the word and a space; several complete what they share.
  await page.keyboard.type('kubectl api-res');
  await page.keyboard.press('Tab');
  await expect.poll(() => screen(page)).toMatch(/\$ kubectl api-resources\s*$/);
  await page.keyboard.press('Control+U');
  await page.keyboard.type('kubectl get namesp');
  await page.keyboard.press('Tab');
  await expect.poll(() => screen(page)).toMatch(/\$ kubectl get namespace\s*$/);
  await page.keyboard.type('s kube-sys');
  await page.keyboard.press('Tab');
  await enter(page, 'kubectl get namespaces kube-system');
  expect(await screen(page)).toMatch(/\$ kubectl get namespaces kube-system\s*\nNAME\s+STATUS\s+AGE\nkube-system\s+Active\s+\d+s/);

  await type(page, 'kubectl get pods --frobnicate');
  expect(await screen(page)).toContain("error: unknown flag: --frobnicate\nSee 'kubectl get --help' for usage.");

  await type(page, 'clear');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await enter(page, 'kubectl get pods --frobnicate');
  expect(await screen(page)).toMatch(/\$ kubectl get pods --frobnicate\n/);
  // A flag real kubectl has and podplay lacks: the real tool's table is loaded in the page to say so.
  await type(page, 'kubectl get pods --chunk-size=5');
  expect(await screen(page)).toContain("error: --chunk-size is not available in podplay yet: leave it out, or see 'kubectl get --help' for the flags it has");

  await page.keyboard.type('kubectl get nodes -w');
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(page)).toMatch(/kubectl get nodes -w\nNAME\s+STATUS/);
  await enter(page, 'kubectl get nodes -w', /\^C\n\$\s*$/, 'Control+C');

  // kubectl exec -it: the toolbox sh prompts; what is typed goes to it a line at a time.
  await type(page, 'clear');
  await type(page, 'kubectl run box --image=podplay/toolbox -- sleep 3600');
  await type(page, 'kubectl wait --for=condition=Ready pod/box');
  expect(await screen(page)).toContain('pod/box condition met');
  await page.keyboard.type('kubectl exec -it box -- sh');
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(page)).toMatch(/kubectl exec -it box -- sh\n\/ #\s*$/);
  await page.keyboard.type('cd /etc && echo $((6*7)) in $PWD');
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(page)).toMatch(/\n42 in \/etc\n\/etc #\s*$/);
  await page.keyboard.type('exit 5');
  await enter(page, 'kubectl exec -it box -- sh', /command terminated with exit code 5\n\$\s*$/);
  expect(await screen(page)).toMatch(/command terminated with exit code 5\n\$\s*$/);

  await type(page, 'clear');
  await type(page, 'docker run --rm podplay/crash 3');
  await type(page, 'echo done');
  expect(await screen(page)).toMatch(/crash: exiting with code 3/);
});
