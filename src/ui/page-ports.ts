/**
 * kubectl port-forward in a browser: there are no TCP ports to listen on,
 * so a forwarded port is a URL on the page's own origin,
 * `<podplay-sw.js's scope>podplay-port/<port>/`, which podplay-sw.js serves:
 * each request to it (a new tab opened there, a fetch) comes to this page as
 * a message, goes to the pod as one HTTP/1.1 connection through kubectl's
 * forwarding, and the pod's answer goes back as the response. A page whose
 * isolation comes from its server's headers has no podplay-sw.js yet: it is
 * registered on the first port-forward.
 */
import type { LocalConnection, PortListener } from '../cli/index.ts';
import { parseHttpResponse } from '../sandbox/index.ts';
import { serviceWorkerCandidates, workerRegistrationUrl } from './isolation.ts';

const REQUEST = 'podplay-port-request';
const PREFIX = 'podplay-port/';

interface PortRequest {
  type: typeof REQUEST;
  port: number;
  method: string;
  /** Path and query under the port's URL. */
  path: string;
  host: string;
  headers: Array<[string, string]>;
  body: ArrayBuffer;
}

/** Ports forwarded by every sandbox of this page, by port number. */
const forwarded = new Map<number, (conn: LocalConnection) => void>();
let listening = false;

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

function listenToWorker(): void {
  if (listening || !navigator.serviceWorker) return;
  listening = true;
  navigator.serviceWorker.addEventListener('message', (e: MessageEvent) => {
    const m = e.data as PortRequest | undefined;
    const reply = e.ports[0];
    if (m?.type !== REQUEST || !reply) return;
    const accept = forwarded.get(m.port);
    if (!accept) return reply.postMessage({ handled: false });
    reply.postMessage({ ack: true });
    let head = `${m.method} ${m.path} HTTP/1.1\r\nHost: ${m.host}\r\n`;
    for (const [k, v] of m.headers) if (!HOP_BY_HOP.has(k.toLowerCase())) head += `${k}: ${v}\r\n`;
    if (m.body.byteLength) head += `Content-Length: ${m.body.byteLength}\r\n`;
    head += 'Connection: close\r\n\r\n';
    const chunks: Uint8Array[] = [];
    const conn: LocalConnection = {
      send: (bytes) => void chunks.push(bytes.slice()),
      end: () => {
        const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          all.set(c, at);
          at += c.length;
        }
        try {
          const r = parseHttpResponse(all);
          const headers = r.headers.filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase()));
          const body = r.body.buffer.slice(r.body.byteOffset, r.body.byteOffset + r.body.byteLength) as ArrayBuffer;
          reply.postMessage({ handled: true, status: r.statusCode, statusText: r.statusText, headers, body }, [body]);
        } catch (err) {
          reply.postMessage({ handled: true, status: 502, statusText: 'Bad Gateway', headers: [['Content-Type', 'text/plain; charset=utf-8']], body: new TextEncoder().encode(`podplay: the pod's answer on port ${m.port} was not HTTP (${(err as Error).message})\n`).buffer });
        }
      },
      onData: () => undefined,
      onEnd: () => undefined,
    };
    accept(conn);
    conn.onData(new TextEncoder().encode(head));
    if (m.body.byteLength) conn.onData(new Uint8Array(m.body));
    conn.onEnd();
  });
}

/** The registration of podplay-sw.js that serves this page's scope, registered now if there is none. */
async function forwardingWorker(assets: string, given?: string): Promise<ServiceWorkerRegistration> {
  if (!navigator.serviceWorker) throw new Error('this browser has no service workers, which forwarded ports need');
  const current = await navigator.serviceWorker.getRegistration(location.href);
  const script = current?.active?.scriptURL ?? current?.installing?.scriptURL ?? current?.waiting?.scriptURL;
  if (current && script?.includes('podplay-sw.js')) return current;
  if (current) throw new Error(`this site's own service worker (${new URL(script ?? current.scope).pathname}) controls the page, so podplay-sw.js cannot serve forwarded ports here`);
  let last = 'podplay-sw.js not found';
  for (const candidate of serviceWorkerCandidates(location.href, assets, given)) {
    try {
      await navigator.serviceWorker.register(workerRegistrationUrl(candidate, assets));
      return await navigator.serviceWorker.ready;
    } catch (err) {
      last = (err as Error).message;
    }
  }
  throw new Error(`forwarded ports are URLs that podplay-sw.js serves, and it could not be registered (${last}): copy podplay-sw.js to the site's root`);
}

export class PagePorts implements PortListener {
  readonly #assets: string;
  readonly #serviceWorker?: string;

  constructor(assets: string, serviceWorker?: string) {
    this.#assets = assets;
    this.#serviceWorker = serviceWorker;
  }

  async listen(_addresses: string[], port: number, accept: (conn: LocalConnection) => void): Promise<{ bound: string[]; port: number; close(): Promise<void> }> {
    const registration = await forwardingWorker(this.#assets, this.#serviceWorker);
    listenToWorker();
    let chosen = port;
    if (chosen === 0) do chosen = 30000 + Math.floor(Math.random() * 30000); while (forwarded.has(chosen));
    if (forwarded.has(chosen)) throw new Error(`unable to listen on port ${chosen}: another port-forward in this page uses it`);
    forwarded.set(chosen, accept);
    return {
      bound: [`${registration.scope}${PREFIX}${chosen}/`],
      port: chosen,
      close: async () => void (forwarded.get(chosen) === accept && forwarded.delete(chosen)),
    };
  }
}
