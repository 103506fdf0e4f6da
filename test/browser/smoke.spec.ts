import { expect, test } from '@playwright/test';

test('smoke', async ({ page }) => {
  page.on('console', (m) => console.log('console:', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto('/');
  await expect(page.getByTestId('exit')).toHaveText(/exited with code/, { timeout: 90_000 });
  console.log(await page.getByTestId('pull').textContent());
  console.log(await page.getByTestId('output').textContent());
  console.log(await page.getByTestId('exit').textContent());
  const r = await page.evaluate(() => (window as any).podplay.run('podplay/toolbox', { args: ['sh', '-c', 'echo argv0=$0; ls /; ls -l /bin | head -5; echo hi > /tmp/x; cat /tmp/x; hostname; pwd'] }));
  console.log(JSON.stringify(r, null, 1));
});
