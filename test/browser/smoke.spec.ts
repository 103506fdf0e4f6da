import { expect, test } from '@playwright/test';

test('smoke', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('exit')).toHaveText(/exited with code/, { timeout: 90_000 });
  await page.evaluate(() => (window as any).podplay.pull('podplay/toolbox'));
  const r = await page.evaluate((s) => (window as any).podplay.run('podplay/toolbox', { args: ['sh', '-c', s] }), 'ls -l /etc; ls -l /tmp/..');
  console.log(r.stdout, r.stderr);
});
