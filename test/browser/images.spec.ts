import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { badImages, helloWasm } from '../helpers/bad-images.ts';
import { ImageBuilder } from '../helpers/images.ts';
import { peerSkipReason } from '../helpers/peers.ts';
import { hook, openPlayground, run } from './helpers.ts';

interface ImportSummary {
  lines: string[];
  images: Array<{ ref: string; digest: string; entrypoint?: string[] }>;
  error?: { code?: string; message: string };
}
interface Snapshot {
  blobs: string[];
  refs: string[];
}
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const load = (page: Page, bytes: Uint8Array, name: string, opts: object = {}) => hook<ImportSummary>(page, 'load', b64(bytes), name, opts);

test('each bad image is refused with its typed error, and IndexedDB is left exactly as it was', async ({ page }) => {
  test.setTimeout(240_000);
  await openPlayground(page);
  const before = await hook<Snapshot>(page, 'snapshot');
  expect(before.refs.some((r) => r.startsWith('podplay/hello:latest '))).toBe(true);
  for (const bad of await badImages()) {
    const r = await load(page, bad.bytes, bad.fileName, { limits: bad.limits });
    expect(r.error?.code, bad.title).toBe(bad.code);
    expect(r.error?.message, bad.title).toMatch(bad.message);
    expect(await hook<Snapshot>(page, 'snapshot'), bad.title).toEqual(before);
  }
});

test('a full origin quota gives QuotaExceeded and the partial pull is rolled back', async ({ browser, baseURL }) => {
  const b = new ImageBuilder();
  const wasm = await helloWasm();
  await b.image({ name: 'big/app:1', layers: [{ entries: [{ name: 'app', body: wasm, mode: 0o755 }] }, { entries: [{ name: 'data', body: randomBytes(24 << 20) }] }], entrypoint: ['/app'] });
  const tar = await b.layoutTar();
  // A real quota: Chromium's own, lowered through DevTools before the page opens its databases (it caches the space left per connection).
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const origin = new URL(baseURL!).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 16 << 20 });
  await openPlayground(page);
  const before = await hook<Snapshot>(page, 'snapshot');
  const r = await load(page, tar, 'big.tar');
  expect(r.error?.code).toBe('QuotaExceeded');
  expect(r.error?.message).toMatch(/image store is full.*Nothing of this pull was kept; remove images you do not need \(rmi\)/);
  expect(await hook<Snapshot>(page, 'snapshot')).toEqual(before);
  await context.close();
});

test('two tabs pulling, loading and sweeping at once leave one consistent store', async ({ browser }) => {
  const context = await browser.newContext();
  const [a, b] = [await context.newPage(), await context.newPage()];
  await openPlayground(a);
  await openPlayground(b);
  const wasm = await helloWasm();
  await Promise.all([
    hook(a, 'pull', 'podplay/ticker'),
    hook(b, 'pull', 'podplay/primes'),
    load(a, wasm, 'one.wasm'),
    load(b, wasm, 'two.wasm'),
    hook(a, 'gc'),
    hook(b, 'gc'),
    hook(b, 'rmi', 'podplay/hello'),
  ]);
  await hook(a, 'gc');
  const snap = await hook<Snapshot>(b, 'snapshot');
  expect(snap.refs.map((r) => r.split(' ')[0])).toEqual(['one:latest', 'podplay/primes:latest', 'podplay/ticker:latest', 'two:latest']);
  // Every ref's blobs are there, and nothing else is: the other tab's sweeps removed no live blob and left no stray one.
  const images = await hook<Array<{ ref: string }>>(a, 'images');
  expect(images.map((i) => i.ref)).toEqual(snap.refs.map((r) => r.split(' ')[0]));
  for (const ref of ['podplay/ticker', 'podplay/primes', 'one']) expect((await run(b, ref, ref === 'podplay/primes' ? { args: ['10'] } : ref === 'podplay/ticker' ? { args: ['-count', '1', '-interval', '1ms'] } : {})).exitCode, ref).toBe(0);
  await context.close();
});

test('images are listed with sizes, saved as an OCI archive skopeo reads, and removed', async ({ page }) => {
  const skip = peerSkipReason('skopeo');
  await openPlayground(page);
  await hook(page, 'pull', 'podplay/ticker');
  const rows = page.getByTestId('images').locator('tbody tr');
  await page.reload();
  // The page asked navigator.storage.persist() and says what the browser answered.
  await expect(page.getByTestId('storage')).toHaveText(/^(Images are kept in persistent storage|The browser may evict stored images under storage pressure)\.$/);
  await expect(rows.filter({ hasText: 'podplay/ticker' })).toHaveCount(1);
  const images = await hook<Array<{ ref: string; size: number; sharedSize: number; uniqueSize: number }>>(page, 'images');
  const ticker = images.find((i) => i.ref === 'podplay/ticker:latest')!;
  expect(ticker.sharedSize).toBeGreaterThan(0);
  expect(ticker.uniqueSize + ticker.sharedSize).toBe(ticker.size);

  if (!skip) {
    const dir = await mkdtemp(join(tmpdir(), 'podplay-save-'));
    try {
      const tar = Buffer.from(await hook<string>(page, 'save', ['podplay/ticker']), 'base64');
      await writeFile(join(dir, 'ticker.tar'), tar);
      const info = JSON.parse(execFileSync('skopeo', ['inspect', `oci-archive:${join(dir, 'ticker.tar')}:podplay/ticker:latest`], { encoding: 'utf8' }));
      expect(info.Os).toBe('wasip1');
      expect(info.Layers).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  // The Save button offers the same archive as a download.
  const [dl] = await Promise.all([page.waitForEvent('download'), rows.filter({ hasText: 'podplay/ticker' }).getByRole('button', { name: 'Save' }).click()]);
  expect(dl.suggestedFilename()).toBe('podplay-ticker-latest.tar');

  await rows.filter({ hasText: 'podplay/ticker' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.locator('#status')).toContainText('Untagged: podplay/ticker:latest');
  await expect(rows.filter({ hasText: 'podplay/ticker' })).toHaveCount(0);
  const r = await hook<ImportSummary>(page, 'pull', 'podplay/ticker');
  expect(r.lines.filter((l) => l.endsWith('Already exists'))).toHaveLength(1); // the toolbox base layer stayed: hello uses it
});

test('a file chosen or dropped on the page is loaded and runs', async ({ page }) => {
  await openPlayground(page);
  const wasm = Buffer.from(await helloWasm());
  await page.setInputFiles('#load-file', { name: 'picked.wasm', mimeType: 'application/wasm', buffer: wasm });
  await expect(page.locator('#status')).toHaveText('Loaded image: picked:latest');
  const b = new ImageBuilder();
  await b.image({ name: 'dropped/app:1', layers: [{ entries: [{ name: 'bin/app', body: wasm, mode: 0o755 }] }], entrypoint: ['/bin/app'] });
  const tar = b64(await b.layoutTar());
  const dataTransfer = await page.evaluateHandle((data) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], 'dropped.tar', { type: 'application/x-tar' }));
    return dt;
  }, tar);
  await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
  await expect(page.locator('#status')).toHaveText('Loaded image: dropped/app:1');
  const rows = page.getByTestId('images').locator('tbody tr');
  await expect(rows.filter({ hasText: 'dropped/app' })).toHaveCount(1);
  for (const ref of ['picked', 'dropped/app:1']) {
    const r = await run(page, ref);
    expect(r.exitCode, ref).toBe(0);
    expect(r.stdout, ref).toContain('Hello, world!'); // the greeting file lives in podplay/hello, not in these images
  }
});

test('a second container of an image starts from the cached rootfs: no layer is applied again', async ({ page }) => {
  await openPlayground(page);
  await hook(page, 'pull', 'podplay/primes');
  expect((await run(page, 'podplay/primes', { args: ['5'] })).exitCode).toBe(0);
  const first = (await hook<{ layersApplied: number }>(page, 'stats')).layersApplied;
  const again = await run(page, 'podplay/primes', { args: ['5'] });
  expect(again.exitCode).toBe(0);
  expect((await hook<{ layersApplied: number }>(page, 'stats')).layersApplied).toBe(first);
});

test('a layout directory at a URL is loaded whole; a URL that is neither layout nor file says what is missing', async ({ page }) => {
  await openPlayground(page);
  const r = await hook<ImportSummary>(page, 'importUrl', new URL('/images/', page.url()).href);
  expect(r.error).toBeUndefined();
  const latest = ['crash', 'hello', 'kv', 'memhog', 'pause', 'pod-lister', 'pod-watcher', 'primes', 'stress', 'ticker', 'toolbox', 'web'].map((n) => `podplay/${n}:latest`);
  expect(r.images.map((i) => i.ref).sort()).toEqual([...latest, 'podplay/golang:1.26', 'podplay/golang:1.26.8', 'podplay/golang:latest'].sort());
  const missing = await hook<ImportSummary>(page, 'importUrl', new URL('/nothing-here/', page.url()).href);
  expect(missing.error?.code).toBe('LayoutNotFound');
  expect(missing.error?.message).toMatch(/is missing oci-layout \(HTTP 404/);
});
