/**
 * Page boot: from navigation start to the first `el.exec('kubectl get nodes')`
 * that resolves with exit code 0, on bench/boot.html (one `<podplay-sandbox>`,
 * podplay.js from a copy of the production build). A first visit is a fresh
 * browser context (empty HTTP cache, IndexedDB, service workers); the cached
 * visit is a new tab of the same context once the first is closed.
 *
 * Served with the isolation headers, the page boots at once. Served without
 * them, its first visit registers podplay-sw.js, which caches the app and the
 * SDK and reloads the page once; that visit is timed from the first
 * navigation's start (the page keeps it in sessionStorage over the reload),
 * and the cached visit is served from the worker's cache.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';

export interface BootVisit {
  /** From the first navigation's start to exec's answer. */
  ms: number;
  /** From the last navigation's start (after the service worker's reload, when there was one). */
  pageMs: number;
  /** From the last navigation's start to the element's `ready`. */
  readyMs: number;
  reloaded: boolean;
  controlled: boolean;
}

interface BootReport extends Partial<BootVisit> {
  error?: string;
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  isolated?: boolean;
}

export interface BootRuns {
  first: BootVisit[];
  cached: BootVisit[];
  /** What `kubectl get nodes` printed, once. */
  stdout: string;
}

const TIMEOUT_MS = 180_000;

/** Opens the page in a new tab of `context` and waits for its report; `onRequest` hears every URL fetched until then. */
async function visit(context: BrowserContext, url: string, onRequest?: (url: string) => void): Promise<{ page: Page; report: BootReport }> {
  const page = await context.newPage();
  let done!: (r: BootReport) => void;
  const reported = new Promise<BootReport>((resolve) => (done = resolve));
  let finished = false;
  const listener = (req: { url(): string }) => !finished && onRequest?.(req.url());
  context.on('request', listener);
  page.on('pageerror', (err) => done({ error: `page error: ${err.message}` }));
  // Survives the service worker's reload, unlike a wait on the page's globals.
  await page.exposeFunction('podplayBootDone', (r: BootReport) => done(r));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<BootReport>((resolve) => (timer = setTimeout(() => resolve({ error: `no answer in ${TIMEOUT_MS / 1000} s` }), TIMEOUT_MS)));
  await page.goto(url);
  const report = await Promise.race([reported, timeout]);
  clearTimeout(timer);
  finished = true;
  context.off('request', listener);
  if (report.error) throw new Error(`${url}: ${report.error}`);
  if (report.exitCode !== 0) throw new Error(`${url}: kubectl get nodes exited ${report.exitCode}: ${report.stderr}`);
  if (!report.isolated) throw new Error(`${url}: the page was not cross-origin isolated`);
  return { page, report };
}

const visitOf = (r: BootReport): BootVisit => ({ ms: r.ms!, pageMs: r.pageMs!, readyMs: r.readyMs!, reloaded: !!r.reloaded, controlled: !!r.controlled });

/**
 * `runs` first visits, each in a fresh context, and a cached visit after each.
 * `serviceWorker`: the first visit must have gone through podplay-sw.js's
 * reload; before the cached visit the worker is given time to cache the rest
 * of the build (the page shows "Available offline").
 */
export async function bootRuns(browser: Browser, url: string, runs: number, serviceWorker: boolean): Promise<BootRuns> {
  const out: BootRuns = { first: [], cached: [], stdout: '' };
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    try {
      const first = await visit(context, url);
      if (serviceWorker !== first.report.reloaded) throw new Error(`${url}: expected ${serviceWorker ? 'one' : 'no'} reload by podplay-sw.js`);
      out.first.push(visitOf(first.report));
      out.stdout ||= first.report.stdout ?? '';
      if (serviceWorker) {
        await first.page
          .waitForFunction(() => document.querySelector('podplay-sandbox')?.shadowRoot?.getElementById('offline')?.hidden === false, undefined, { timeout: 60_000 })
          .catch(() => console.warn(`${url}: podplay-sw.js did not say "Available offline" within 60 s; the cached visit may fetch some files`));
      }
      await first.page.close();
      const cached = await visit(context, url);
      if (cached.report.reloaded || cached.report.controlled !== serviceWorker) throw new Error(`${url}: the cached visit was not ${serviceWorker ? 'served by' : 'free of'} podplay-sw.js`);
      out.cached.push(visitOf(cached.report));
      await cached.page.close();
    } finally {
      await context.close();
    }
  }
  return out;
}

/** The paths (from the site's root) of every file fetched by a first visit, by the page or its workers, until exec's answer. */
export async function fetchedAtBoot(browser: Browser, url: string): Promise<string[]> {
  const context = await browser.newContext();
  try {
    const origin = new URL(url).origin;
    const paths = new Set<string>();
    const { page } = await visit(context, url, (u) => {
      const parsed = new URL(u);
      if (parsed.origin === origin) paths.add(decodeURIComponent(parsed.pathname).replace(/^\//, ''));
    });
    await page.close();
    return [...paths].sort();
  } finally {
    await context.close();
  }
}
