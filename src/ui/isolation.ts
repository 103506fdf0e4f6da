/**
 * Cross-origin isolation, which @wasmer/sdk needs (SharedArrayBuffer): a
 * page that has it goes on; a page that lacks it gets podplay-sw.js
 * registered (it serves the site's responses with the isolation headers)
 * and reloads once. Where that cannot work, the result names the case and
 * what the site's owner can do; nothing waits forever.
 */

export type IsolationCase =
  | 'isolated'
  /** The service worker was just registered: the page is reloading. */
  | 'reloading'
  | 'file'
  | 'insecure'
  | 'no-service-worker'
  | 'service-worker-refused'
  | 'service-worker-missing'
  | 'service-worker-conflict'
  | 'frame-not-allowed'
  | 'parent-not-isolated'
  | 'still-not-isolated';

export interface Isolation {
  case: IsolationCase;
  /** What the reader sees: what is wrong and what the site owner can do. */
  message: string;
}

export interface IsolationOptions {
  /** podplay's folder (where podplay-sw.js also is in the build). */
  assets: string;
  /** podplay-sw.js's URL when the site put it somewhere else than its root. */
  serviceWorker?: string;
}

const HEADERS = '`Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp` (or `credentialless`)';
const RELOAD_FLAG = 'podplay-isolation-reload';

/**
 * The mark that this tab has just reloaded to be isolated: in sessionStorage,
 * or, where a frame of another origin is refused it, in `window.name` (which
 * a reload keeps); either way it is removed once read.
 */
const reloadMark = {
  NAME: '\u2063podplay-reloaded:',
  get(): number {
    try {
      const v = sessionStorage.getItem(RELOAD_FLAG);
      if (v) return Number(v);
    } catch {
      /* refused: window.name below */
    }
    const i = window.name.indexOf(this.NAME);
    return i < 0 ? 0 : Number(window.name.slice(i + this.NAME.length));
  },
  set(at: number | undefined): void {
    try {
      if (at === undefined) sessionStorage.removeItem(RELOAD_FLAG);
      else sessionStorage.setItem(RELOAD_FLAG, String(at));
      if (at !== undefined) return;
    } catch {
      /* refused: window.name */
    }
    const i = window.name.indexOf(this.NAME);
    const base = i < 0 ? window.name : window.name.slice(0, i);
    window.name = at === undefined ? base : `${base}${this.NAME}${at}`;
  },
};

const fail = (c: IsolationCase, message: string): Isolation => ({ case: c, message: `podplay cannot run here: ${message}` });

/** Which isolation headers the page's own response lacks (asked of the server again; both when it cannot be asked). */
async function missingHeaders(): Promise<string[]> {
  const missing: string[] = [];
  try {
    const res = await fetch(location.href, { cache: 'no-store' });
    if (res.headers.get('cross-origin-opener-policy')?.trim() !== 'same-origin') missing.push('Cross-Origin-Opener-Policy: same-origin');
    const coep = res.headers.get('cross-origin-embedder-policy')?.trim();
    if (coep !== 'require-corp' && coep !== 'credentialless') missing.push('Cross-Origin-Embedder-Policy: require-corp');
  } catch {
    return ['Cross-Origin-Opener-Policy: same-origin', 'Cross-Origin-Embedder-Policy: require-corp'];
  }
  return missing;
}

/** "The server sends neither …" / "… does not send …", for the cases where the headers are the way out. */
async function headersSentence(): Promise<string> {
  const missing = await missingHeaders();
  if (missing.length === 0) return 'The server sends the isolation headers, yet the page is not isolated.';
  return `The server does not send ${missing.map((h) => `"${h}"`).join(' or ')}.`;
}

/** Whether this browser takes `Cross-Origin-Embedder-Policy: credentialless` (Chromium 96+, Firefox 119+), which keeps a docs page's cross-origin images working. */
export function supportsCredentialless(): boolean {
  if ('credentialless' in (globalThis.HTMLIFrameElement?.prototype ?? {})) return true;
  const firefox = /Firefox\/(\d+)/.exec(globalThis.navigator?.userAgent ?? '');
  return !!firefox && Number(firefox[1]) >= 119;
}

/** Where podplay-sw.js may be: the one given, else the site's root and each folder down to the page's, then beside podplay.js. */
export function serviceWorkerCandidates(pageUrl: string, assets: string, given?: string): string[] {
  if (given) return [new URL(given, pageUrl).href];
  const page = new URL(pageUrl);
  const dirs = page.pathname.split('/').slice(0, -1);
  const out: string[] = [];
  for (let i = 1; i <= dirs.length; i++) out.push(new URL(`${dirs.slice(0, i).join('/')}/podplay-sw.js`, page.origin).href);
  const beside = new URL('podplay-sw.js', assets).href;
  // A worker beside podplay.js can only control pages under podplay's folder.
  if (!out.includes(beside) && page.href.startsWith(new URL('./', beside).href)) out.push(beside);
  return out;
}

/** The podplay-sw.js registration URL: its parameters tell it podplay's folder and the COEP mode. */
export function workerRegistrationUrl(candidate: string, assets: string): string {
  const url = new URL(candidate);
  url.searchParams.set('assets', new URL(assets).pathname);
  url.searchParams.set('coep', supportsCredentialless() ? 'credentialless' : 'require-corp');
  return url.href;
}

/** Whether this page is a frame of another page. */
export function inFrame(): boolean {
  try {
    return window.top !== window.self;
  } catch {
    return true;
  }
}

/** In a frame: whether the frame's owner let it be isolated, and whether the top page is (when it can be asked). */
function frameCase(): Isolation | undefined {
  const policy = (document as { featurePolicy?: { allowsFeature(f: string): boolean } }).featurePolicy;
  if (policy && !policy.allowsFeature('cross-origin-isolated')) {
    return fail('frame-not-allowed', `this page is in an <iframe> that does not allow cross-origin isolation. The page that embeds it must give the frame allow="cross-origin-isolated" (and be cross-origin isolated itself).`);
  }
  let topIsolated: boolean | undefined;
  try {
    topIsolated = (window.top as Window & { crossOriginIsolated?: boolean }).crossOriginIsolated;
  } catch {
    topIsolated = undefined; // another origin: it cannot be asked
  }
  if (topIsolated === false) return parentNotIsolated();
  return undefined;
}

const parentNotIsolated = () =>
  fail(
    'parent-not-isolated',
    `this page is in an <iframe> of a page that is not cross-origin isolated, and a frame can only be isolated when the page around it is. ` +
      `The embedding page must be served with ${HEADERS} (or register podplay-sw.js on its own site), and its <iframe> must have allow="cross-origin-isolated".`,
  );

let once: Promise<Isolation> | undefined;

/** Makes the page cross-origin isolated if it can (once per page, whatever number of sandboxes ask). */
export function ensureIsolation(options: IsolationOptions): Promise<Isolation> {
  return (once ??= isolate(options));
}

async function isolate(options: IsolationOptions): Promise<Isolation> {
  if (globalThis.crossOriginIsolated) {
    reloadMark.set(undefined);
    return { case: 'isolated', message: '' };
  }
  if (location.protocol === 'file:') {
    return fail('file', `this page was opened from a file (file://), where browsers allow neither service workers nor cross-origin isolation. Serve the folder over HTTP instead: python3 -m http.server, or npx vite preview.`);
  }
  const framed = inFrame();
  if (framed) {
    const c = frameCase();
    if (c) return c;
  }
  if (!isSecureContext) {
    return fail('insecure', `this page is served over plain http from ${location.host}, and browsers isolate only secure pages. Serve it over https (or from localhost).`);
  }
  if (!('serviceWorker' in navigator)) {
    return fail('no-service-worker', `this page is not cross-origin isolated and this browser (or its settings) offers no service workers to fix that. ${await headersSentence()} Serve the page with ${HEADERS}.`);
  }
  const controller = navigator.serviceWorker.controller;
  const reloadedAt = reloadMark.get();
  // Reloaded once already and still not isolated: never reload again, whoever controls the page.
  if (Date.now() - reloadedAt < 30_000) {
    reloadMark.set(undefined);
    if (framed) return parentNotIsolated();
    if (!controller?.scriptURL.includes('podplay-sw.js')) {
      return fail('service-worker-conflict', `podplay-sw.js was registered, but after the reload ${controller ? `another service worker (${new URL(controller.scriptURL).pathname}) controls this page` : 'no service worker controls this page (a reload that bypassed it, or developer tools set to bypass workers)'}. ${await headersSentence()} Serve the page with ${HEADERS}, or reload it normally.`);
    }
    return fail('still-not-isolated', `podplay-sw.js serves this page with the isolation headers, yet the browser did not isolate it (it may not support cross-origin isolation through a service worker). Serve the page with ${HEADERS} instead.`);
  }
  const candidates = serviceWorkerCandidates(location.href, options.assets, options.serviceWorker);
  const errors: string[] = [];
  for (const candidate of candidates) {
    // A site's own service worker at that scope would be replaced: never do that.
    const existing = await navigator.serviceWorker.getRegistration(new URL('./', candidate).href).catch(() => undefined);
    const theirs = existing && [existing.active, existing.waiting, existing.installing].find((w) => w && !w.scriptURL.includes('podplay-sw.js'));
    if (theirs && new URL(existing!.scope).pathname === new URL('./', candidate).pathname) {
      return fail(
        'service-worker-conflict',
        `this page is not cross-origin isolated, and this site already has a service worker (${new URL(theirs.scriptURL).pathname}) where podplay-sw.js would go; podplay does not replace it. ` +
          `Have that worker add the isolation headers to its responses (as podplay-sw.js does), or serve the pages with ${HEADERS}.`,
      );
    }
    let registration: ServiceWorkerRegistration;
    try {
      registration = await navigator.serviceWorker.register(workerRegistrationUrl(candidate, options.assets));
    } catch (err) {
      errors.push(`${new URL(candidate).pathname}: ${(err as Error).message}`);
      // Refused outright (a private window, a policy): no other place will do better.
      if ((err as Error).name === 'SecurityError') {
        return fail('service-worker-refused', `this page is not cross-origin isolated and the browser refused podplay's service worker (${(err as Error).message}); private windows often do. ${await headersSentence()} Open the page in a normal window, or serve it with ${HEADERS}.`);
      }
      continue;
    }
    if (!location.href.startsWith(registration.scope)) {
      await registration.unregister();
      return fail(
        'service-worker-missing',
        `podplay-sw.js at ${new URL(candidate).pathname} can only serve pages under ${new URL(registration.scope).pathname}, and this page is not one of them. ` +
          `Put podplay-sw.js at the site's root (or in a folder above this page), or serve it with the header "Service-Worker-Allowed: /".`,
      );
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const active = await Promise.race([navigator.serviceWorker.ready.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), 30_000)))]);
    clearTimeout(timer);
    if (!active) {
      return fail('service-worker-refused', `podplay-sw.js at ${new URL(candidate).pathname} was registered but did not start within 30 s. ${await headersSentence()} Reload the page, or serve it with ${HEADERS}.`);
    }
    // The registration that will control this page must be podplay's (a site's worker with a deeper scope would win).
    const controlling = await navigator.serviceWorker.getRegistration(location.href).catch(() => undefined);
    const script = controlling?.active?.scriptURL ?? controlling?.installing?.scriptURL ?? controlling?.waiting?.scriptURL;
    if (script && !script.includes('podplay-sw.js')) {
      return fail(
        'service-worker-conflict',
        `this page is not cross-origin isolated, and this site's own service worker (${new URL(script).pathname}) controls it, not podplay-sw.js; podplay does not replace it. ` +
          `Have that worker add the isolation headers to its responses (as podplay-sw.js does), or serve the pages with ${HEADERS}.`,
      );
    }
    reloadMark.set(Date.now());
    location.reload();
    return { case: 'reloading', message: 'Turning on cross-origin isolation (podplay-sw.js): reloading once…' };
  }
  return fail(
    'service-worker-missing',
    `this page is not cross-origin isolated, and podplay-sw.js was not found at ${candidates.map((c) => new URL(c).pathname).join(' or ')} (${errors.at(-1) ?? 'no place to look'}). ${await headersSentence()} ` +
      `Copy podplay-sw.js from podplay's build to your site's root (or name it with the service-worker attribute), or serve the pages with ${HEADERS}.`,
  );
}
