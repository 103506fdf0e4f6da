/**
 * The lesson page (lesson.html: `<podplay-lesson>` over the shipped course):
 * Run types a block into the terminal and the step ticks when the cluster
 * makes its check true; a check made true by a typed command; progress
 * kept across a reload; "Reset this lesson"; the export a learner hands in;
 * the narrow layout, the step panel above the sandbox.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';

async function open(page: Page): Promise<void> {
  await page.goto('/lesson.html?lesson=04-pods.md');
  await page.waitForFunction(() => (document.getElementById('lesson') as unknown as { ready?: Promise<void> })?.ready);
  await page.evaluate(() => (document.getElementById('lesson') as unknown as { ready: Promise<void> }).ready);
}

const step = (page: Page, i: number) => page.locator('#lesson').getByTestId('step').nth(i);

test('lesson 4: Run ticks a step, a typed command ticks the next, progress survives a reload, reset starts the lesson again, the export lists the commands', async ({ page }) => {
  test.setTimeout(240_000);
  await open(page);
  const lesson = page.locator('#lesson');
  await expect(lesson.getByTestId('lesson-title')).toHaveText('Pods: run, look, and read a crash loop');
  await expect(lesson.getByTestId('course-title')).toHaveText('Go, containers and Kubernetes');
  await expect(step(page, 0)).toHaveAttribute('data-state', 'current');

  await step(page, 0).getByTestId('run').first().click();
  await expect(step(page, 0)).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  await expect(step(page, 1)).toHaveAttribute('data-state', 'current');
  await expect(step(page, 1).getByTestId('step-seen')).toHaveText('Not yet: metadata.labels.tier is missing');

  // A hint, then the check made true by a command typed in the terminal.
  await step(page, 1).getByRole('button', { name: /Show a hint/ }).click();
  await expect(step(page, 1).getByTestId('hint')).toContainText('kubectl label pod hello tier=frontend');
  await page.evaluate(() => (document.getElementById('lesson') as unknown as { sandbox: { type(l: string): Promise<number> } }).sandbox.type('kubectl label pod hello tier=frontend'));
  await expect(step(page, 1)).toHaveAttribute('data-state', 'done', { timeout: 30_000 });

  await page.reload();
  await open(page);
  await expect(step(page, 0)).toHaveAttribute('data-state', 'done');
  await expect(step(page, 1)).toHaveAttribute('data-state', 'done');
  await expect(step(page, 2)).toHaveAttribute('data-state', 'current');

  const download = page.waitForEvent('download');
  await lesson.getByTestId('export-progress').click();
  const report = JSON.parse(await readFile(await (await download).path(), 'utf8'));
  expect(report.course).toBe('Go, containers and Kubernetes');
  const lesson4 = report.lessons.find((l: { file: string }) => l.file === '04-pods.md');
  expect(lesson4.steps.slice(0, 3).map((s: { done: boolean }) => s.done)).toEqual([true, true, false]);
  // Each command the learner ran (by Run or typed) is kept with the step it was run for.
  const commands = report.commands.map((c: { step: number; line: string; exitCode: number }) => [c.step, c.line, c.exitCode]);
  expect(commands[0]).toEqual([0, 'kubectl run hello --image=podplay/hello', 0]);
  expect(commands.map((c: unknown[]) => c[1])).toContain('kubectl get pods');
  expect(commands.at(-1)).toEqual([1, 'kubectl label pod hello tier=frontend', 0]);

  await lesson.getByTestId('reset-lesson').click();
  await expect(step(page, 0)).toHaveAttribute('data-state', 'current', { timeout: 60_000 });
  await expect(step(page, 1)).toHaveAttribute('data-state', 'todo');
  const pods = await page.evaluate(() => (document.getElementById('lesson') as unknown as { sandbox: { exec(l: string): Promise<{ stdout: string; stderr: string }> } }).sandbox.exec('kubectl get pods'));
  expect(pods.stderr).toBe('No resources found in default namespace.\n');
});

test('the step panel sits beside the sandbox on a wide screen and above it on a narrow one', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await open(page);
  const panel = page.locator('#lesson').getByTestId('lesson-panel');
  const sandbox = page.locator('#lesson podplay-sandbox');
  let p = (await panel.boundingBox())!;
  let s = (await sandbox.boundingBox())!;
  expect(p.x + p.width).toBeLessThanOrEqual(s.x);
  await page.setViewportSize({ width: 600, height: 900 });
  await expect.poll(async () => (await panel.boundingBox())!.width).toBeGreaterThan(500);
  p = (await panel.boundingBox())!;
  s = (await sandbox.boundingBox())!;
  expect(p.y + p.height).toBeLessThanOrEqual(s.y);
});

test('a course with broken lessons lists each file, line and problem, and its good lessons still load; a course that is not there says so', async ({ page }) => {
  test.setTimeout(120_000);
  const broken = fileURLToPath(new URL('../lessons/broken/', import.meta.url));
  await page.route('**/broken-course/**', async (route) => {
    const name = new URL(route.request().url()).pathname.split('/broken-course/')[1]!;
    const body = await readFile(broken + name, 'utf8').catch(() => undefined);
    await (body === undefined ? route.fulfill({ status: 404, body: 'not found' }) : route.fulfill({ body, contentType: 'text/plain' }));
  });
  await page.goto('/lesson.html?course=broken-course/&lesson=04-passes-untouched.md');
  const problems = page.locator('#lesson').getByTestId('lesson-problems');
  await expect(problems).toContainText('02-bad-blocks.md:18: check: unknown key equal: (did you mean equals?) in a kind: check');
  await expect(problems).toContainText('03-missing.md: course.yaml lists 03-missing.md, but');
  await expect(problems).toContainText('01-bad-front-matter.md:2: front matter:');
  await expect(page.locator('#lesson').getByTestId('lesson-title')).toHaveText('A check that is already true');

  await page.goto('/lesson.html?course=no-such-course/');
  await expect(page.locator('#lesson').getByTestId('lesson-problems')).toContainText('has no course.yaml listing its lessons');
  await expect(page.locator('#lesson').getByTestId('lesson-problems')).toContainText('the course could not be loaded:');
});
