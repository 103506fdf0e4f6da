import { expect, test } from '@playwright/test';
import { hook, openPlayground } from './helpers.ts';

interface PullResult {
  lines: string[];
  error?: { code?: string; message: string };
}

test('a blob whose bytes do not match its digest is refused, naming the digest, and nothing is stored', async ({ page }) => {
  await openPlayground(page);
  const before = await hook<string[]>(page, 'storedBlobs');
  const index = await (await page.request.get('/images/index.json')).json();
  const ticker = index.manifests.find((m: { annotations: Record<string, string> }) => m.annotations['org.opencontainers.image.ref.name'] === 'podplay/ticker:latest');
  const manifest = await (await page.request.get(`/images/blobs/sha256/${ticker.digest.slice(7)}`)).json();
  const layer = manifest.layers[1].digest as string;
  await page.route(`**/images/blobs/sha256/${layer.slice(7)}`, async (route) => {
    const res = await route.fetch();
    const body = await res.body();
    body[body.length >> 1] ^= 0xff;
    await route.fulfill({ response: res, body });
  });
  const r = await hook<PullResult>(page, 'pullFrom', new URL('/images', page.url()).href, 'podplay/ticker');
  expect(r.error?.code).toBe('ImageDigestMismatch');
  expect(r.error?.message).toContain(layer);
  expect(await hook<string[]>(page, 'storedBlobs')).toEqual(before);
  expect((await hook<Array<{ ref: string }>>(page, 'images')).map((i) => i.ref)).not.toContain('podplay/ticker:latest');
});

test('a layout URL that 404s says which file is missing', async ({ page }) => {
  await openPlayground(page);
  const r = await hook<PullResult>(page, 'pullFrom', new URL('/no-such-layout', page.url()).href, 'podplay/hello');
  expect(r.error?.code).toBe('LayoutNotFound');
  expect(r.error?.message).toMatch(/is missing oci-layout \(HTTP 404/);
});
