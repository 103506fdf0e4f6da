import { expect, test } from '@playwright/test';
import { hook, openPlayground, run, sh } from './helpers.ts';

test.describe.configure({ mode: 'serial' });

test('the page pulls podplay/hello into IndexedDB with per-layer progress and runs it in a node worker', async ({ page }) => {
  await openPlayground(page);
  const pull = await page.getByTestId('pull').textContent();
  expect(pull).toMatch(/^latest: Pulling from podplay\/hello$/m);
  expect(pull!.match(/^[0-9a-f]{12}: Pull complete$/gm)).toHaveLength(2);
  expect(pull).toMatch(/^Status: Downloaded newer image for podplay\/hello:latest$/m);
  // The container's hostname is its ID's first 12 hex digits, as docker's.
  await expect(page.getByTestId('output')).toHaveText(/^Hello from podplay, world!\nhostname: [0-9a-f]{12}\n$/);
  await expect(page.getByTestId('exit')).toHaveText('exited with code 0 (Completed)');
  const blobs = await hook<string[]>(page, 'storedBlobs');
  expect(blobs.length).toBe(4); // 2 layers + config + manifest, all in IndexedDB
  expect(await page.evaluate(() => typeof Worker)).toBe('function');
});

test.describe('containers', () => {
  test.beforeEach(async ({ page }) => {
    await openPlayground(page);
    await hook(page, 'pull', 'podplay/toolbox');
  });

  test('toolbox: ls /bin lists the applets, and sh runs what Kubernetes manifests ask', async ({ page }) => {
    const ls = await run(page, 'podplay/toolbox', { args: ['ls', '/bin'] });
    expect(ls.exitCode).toBe(0);
    for (const applet of ['cat', 'echo', 'grep', 'ls', 'pause', 'sh', 'sha256sum', 'sleep', 'toolbox']) expect(ls.stdout.split('\n')).toContain(applet);

    const env = await sh(page, 'printenv A B', { env: { A: 'alpha', B: 'beta' } });
    expect(env.stdout).toBe('alpha\nbeta\n');

    const script = await sh(page, 'x=$(echo hi | tr a-z A-Z); echo "$x" && seq 3 | wc -l; for i in 1 2; do echo n$i; done; false || echo recovered');
    expect(script.stdout).toBe('HI\n      3\nn1\nn2\nrecovered\n');

    const missing = await sh(page, 'foo bar');
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toBe('sh: foo: not found\n');
  });

  test('host-filesystem bridge canary: the guest reads image files at their real paths and its writes land in the host-side tree', async ({ page }) => {
    const r = await sh(page, 'cat /etc/os-release | head -1; echo x > /tmp/f; mkdir -p /tmp/d/e; echo y >> /tmp/d/e/g; mv /tmp/f /tmp/moved; cat /tmp/moved');
    expect(r.stderr, 'if this fails after an @wasmer/sdk upgrade, src/wasi/host-bridge.ts needs updating').toBe('');
    expect(r.stdout).toBe('NAME="podplay toolbox"\nx\n');
    expect(await hook(page, 'readFile', r.id, '/tmp/moved')).toBe('x\n');
    expect(await hook(page, 'readFile', r.id, '/tmp/d/e/g')).toBe('y\n');
    expect(await hook(page, 'readFile', r.id, '/tmp/f')).toBeUndefined();
    const other = await sh(page, 'cat /tmp/moved');
    expect(other.exitCode, 'each container has its own copy of the image tree').toBe(1);
  });

  test('exit codes come from the real process: crash 3', async ({ page }) => {
    await hook(page, 'pull', 'podplay/crash');
    const r = await run(page, 'podplay/crash', { args: ['3'] });
    expect([r.exitCode, r.reason]).toEqual([3, 'Error']);
    expect(r.stderr).toBe('crash: exiting with code 3\n');
  });

  test('ticker streams lines as they are produced and is killed after 3', async ({ page }) => {
    await hook(page, 'pull', 'podplay/ticker');
    const r = await run(page, 'podplay/ticker', { args: ['-interval', '300ms'], killAfterLines: 3 });
    expect([r.exitCode, r.reason]).toEqual([137, 'Killed']);
    expect(r.lines.slice(0, 3).map((l) => l.text)).toEqual(['tick 1', 'tick 2', 'tick 3']);
    expect(r.lines[2]!.at - r.lines[0]!.at, 'lines arrive live, ~300 ms apart, not at exit').toBeGreaterThan(450);
  });

  test('a Kubernetes-docs loop runs until a host-side timer kills it', async ({ page }) => {
    const r = await sh(page, 'while true; do echo hello; sleep 0.2; done', { timeoutMs: 1000 });
    expect(r.reason).toBe('DeadlineExceeded');
    expect(r.exitCode).toBe(137);
    expect(r.lines.length).toBeGreaterThanOrEqual(3);
  });

  test('a program that cannot be executed, or is not there, is refused with a clear error', async ({ page }) => {
    // /etc/passwd has no x bit: execve refuses it before looking at its bytes (runc: permission denied).
    const notExecutable = await run(page, 'podplay/toolbox', { command: ['/etc/passwd'] });
    expect(notExecutable.reason).toBe('StartError');
    expect(notExecutable.error?.code).toBe('ExecDenied');
    expect(notExecutable.error?.message).toMatch(/exec: "\/etc\/passwd": permission denied/);
    const absent = await run(page, 'podplay/toolbox', { command: ['nginx'] });
    expect(absent.error?.message).toMatch(/exec: "nginx": executable file not found in \$PATH/);
    const noImage = await run(page, 'podplay/nope');
    expect(noImage.error?.code).toBe('ImageNotFound');
  });
});
