/** Driving a `<podplay-sandbox>` from a test: through its public API and what its shadow root shows. */
import type { Frame, Page } from '@playwright/test';

type Where = Page | Frame;

interface SandboxEl extends HTMLElement {
  ready: Promise<void>;
  exec(line: string): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  get(kind: string, name?: string, namespace?: string): Promise<unknown>;
  session?: { save(): Promise<void>; restored: { kind: string; reason?: string; key?: string } };
}

/**
 * Resolves when the element with this id is ready, or rejects with its
 * error. A page that is not isolated yet reloads once under podplay-sw.js:
 * the wait goes on in the reloaded page.
 */
export async function ready(where: Where, id: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await where.waitForFunction((i) => !!document.getElementById(i) && customElements.get('podplay-sandbox'), id, { timeout: 30_000 });
      return await where.evaluate((i) => (document.getElementById(i) as unknown as SandboxEl).ready, id);
    } catch (err) {
      if (attempt < 3 && /context was destroyed|navigation/i.test((err as Error).message)) {
        await where.waitForLoadState('load');
        continue;
      }
      throw err;
    }
  }
}

export function exec(where: Where, id: string, line: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  return where.evaluate(([i, l]) => (document.getElementById(i!) as unknown as SandboxEl).exec(l!), [id, line] as const);
}

export function getObject<T = Record<string, any>>(where: Where, id: string, kind: string, name?: string): Promise<T | undefined> {
  return where.evaluate(([i, k, n]) => (document.getElementById(i!) as unknown as SandboxEl).get(k!, n), [id, kind, name] as const) as Promise<T | undefined>;
}

/** Saves the sandbox's state now (it also saves by itself soon after each change). */
export function save(where: Where, id: string): Promise<void> {
  return where.evaluate((i) => (document.getElementById(i) as unknown as SandboxEl).session!.save(), id);
}

/** The visible rows of a sandbox's terminal (scrolled into view first: xterm does not draw a terminal out of sight). */
export async function screenOf(where: Where, id: string): Promise<string> {
  const rows = where.locator(`#${id}`).locator('[data-testid=terminal] .xterm-rows');
  await rows.scrollIntoViewIfNeeded();
  return (await rows.innerText()).replace(/\u00a0/g, ' ');
}

/** The text of the element's status line (its shadow root's `cluster-status`). */
export function statusOf(where: Where, id: string) {
  return where.locator(`#${id}`).getByTestId('cluster-status');
}

export function noticesOf(where: Where, id: string) {
  return where.locator(`#${id}`).getByTestId('notices');
}

/** Whether the element's `ready` rejected, and with what. */
export function readyError(where: Where, id: string): Promise<{ code?: string; message: string } | undefined> {
  return where.evaluate((i) =>
    (document.getElementById(i) as unknown as SandboxEl).ready.then(
      () => undefined,
      (err: Error & { code?: string }) => ({ code: err.code, message: err.message }),
    ),
  id);
}
