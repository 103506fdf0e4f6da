import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * Browser tests run in real Chromium against the production build with the
 * test pages (dist-test/, `vite build --mode test`) served by `vite preview`;
 * the docs-site tests serve dist/ itself from a plain static server, and the
 * dev server is covered by test/browser/dev-server.spec.ts.
 * Chromium is found at $PODPLAY_CHROMIUM, else /usr/bin/chromium, else
 * Playwright's own browser where one is installed.
 */
const candidates = [process.env.PODPLAY_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
const executablePath = candidates.find((p) => existsSync(p));

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export default defineConfig({
  testDir: 'test/browser',
  timeout: 120_000,
  expect: { timeout: 60_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: 'http://127.0.0.1:4173',
    browserName: 'chromium',
    launchOptions: { executablePath, args: chromiumArgs },
  },
  webServer: {
    command: 'npx vite preview --outDir dist-test --host 127.0.0.1 --port 4173 --strictPort',
    url: 'http://127.0.0.1:4173',
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
