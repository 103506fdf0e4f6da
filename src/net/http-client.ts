/**
 * HTTP/1.1 requests from the host into the cluster network (the kubelet's
 * httpGet probes, the page's view of a forwarded port): one request per
 * connection, `Connection: close`, the response read by its Content-Length,
 * its chunks, or to the end of the connection. Errors read as Go's
 * net/http words, which the kubelet's messages quote.
 */
import type { PeerEvents, SocketAddress } from '../runtime/index.ts';
import type { ClusterNetwork } from './cluster-network.ts';
import { errnoText } from './errors.ts';

export interface HttpRequest {
  method?: string;
  /** The address connected to. */
  address: SocketAddress;
  /** The Host header (default: the address). */
  host?: string;
  /** Path and query. */
  path: string;
  headers?: Array<[string, string]>;
  body?: Uint8Array;
  timeoutMs: number;
  /** At most this many body bytes are kept (the kubelet reads 10 KiB of a probe's answer). */
  maxBody?: number;
}

export interface HttpResponse {
  statusCode: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

/** The error Go's http.Client would give: `Get "http://…": dial tcp …: connect: connection refused`. */
export class HttpError extends Error {
  readonly timeout: boolean;
  constructor(message: string, timeout = false) {
    super(message);
    this.name = 'HttpError';
    this.timeout = timeout;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const NET_ERRNO_HOSTUNREACH = 23;

export async function httpRequest(network: ClusterNetwork, source: SocketAddress, req: HttpRequest): Promise<HttpResponse> {
  const hostPort = req.address.ip.includes(':') ? `[${req.address.ip}]:${req.address.port}` : `${req.address.ip}:${req.address.port}`;
  const method = req.method ?? 'GET';
  const url = `http://${req.host ?? hostPort}${req.path}`;
  const verb = method[0]! + method.slice(1).toLowerCase();
  const parser = new ResponseReader(req.maxBody ?? Infinity);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = new Promise<HttpResponse>((resolve, reject) => {
    parser.onDone = resolve;
    parser.onError = (m) => reject(new HttpError(`${verb} "${url}": ${m}`));
    timer = setTimeout(() => reject(new HttpError(`${verb} "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, true)), req.timeoutMs);
  });
  const events: PeerEvents = {
    data: (bytes) => parser.push(bytes),
    end: () => parser.finish(),
    close: (errno) => (errno ? parser.fail(`read tcp ${source.ip}:${source.port}->${hostPort}: read: ${errnoText(errno)}`) : parser.finish()),
    pause: () => undefined,
    resume: () => undefined,
  };
  // The timeout covers the dial too; `done` is settled by the timer even if nobody waits for it yet.
  done.catch(() => undefined);
  const dialing = network.dial('stream', req.address, source, events);
  const connected = await Promise.race([dialing, done.then(() => undefined, (err: unknown) => err as HttpError)]);
  if (connected instanceof HttpError) {
    void dialing.then((d) => 'peer' in d && d.peer.close(0));
    throw connected;
  }
  if (!connected || 'errno' in connected) {
    clearTimeout(timer);
    throw new HttpError(`${verb} "${url}": dial tcp ${hostPort}: connect: ${errnoText(connected?.errno ?? NET_ERRNO_HOSTUNREACH)}`);
  }
  let head = `${method} ${req.path} HTTP/1.1\r\nHost: ${req.host ?? hostPort}\r\n`;
  for (const [k, v] of req.headers ?? []) head += `${k}: ${v}\r\n`;
  if (req.body) head += `Content-Length: ${req.body.length}\r\n`;
  head += 'Connection: close\r\n\r\n';
  connected.peer.send(encoder.encode(head));
  if (req.body?.length) connected.peer.send(req.body.slice());
  try {
    return await done;
  } finally {
    clearTimeout(timer);
    connected.peer.close(0);
  }
}

/** The response in `bytes`, all a connection carried until it closed (a forwarded port's answer). */
export function parseHttpResponse(bytes: Uint8Array): HttpResponse {
  let out: HttpResponse | undefined;
  let error = 'EOF';
  const reader = new ResponseReader(Infinity);
  reader.onDone = (r) => (out = r);
  reader.onError = (m) => (error = m);
  reader.push(bytes);
  reader.finish();
  if (!out) throw new HttpError(error);
  return out;
}

/** Reads one HTTP/1.1 response from the bytes of a connection. */
class ResponseReader {
  onDone: (r: HttpResponse) => void = () => undefined;
  onError: (message: string) => void = () => undefined;
  readonly #max: number;
  #buf = new Uint8Array(0);
  #head?: { statusCode: number; statusText: string; headers: Array<[string, string]> };
  #length?: number;
  #chunked = false;
  readonly #body: Uint8Array[] = [];
  #bodyBytes = 0;
  #ended = false;

  constructor(max: number) {
    this.#max = max;
  }

  push(bytes: Uint8Array): void {
    if (this.#ended) return;
    const next = new Uint8Array(this.#buf.length + bytes.length);
    next.set(this.#buf);
    next.set(bytes, this.#buf.length);
    this.#buf = next;
    this.#parse();
  }

  finish(): void {
    if (this.#ended) return;
    if (!this.#head) return this.fail('EOF');
    if (this.#chunked || (this.#length !== undefined && this.#bodyBytes < this.#length)) return this.fail('unexpected EOF');
    this.#done();
  }

  fail(message: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.onError(message);
  }

  #take(n: number): Uint8Array {
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    return out;
  }

  #line(): string | undefined {
    const i = this.#buf.indexOf(10);
    if (i < 0) return undefined;
    return decoder.decode(this.#take(i + 1)).replace(/\r?\n$/, '');
  }

  #keep(bytes: Uint8Array): void {
    const room = this.#max - this.#bodyBytes;
    if (room > 0) this.#body.push(bytes.slice(0, room));
    this.#bodyBytes += bytes.length;
  }

  #parse(): void {
    if (!this.#head) {
      const end = findHeadEnd(this.#buf);
      if (end < 0) return;
      const lines = decoder.decode(this.#take(end)).split(/\r?\n/).filter((l) => l !== '');
      const m = /^HTTP\/\d\.\d (\d{3}) ?(.*)$/.exec(lines[0] ?? '');
      if (!m) return this.fail(`net/http: HTTP/1.x transport connection broken: malformed HTTP response ${JSON.stringify(lines[0] ?? '')}`);
      const headers = lines.slice(1).map((l): [string, string] => {
        const i = l.indexOf(':');
        return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
      });
      this.#head = { statusCode: Number(m[1]), statusText: m[2] ?? '', headers };
      const get = (name: string) => headers.find(([k]) => k.toLowerCase() === name)?.[1];
      this.#chunked = /chunked/i.test(get('transfer-encoding') ?? '');
      const length = get('content-length');
      if (!this.#chunked && length !== undefined) this.#length = Number(length);
    }
    if (this.#chunked) return this.#parseChunks();
    const bytes = this.#take(this.#length === undefined ? this.#buf.length : Math.min(this.#buf.length, this.#length - this.#bodyBytes));
    this.#keep(bytes);
    if (this.#length !== undefined && this.#bodyBytes >= this.#length) this.#done();
  }

  #pendingChunk = 0;

  #parseChunks(): void {
    for (;;) {
      if (this.#pendingChunk > 0) {
        const bytes = this.#take(Math.min(this.#buf.length, this.#pendingChunk));
        this.#keep(bytes);
        this.#pendingChunk -= bytes.length;
        if (this.#pendingChunk > 0) return;
        if (this.#buf.length < 2) {
          this.#pendingChunk = -2;
          return;
        }
        this.#take(2);
      }
      if (this.#pendingChunk === -2) {
        if (this.#buf.length < 2) return;
        this.#take(2);
        this.#pendingChunk = 0;
      }
      const line = this.#line();
      if (line === undefined) return;
      const size = parseInt(line.split(';')[0]!, 16);
      if (Number.isNaN(size)) return this.fail('malformed chunked encoding');
      if (size === 0) {
        this.#chunked = false;
        return this.#done();
      }
      this.#pendingChunk = size;
    }
  }

  #done(): void {
    if (this.#ended || !this.#head) return;
    this.#ended = true;
    const body = new Uint8Array(Math.min(this.#bodyBytes, this.#max === Infinity ? this.#bodyBytes : this.#max));
    let at = 0;
    for (const b of this.#body) {
      body.set(b.subarray(0, body.length - at), at);
      at += b.length;
    }
    this.onDone({ ...this.#head, body });
  }
}

function findHeadEnd(buf: Uint8Array): number {
  for (let i = 0; i + 1 < buf.length; i++) {
    if (buf[i] === 10 && buf[i + 1] === 10) return i + 2;
    if (buf[i] === 10 && buf[i + 1] === 13 && buf[i + 2] === 10) return i + 3;
  }
  return -1;
}
