import { expect, test } from '@playwright/test';
import { hook, openPlayground } from './helpers.ts';

test('a second visit runs podplay/hello from IndexedDB without fetching any image file', async ({ page }) => {
  await openPlayground(page);
  const before = await hook<string[]>(page, 'storedBlobs');
  const imageRequests: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/images/')) imageRequests.push(r.url());
  });
  await page.reload();
  await expect(page.getByTestId('exit')).toHaveText('exited with code 0 (Completed)', { timeout: 60_000 });
  await expect(page.getByTestId('output')).toHaveText(/^Hello from podplay, world!\n/);
  await expect(page.getByTestId('pull')).toHaveText(/from IndexedDB/);
  expect(imageRequests).toEqual([]);
  expect(await hook<string[]>(page, 'storedBlobs')).toEqual(before);
});
