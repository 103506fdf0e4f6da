/** The bench's browser. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';

/** Chromium at $PODPLAY_CHROMIUM or /usr/bin/chromium (else Playwright's own), headless; `extra` flags after the usual ones. */
export function launchChromium(extra: string[] = []): Promise<Browser> {
  const executablePath = [process.env.PODPLAY_CHROMIUM, '/usr/bin/chromium'].find((p) => p && existsSync(p));
  return chromium.launch({
    executablePath,
    // ForceEagerMeasureMemory: measureUserAgentSpecificMemory answers at once instead of at the next GC.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-blink-features=ForceEagerMeasureMemory', ...extra],
  });
}
