/**
 * podplay-sw.js: the service worker a site copies to its root so podplay
 * runs on any static host (GitHub Pages, a plain file server) and offline.
 *
 * - Isolation: every response it serves gets `Cross-Origin-Opener-Policy:
 *   same-origin`, `Cross-Origin-Embedder-Policy` (`credentialless`, or
 *   `require-corp` where the page says the browser lacks it) and
 *   `Cross-Origin-Resource-Policy: cross-origin`, so the pages it controls are
 *   cross-origin isolated (SharedArrayBuffer, which @wasmer/sdk needs) and
 *   podplay's files can be embedded by an isolated page of another origin.
 * - Offline: podplay's build (listed in its `podplay-files.json`) is cached
 *   per version once a page has booted (what that page loaded is kept as it
 *   arrives); pages of the site and their own files are cached as they are
 *   visited and served from the cache when the network is gone.
 * - Updates: when `podplay-files.json` names a new version, the new build is
 *   cached beside the old one and pages are told it is ready; a page that
 *   asks switches to it, every page is told, and builds older than the one
 *   before it are deleted.
 *
 * Registered by podplay.js as `podplay-sw.js?assets=<podplay's folder>&coep=<mode>`.
 * Standalone on purpose: a classic script with no imports (every browser
 * runs classic service workers), so nothing here is shared with the page.
 */

interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(r: Response | Promise<Response>): void;
}
interface SwClient {
  postMessage(message: unknown, transfer?: Transferable[]): void;
}
interface MessageFromPage extends ExtendableEvent {
  data: { type?: string } | null;
  source: SwClient | null;
}
interface SwScope {
  location: Location;
  registration: { scope: string };
  clients: { claim(): Promise<void>; matchAll(o?: { includeUncontrolled?: boolean; type?: string }): Promise<SwClient[]> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEvent) => void): void;
  addEventListener(type: 'message', fn: (e: MessageFromPage) => void): void;
}

const sw = self as unknown as SwScope;
const params = new URL(sw.location.href).searchParams;
/** podplay's folder: the build that podplay.js was loaded from. */
const ASSETS = new URL(params.get('assets') || './', sw.location.href).href.replace(/\/?$/, '/');
const COEP = params.get('coep') === 'require-corp' ? 'require-corp' : 'credentialless';
const LIST_URL = `${ASSETS}podplay-files.json`;
/** One cache per build version, named for its folder too (two podplay folders on one site keep apart). */
const CACHE_PREFIX = `podplay:${ASSETS}:`;
const PAGES_CACHE = 'podplay-pages';
const META_CACHE = 'podplay-meta';
const CURRENT_KEY = `${ASSETS}.podplay-current`;
const PENDING_KEY = `${ASSETS}.podplay-pending`;

interface FileList {
  version: string;
  /** Cached whole once a page has booted. */
  files: string[];
  /** Large files (the client-go images' layer) cached when first fetched, not before. */
  lazy?: string[];
}

/** The response with the isolation headers (opaque responses cannot be changed and pass as they are). */
function isolate(res: Response): Response {
  if (res.status === 0) return res;
  const headers = new Headers(res.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', COEP);
  headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

async function readMeta(key: string): Promise<string | undefined> {
  const res = await (await caches.open(META_CACHE)).match(key);
  return res ? res.text() : undefined;
}

async function writeMeta(key: string, value: string | undefined): Promise<void> {
  const meta = await caches.open(META_CACHE);
  if (value === undefined) await meta.delete(key);
  else await meta.put(key, new Response(value));
}

async function fetchList(): Promise<FileList> {
  const res = await fetch(LIST_URL, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${LIST_URL}: HTTP ${res.status}`);
  return (await res.json()) as FileList;
}

/** Puts the files into the version's cache, skipping those it has. */
async function cacheFiles(version: string, files: string[]): Promise<void> {
  const cache = await caches.open(CACHE_PREFIX + version);
  const missing: string[] = [];
  for (const f of files) if (!(await cache.match(ASSETS + f))) missing.push(f);
  // A few at a time: the images are many small blobs and a few large ones.
  for (let i = 0; i < missing.length; i += 6) {
    await Promise.all(
      missing.slice(i, i + 6).map(async (f) => {
        const res = await fetch(ASSETS + f, { cache: 'no-cache' });
        if (!res.ok) throw new Error(`${ASSETS}${f}: HTTP ${res.status}`);
        await cache.put(ASSETS + f, res);
      }),
    );
  }
}

async function tellPages(message: unknown): Promise<void> {
  for (const client of await sw.clients.matchAll({ includeUncontrolled: true, type: 'window' })) client.postMessage(message);
}

/** The file list of a version, as cached with it. */
const LIST_KEY = (version: string) => `${ASSETS}.podplay-files-${version}`;

/** Caches all of the current build (the images too) and says so; the first time, the build on the server becomes current. */
async function cacheAll(): Promise<void> {
  let current = await readMeta(CURRENT_KEY);
  const list = await fetchList().catch(() => undefined);
  if (!list) return;
  if (!current) {
    current = list.version;
    await writeMeta(LIST_KEY(current), JSON.stringify([...list.files, ...(list.lazy ?? [])]));
    await writeMeta(CURRENT_KEY, current);
  }
  if (list.version !== current) return;
  await cacheFiles(current, list.files);
  await tellPages({ type: 'podplay-offline-ready', assets: ASSETS, version: current });
}

/** A new build on the server: cache it whole beside the current one, then tell the pages. */
async function checkForUpdate(): Promise<void> {
  const list = await fetchList();
  const current = await readMeta(CURRENT_KEY);
  if (!current) return;
  if (list.version === current) {
    await writeMeta(PENDING_KEY, undefined);
    return;
  }
  await cacheFiles(list.version, list.files);
  await writeMeta(LIST_KEY(list.version), JSON.stringify([...list.files, ...(list.lazy ?? [])]));
  await writeMeta(PENDING_KEY, list.version);
  await tellPages({ type: 'podplay-update-ready', assets: ASSETS, version: list.version });
}

/**
 * Switches to the downloaded build. The build before it stays cached (a tab
 * still running it loads what it loads later from there) and every page is
 * told, so one that runs an older build can offer a reload; older builds go.
 */
async function activatePending(): Promise<string | undefined> {
  const pending = await readMeta(PENDING_KEY);
  const current = await readMeta(CURRENT_KEY);
  if (!pending || pending === current) {
    await writeMeta(PENDING_KEY, undefined);
    return current;
  }
  await writeMeta(CURRENT_KEY, pending);
  await writeMeta(PENDING_KEY, undefined);
  const keep = new Set([CACHE_PREFIX + pending, CACHE_PREFIX + current]);
  for (const name of await caches.keys()) if (name.startsWith(CACHE_PREFIX) && !keep.has(name)) await caches.delete(name);
  await tellPages({ type: 'podplay-activated', assets: ASSETS, version: pending });
  return pending;
}

/**
 * podplay's own files: from the current build's cache, then an earlier
 * build's (a tab that started before an update), else the network; a file
 * the current build lists is cached as it arrives.
 */
async function fromBuild(event: FetchEvent): Promise<Response> {
  const req = event.request;
  const current = await readMeta(CURRENT_KEY);
  const cache = current ? await caches.open(CACHE_PREFIX + current) : undefined;
  const hit = (await cache?.match(req, { ignoreSearch: true })) ?? (await caches.match(req, { ignoreSearch: true }));
  if (hit) return isolate(hit);
  const res = await fetch(req);
  const listed = current ? (JSON.parse((await readMeta(LIST_KEY(current))) ?? '[]') as string[]) : [];
  if (res.ok && cache && listed.includes(new URL(req.url).pathname.slice(new URL(ASSETS).pathname.length))) {
    const copy = res.clone(); // before isolate() takes the body
    event.waitUntil(cache.put(req, copy).catch(() => undefined));
  }
  return isolate(res);
}

/** Where kubectl port-forward's ports are in a browser: `<scope>podplay-port/<port>/…` (see src/ui/page-ports.ts). */
const PORT_PREFIX = `${new URL(sw.registration.scope).pathname}podplay-port/`;
const PORT_TIMEOUT_MS = 60_000;
const PORT_ACK_MS = 2_000;

/** A request to a forwarded port: the page that forwards it answers for the pod, whichever page asks. */
async function forwarded(req: Request, url: URL): Promise<Response> {
  const [portText = '', ...rest] = url.pathname.slice(PORT_PREFIX.length).split('/');
  const port = Number(portText);
  const text = (status: number, message: string) => new Response(`${message}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  if (!Number.isInteger(port) || port <= 0) return text(404, `podplay: ${url.pathname} names no port: forwarded ports are ${PORT_PREFIX}<port>/`);
  const message = {
    type: 'podplay-port-request',
    port,
    method: req.method,
    path: `/${rest.join('/')}${url.search}`,
    host: `localhost:${port}`,
    headers: [...req.headers],
    body: req.method === 'GET' || req.method === 'HEAD' ? new ArrayBuffer(0) : await req.arrayBuffer(),
  };
  type Answer = { ack?: boolean; handled?: boolean; status?: number; statusText?: string; headers?: Array<[string, string]>; body?: ArrayBuffer };
  // Each page says at once whether it forwards the port (pages without podplay say nothing), then the owner answers.
  for (const client of await sw.clients.matchAll({ includeUncontrolled: true, type: 'window' })) {
    const channel = new MessageChannel();
    const answer = await new Promise<Answer | undefined>((resolve) => {
      let timer = setTimeout(() => resolve(undefined), PORT_ACK_MS);
      channel.port1.onmessage = (e) => {
        const a = e.data as Answer;
        clearTimeout(timer);
        if (a.ack) timer = setTimeout(() => resolve({ handled: true, status: 504, statusText: 'Gateway Timeout', headers: [['Content-Type', 'text/plain; charset=utf-8']], body: new TextEncoder().encode(`podplay: the pod did not answer on port ${port} within ${PORT_TIMEOUT_MS / 1000} s\n`).buffer }), PORT_TIMEOUT_MS);
        else resolve(a);
      };
      client.postMessage(message, [channel.port2]);
    });
    if (answer?.handled) return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  }
  return text(502, `podplay: no open page forwards port ${port} now: run kubectl port-forward again in the podplay page`);
}

/** What a page cache keeps: whole pages and the site's own files, nothing private, streamed or partial. */
function keepable(req: Request, res: Response): boolean {
  if (!res.ok || res.status !== 200 || res.type !== 'basic') return false;
  if (/no-store|private/i.test(res.headers.get('cache-control') ?? '')) return false;
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) return false;
  return req.mode === 'navigate' || ['style', 'script', 'image', 'font', 'manifest', ''].includes(req.destination);
}

/** Pages and the site's other files: the network first (handed on at once, kept on the side), the cache when it is gone. */
async function networkFirst(event: FetchEvent): Promise<Response> {
  const req = event.request;
  try {
    const res = await fetch(req);
    if (keepable(req, res)) {
      const copy = res.clone(); // before isolate() takes the body
      event.waitUntil(caches.open(PAGES_CACHE).then((c) => c.put(req, copy)).catch(() => undefined));
    }
    return isolate(res);
  } catch (err) {
    const hit = await caches.match(req, { ignoreSearch: req.mode === 'navigate' });
    if (hit) return isolate(hit);
    if (req.mode === 'navigate') {
      return isolate(new Response(`<!doctype html><meta charset="utf-8"><title>Offline</title><p>You are offline, and this page was not saved on an earlier visit.</p>`, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } }));
    }
    throw err;
  }
}

// Take over at once: the page waits to reload under this worker. Caching starts once a page has booted (podplay-hello).
sw.addEventListener('install', () => void sw.skipWaiting());

sw.addEventListener('activate', (event) => {
  event.waitUntil(sw.clients.claim());
});

sw.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin === sw.location.origin && url.pathname.startsWith(PORT_PREFIX)) return event.respondWith(forwarded(req, url));
  if (req.method !== 'GET' && req.mode !== 'navigate') return;
  if (url.origin !== sw.location.origin) return;
  if (url.href === LIST_URL) return;
  if (req.mode !== 'navigate' && url.href.startsWith(ASSETS)) event.respondWith(fromBuild(event));
  else event.respondWith(req.method === 'GET' ? networkFirst(event) : fetch(req).then(isolate));
});

sw.addEventListener('message', (event) => {
  const type = event.data?.type;
  const reply = (message: unknown) => event.source?.postMessage(message);
  if (type === 'podplay-hello') {
    // A page booted: cache the rest of the build, then look for a newer one.
    event.waitUntil(
      (async () => {
        reply({ type: 'podplay-state', assets: ASSETS, current: await readMeta(CURRENT_KEY), pending: await readMeta(PENDING_KEY) });
        await cacheAll().catch(() => undefined);
        await checkForUpdate().catch(() => undefined);
      })(),
    );
  } else if (type === 'podplay-activate') {
    event.waitUntil(activatePending().then((version) => reply({ type: 'podplay-activated', assets: ASSETS, version })));
  }
});
