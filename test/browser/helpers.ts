import { expect, type Page } from '@playwright/test';

export interface RunSummary {
  id: string;
  exitCode: number;
  reason: string;
  stdout: string;
  stderr: string;
  error?: { code?: string; message: string };
  lines: Array<{ at: number; text: string }>;
}

export interface RunOpts {
  args?: string[];
  command?: string[];
  env?: Record<string, string>;
  stdin?: string;
  timeoutMs?: number;
  killAfterLines?: number;
}

/** The tests' page: the playground's element and the test hook (test/pages/hook.html, built into dist-test/ only). */
export const TEST_PAGE = '/test/pages/hook.html';

/** Opens the test page and waits until its first container (podplay/hello) has run. */
export async function openPlayground(page: Page, path = TEST_PAGE): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId('exit')).toHaveText(/exited with code \d+/, { timeout: 90_000 });
}

/** Runs a container through the page's test hook (window.podplay). */
export function run(page: Page, image: string, opts: RunOpts = {}): Promise<RunSummary> {
  return page.evaluate(([i, o]) => (window as unknown as { podplay: { run(i: string, o: RunOpts): Promise<RunSummary> } }).podplay.run(i, o), [image, opts] as const);
}

export function hook<T>(page: Page, fn: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(([f, a]) => (window as unknown as Record<string, Record<string, (...x: unknown[]) => Promise<unknown>>>).podplay[f as string]!(...(a as unknown[])), [fn, args] as const) as Promise<T>;
}

export const sh = (page: Page, script: string, opts: RunOpts = {}) => run(page, 'podplay/toolbox', { ...opts, args: ['sh', '-c', script] });
