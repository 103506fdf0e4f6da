/**
 * Cross-origin isolation in the places a sandbox can land: an <iframe> of
 * another origin inside an isolated page, inside a page that is not
 * isolated, in a frame that was not allowed isolation, a site that forgot
 * podplay-sw.js, and a page opened from a file. Each case that cannot run
 * says exactly which case it is and what the site owner can do, and its
 * `ready` rejects; nothing waits at "Starting…".
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, expect, test, type Frame, type Page } from '@playwright/test';
import { chromiumArgs } from '../../playwright.config.ts';
import { ISOLATION_HEADERS, assembleSite, serveWithHeaders, servePlain, type Served, type Site } from '../helpers/static-site.ts';
import { exec, ready, readyError, statusOf } from './element-helpers.ts';

let site: Site;
const servers: Served[] = [];

test.beforeEach(() => {
  site = assembleSite();
});

test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  site.remove();
});

/**
 * podplay's host for the frame: another origin, on another port of the same
 * host (as podplay.example.org beside docs.example.org: the same site), or
 * with `otherSite` another site (`localhost` where the parent is `127.0.0.1`).
 */
async function podplayHost(headers: Record<string, string>, otherSite = false): Promise<string> {
  const s = await serveWithHeaders(site.dir, headers);
  servers.push(s);
  return otherSite ? s.url.replace('127.0.0.1', 'localhost') : s.url;
}

/** The embedding page: an <iframe> of `src`, served with `headers`. */
async function parentPage(src: string, allow: boolean, headers: Record<string, string>): Promise<string> {
  site.write('parent.html', `<!doctype html><meta charset="utf-8"><title>A course page</title><h1>Embedded</h1><iframe id="frame" src="${src}" ${allow ? 'allow="cross-origin-isolated"' : ''} width="900" height="700"></iframe>`);
  const s = await serveWithHeaders(site.dir, headers);
  servers.push(s);
  return `${s.url}parent.html`;
}

async function frameOf(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('#frame');
  for (;;) {
    const frame = await handle.contentFrame();
    if (frame && frame.url() !== 'about:blank') return frame;
    await page.waitForTimeout(100);
  }
}

/** Podplay's frame, after any reload it made of itself. */
async function settledFrame(page: Page, id: string): Promise<Frame> {
  for (let i = 0; i < 50; i++) {
    const frame = await frameOf(page);
    try {
      await frame.waitForFunction((x) => !!document.getElementById(x)?.shadowRoot?.getElementById('cluster-status')?.textContent?.match(/ready|cannot/i), id, { timeout: 60_000 });
      return frame;
    } catch (err) {
      if (!/detached|destroyed|navigat/i.test((err as Error).message)) throw err;
      await page.waitForTimeout(200);
    }
  }
  throw new Error('the frame never settled');
}

const CORP = { 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'cross-origin' };

test('an <iframe> of another origin in a cross-origin isolated page runs (allow="cross-origin-isolated", podplay served with COEP and CORP)', async ({ page }) => {
  const host = await podplayHost(CORP);
  await page.goto(await parentPage(`${host}podplay/index.html`, true, ISOLATION_HEADERS));
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const frame = await settledFrame(page, 'playground');
  await ready(frame, 'playground');
  expect(await frame.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(new URL(frame.url()).origin).not.toBe(new URL(page.url()).origin);
  expect(await exec(frame, 'playground', 'kubectl get nodes -o name')).toEqual({ stdout: 'node/node-1\nnode/node-2\nnode/node-3\n', stderr: '', exitCode: 0 });
});

test('an <iframe> of another site, where the browser blocks storage for embedded sites, says so and what to do', async ({ page }) => {
  const host = await podplayHost(CORP, true);
  await page.goto(await parentPage(`${host}podplay/index.html`, true, ISOLATION_HEADERS));
  const frame = await settledFrame(page, 'playground');
  await expect(statusOf(frame, 'playground')).toHaveText(
    /^podplay cannot keep its images here: the browser refused IndexedDB \(.+\)\. This page is a frame of another site, and the browser blocks storage for embedded sites \(as private windows and strict privacy settings do\): open podplay in a tab of its own, or allow this site to store data \(third-party cookies\) in the browser\.$/,
  );
  expect(await readyError(frame, 'playground')).toMatchObject({ code: 'StorageRefused' });
});

test('an <iframe> in a page that is not isolated says so: the parent needs the headers, the frame allow="cross-origin-isolated"', async ({ page }) => {
  const host = await podplayHost(CORP);
  await page.goto(await parentPage(`${host}podplay/index.html`, true, {}));
  const frame = await settledFrame(page, 'playground');
  await expect(statusOf(frame, 'playground')).toHaveText(
    'podplay cannot run here: this page is in an <iframe> of a page that is not cross-origin isolated, and a frame can only be isolated when the page around it is. ' +
      'The embedding page must be served with `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp` (or `credentialless`) (or register podplay-sw.js on its own site), and its <iframe> must have allow="cross-origin-isolated".',
  );
  expect(await readyError(frame, 'playground')).toMatchObject({ code: 'CrossOriginIsolationMissing' });
  await expect(frame.locator('#playground').getByTestId('reset')).toBeDisabled();
  await expect(frame.locator('#playground #run')).toBeHidden();
});

test('an <iframe> without allow="cross-origin-isolated" in an isolated page says what the frame lacks', async ({ page }) => {
  const host = await podplayHost(CORP);
  await page.goto(await parentPage(`${host}podplay/index.html`, false, ISOLATION_HEADERS));
  const frame = await settledFrame(page, 'playground');
  await expect(statusOf(frame, 'playground')).toHaveText(/this page is in an <iframe> that does not allow cross-origin isolation\. The page that embeds it must give the frame allow="cross-origin-isolated"/);
  expect(await readyError(frame, 'playground')).toMatchObject({ code: 'CrossOriginIsolationMissing' });
});

for (const [sent, missing] of [
  [{}, 'The server does not send "Cross-Origin-Opener-Policy: same-origin" or "Cross-Origin-Embedder-Policy: require-corp".'],
  [{ 'Cross-Origin-Opener-Policy': 'same-origin' }, 'The server does not send "Cross-Origin-Embedder-Policy: require-corp".'],
] as const) {
  test(`a site without podplay-sw.js and without isolation says where it looked and which headers are missing (${Object.keys(sent).join(', ') || 'no headers'})`, async ({ page }) => {
    const bare = assembleSite({ serviceWorker: false });
    // Only podplay's own copy (beside podplay.js) exists, and it cannot serve pages outside podplay/.
    const s = await serveWithHeaders(bare.dir, sent);
    servers.push(s);
    try {
      await page.goto(`${s.url}index.html`);
      await expect(statusOf(page, 'lesson')).toHaveText(/^podplay cannot run here: this page is not cross-origin isolated, and podplay-sw\.js was not found at \/podplay-sw\.js \(.*\)\. /);
      const text = await statusOf(page, 'lesson').textContent();
      expect(text).toContain(missing);
      expect(text).toContain('Copy podplay-sw.js from podplay\'s build to your site\'s root (or name it with the service-worker attribute), or serve the pages with');
      expect(await readyError(page, 'lesson')).toMatchObject({ code: 'CrossOriginIsolationMissing' });
      await expect(page.locator('#lesson').getByTestId('reset')).toBeDisabled();
      expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
    } finally {
      bare.remove();
    }
  });
}

test('the service-worker attribute names where podplay-sw.js is when it is not at the root', async ({ page }) => {
  const bare = assembleSite({ serviceWorker: false });
  bare.write('index.html', (await (await import('node:fs/promises')).readFile(join(bare.dir, 'index.html'), 'utf8')).replace('<podplay-sandbox id="lesson"', '<podplay-sandbox id="lesson" service-worker="./sw/podplay-sw.js"'));
  (await import('node:fs')).cpSync(join(bare.dir, 'podplay/podplay-sw.js'), join(bare.dir, 'sw/podplay-sw.js'));
  const s = await servePlain(bare.dir);
  servers.push(s);
  try {
    await page.goto(`${s.url}index.html`);
    // A worker in /sw/ can only serve pages under /sw/: the page says so rather than waiting.
    await expect(statusOf(page, 'lesson')).toHaveText(
      'podplay cannot run here: podplay-sw.js at /sw/podplay-sw.js can only serve pages under /sw/, and this page is not one of them. ' +
        'Put podplay-sw.js at the site\'s root (or in a folder above this page), or serve it with the header "Service-Worker-Allowed: /".',
    );
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
  } finally {
    bare.remove();
  }
});

test('a page opened from a file says that file:// cannot be isolated and how to serve the folder instead', async () => {
  // Chromium runs module scripts from file:// only with this switch; without it podplay.js cannot load at all.
  const browser = await chromium.launch({ executablePath: test.info().project.use.launchOptions?.executablePath, args: [...chromiumArgs, '--allow-file-access-from-files'] });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(site.dir, 'index.html')).href);
    await expect(statusOf(page, 'lesson')).toHaveText(
      'podplay cannot run here: this page was opened from a file (file://), where browsers allow neither service workers nor cross-origin isolation. Serve the folder over HTTP instead: python3 -m http.server, or npx vite preview.',
    );
  } finally {
    await browser.close();
  }
});
