import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { openPlayground } from './helpers.ts';

const PORT = 5174;
let dev: ChildProcess | undefined;

test.beforeAll(async () => {
  dev = spawn('npx', ['vite', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'pipe', detached: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('vite dev server did not start in 60 s')), 60_000);
    dev!.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes(String(PORT))) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
});

test.afterAll(() => {
  if (dev?.pid) process.kill(-dev.pid);
});

test('the dev server (vite) serves an isolated playground that runs podplay/hello', async ({ page }) => {
  const res = await page.request.get(`http://127.0.0.1:${PORT}/`);
  expect(res.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(res.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  await openPlayground(page, `http://127.0.0.1:${PORT}/`);
  await expect(page.getByTestId('output')).toHaveText(/^Hello from podplay, world!\n/);
});
