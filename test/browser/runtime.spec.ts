import { expect, test } from '@playwright/test';
import { hook, openPlayground, run } from './helpers.ts';

test.describe('the container runtime in Chromium', () => {
  test.beforeEach(async ({ page }) => {
    await openPlayground(page);
    await hook(page, 'pull', 'podplay/memhog');
    await hook(page, 'pull', 'podplay/toolbox');
  });

  test('memhog past its memory limit ends OOMKilled with exit code 137', async ({ page }) => {
    const r = await run(page, 'podplay/memhog', { args: ['-hold', '1ms', '128'], memoryLimit: 64 << 20 } as never);
    expect(r.reason).toBe('OOMKilled');
    expect(r.exitCode).toBe(137);
    expect(r.stderr).toContain('out of memory');
    const ok = await run(page, 'podplay/memhog', { args: ['-hold', '20ms', '32'], memoryLimit: 64 << 20 } as never);
    expect(ok.reason).toBe('Completed'); // and it woke from its sleep after the garbage collector ran
  });

  test('a hot loop is killed in under a second', async ({ page }) => {
    const r = await page.evaluate(async () => {
      const podplay = (window as unknown as { podplay: { run(i: string, o: object): Promise<{ reason: string }> } }).podplay;
      const t0 = performance.now();
      const result = await podplay.run('podplay/toolbox', { args: ['sh', '-c', 'while true; do :; done'], timeoutMs: 300 });
      return { ...result, took: performance.now() - t0 };
    });
    expect(r.reason).toBe('DeadlineExceeded');
    expect(r.took).toBeLessThan(1300); // 300 ms of running, then the kill in under a second
  });

  test('a 50 MB output flood stays within the log buffer bound', async ({ page }) => {
    const line = 'x'.repeat(1000);
    const r = await run(page, 'podplay/toolbox', { args: ['yes', line], logLimit: 256 * 1024, killAfterBytes: 50e6 } as never);
    expect(r.reason).toBe('Killed');
    expect((r as unknown as { stdoutBytes: number }).stdoutBytes).toBeGreaterThanOrEqual(50e6);
    const logs = await hook<Array<{ text: string }>>(page, 'logs', r.id);
    const held = logs.reduce((n, l) => n + l.text.length, 0);
    expect(held).toBeLessThanOrEqual(256 * 1024);
    expect(held).toBeGreaterThan(100 * 1024);
    expect(logs.at(-1)!.text.replace(/x+/, 'x')).toBe('x');
  });
});

test.describe('containers sharing a node worker in Chromium', () => {
  test('exec sees the container\'s writes; an emptyDir is shared live between two containers of a pod', async ({ page }) => {
    await openPlayground(page);
    await hook(page, 'pull', 'podplay/toolbox');
    const node = (method: string, ...args: unknown[]) => hook<Record<string, unknown>>(page, 'node', method, ...args);
    const shared = { path: '/shared', volume: { kind: 'emptyDir', name: 'data', scope: 'pod-a' } };
    await node('create', { id: 'writer', image: 'podplay/toolbox:latest', args: ['sh', '-c', 'echo $HOSTNAME > /tmp/me; sleep 0.2; echo hello-from-writer > /shared/msg; sleep 30'], mounts: [shared] });
    await node('create', { id: 'reader', image: 'podplay/toolbox:latest', args: ['sh', '-c', 'until cat /shared/msg 2>/dev/null; do sleep 0.05; done'], mounts: [shared] });
    await node('start', 'writer');
    await node('start', 'reader');
    const done = await node('wait', 'reader');
    expect(done.exitCode).toBe(0);
    const logs = await node('logs', 'reader') as unknown as Array<{ text: string }>;
    expect(logs.map((l) => l.text)).toEqual(['hello-from-writer']);
    const seen = await hook<{ exitCode: number; stdout: string }>(page, 'exec', 'writer', ['cat', '/tmp/me', '/shared/msg']);
    expect(seen).toMatchObject({ exitCode: 0, stdout: 'writer\nhello-from-writer\n' });
    const diff = await node('diff', 'writer') as unknown as Array<{ kind: string; path: string }>;
    expect(diff).toContainEqual({ kind: 'A', path: '/tmp/me' });
    expect(diff.some((d) => d.path === '/shared/msg')).toBe(false);
    const stopped = await node('stop', 'writer', 100);
    expect(stopped.reason).toBe('Killed');
  });

  test('usage: memory and CPU time per container, read live from the programs in the SDK\'s threads', async ({ page }) => {
    await openPlayground(page);
    await hook(page, 'pull', 'podplay/toolbox');
    await hook(page, 'pull', 'podplay/memhog');
    const node = (method: string, ...args: unknown[]) => hook<Record<string, unknown>>(page, 'node', method, ...args);
    type Usage = { at: number; memoryBytes: number; containers: Record<string, { memoryBytes: number; cpuMs: number; processes: number }> };
    await node('create', { id: 'hog', image: 'podplay/memhog:latest', args: ['48'] });
    await node('create', { id: 'hot', image: 'podplay/toolbox:latest', args: ['sh', '-c', 'while true; do :; done'] });
    await node('create', { id: 'env', image: 'podplay/toolbox:latest', args: ['env'] });
    await node('start', 'hog');
    await node('start', 'hot');
    await expect.poll(async () => ((await node('logs', 'hog')) as unknown as Array<{ text: string }>).map((l) => l.text).join('\n'), { timeout: 20_000 }).toContain('holding 48 MiB');
    const first = (await node('usage')) as unknown as Usage;
    await page.waitForTimeout(600);
    const u = (await node('usage')) as unknown as Usage;
    expect(u.containers.hog!.memoryBytes).toBeGreaterThanOrEqual(48 << 20);
    expect(u.containers.hog!.memoryBytes).toBeLessThan(96 << 20);
    const hotCpu = u.containers.hot!.cpuMs - first.containers.hot!.cpuMs;
    expect(hotCpu).toBeGreaterThan((u.at - first.at) * 0.5);
    expect(hotCpu).toBeLessThanOrEqual(u.at - first.at + 50);
    expect(u.memoryBytes).toBe(u.containers.hog!.memoryBytes + u.containers.hot!.memoryBytes);
    await node('kill', 'hog');
    await node('kill', 'hot');
    await node('wait', 'hog');
    const after = (await node('usage')) as unknown as Usage;
    expect(after.containers.hog!.memoryBytes).toBe(0);
    await node('start', 'env');
    await node('wait', 'env');
    const env = ((await node('logs', 'env')) as unknown as Array<{ text: string }>).map((l) => l.text);
    expect(env).toContain('PATH=/usr/local/bin:/bin');
    expect(env.join('\n')).not.toContain('PODPLAY');
  });
});

test('a terminated node worker is reported as that node\'s failure, and the other nodes keep running', async ({ page }) => {
  await openPlayground(page);
  await hook(page, 'pull', 'podplay/ticker');
  const r = await hook<{
    results: Array<{ id: string; reason: string; exitCode: number; at: number }>;
    failures: Array<{ node: string; reason: string; lost: string[] }>;
    conditions: Array<[string, string]>;
  }>(page, 'nodeFailure', { nodes: ['n1', 'n2', 'n3'], crash: 'n2', crashAfterMs: 300, image: 'podplay/ticker:latest', args: ['-count', '20', '-interval', '100ms'] });
  const byId = Object.fromEntries(r.results.map((x) => [x.id, x]));
  expect(byId['c-n2']).toMatchObject({ reason: 'NodeLost', exitCode: -1 });
  expect(byId['c-n1']).toMatchObject({ reason: 'Completed', exitCode: 0 });
  expect(byId['c-n3']).toMatchObject({ reason: 'Completed', exitCode: 0 });
  expect(byId['c-n2']!.at).toBeLessThan(byId['c-n1']!.at); // noticed before the others finished
  expect(r.failures).toHaveLength(1);
  expect(r.failures[0]).toMatchObject({ node: 'n2', lost: ['c-n2'] });
  expect(r.failures[0]!.reason).toMatch(/heartbeat/);
  expect(r.conditions).toEqual([['n1', 'Ready'], ['n2', 'NotReady'], ['n3', 'Ready']]);
});

test('the page compiles each program once; the node worker takes the compiled module', async ({ page }) => {
  await openPlayground(page);
  const stats = await hook<{ modulesCompiled: number; modulesReused: number; packagesLoaded: number }>(page, 'stats');
  expect(stats.modulesCompiled).toBe(0);
  expect(stats.modulesReused).toBe(stats.packagesLoaded);
  expect(stats.modulesReused).toBeGreaterThanOrEqual(1);
});
