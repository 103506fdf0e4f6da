/**
 * An HTTP/1.1 server on the host side of the cluster network (the API
 * server's endpoint): requests read from a connection one after another
 * (keep-alive, bodies by Content-Length or chunks), each answered by the
 * handler with a whole body or a stream (chunked, flushed as it is
 * written). A request that does not parse gets a 400 with a metav1.Status
 * body and the connection closes. A stream whose reader stops reading is
 * held up to {@link STREAM_BUFFER_CAP} bytes, then ended.
 */
import type { PeerEvents, SocketAddress } from '../runtime/index.ts';
import type { HostConnection, HostService } from './cluster-network.ts';

/** Bytes a stream may have waiting for a reader that does not read before the server ends it. */
export const STREAM_BUFFER_CAP = 8 * 1024 * 1024;
/** The largest request head and body the server reads (kube-apiserver's body limit is 3 MiB). */
const MAX_HEAD = 64 * 1024;
const MAX_BODY = 3 * 1024 * 1024;

export interface HttpServerRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Names in lower case. */
  headers: Map<string, string>;
  body: Uint8Array;
  remote: SocketAddress;
}

export interface HttpStreamSink {
  /** False once the reader is too far behind: stop writing. */
  write(chunk: string | Uint8Array): boolean;
  end(): void;
}

export type HttpServerResponse =
  | { status: number; headers?: Array<[string, string]>; body: Uint8Array }
  | { status: number; headers?: Array<[string, string]>; stream: (sink: HttpStreamSink) => () => void };

export type HttpHandler = (req: HttpServerRequest) => Promise<HttpServerResponse>;

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone', 413: 'Request Entity Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function badRequest(message: string): Uint8Array {
  return encoder.encode(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 }));
}

/** A host service answering HTTP/1.1 with `handler`. */
export function httpService(handler: HttpHandler): HostService {
  return (conn) => new HttpConnection(conn, handler).events;
}

class HttpConnection {
  readonly events: PeerEvents;
  readonly #conn: HostConnection;
  readonly #handler: HttpHandler;
  #buf = new Uint8Array(0);
  #busy = false;
  #closed = false;
  #paused = false;
  readonly #held: Uint8Array[] = [];
  #heldBytes = 0;
  #cancelStream?: () => void;
  /** The client sent all it will send (a half-close). */
  #peerEnded = false;
  /** Closing once the held bytes are out. */
  #closing = false;

  constructor(conn: HostConnection, handler: HttpHandler) {
    this.#conn = conn;
    this.#handler = handler;
    this.events = {
      data: (bytes) => {
        const next = new Uint8Array(this.#buf.length + bytes.length);
        next.set(this.#buf);
        next.set(bytes, this.#buf.length);
        this.#buf = next;
        void this.#next();
      },
      // A half-close: what was asked is still answered, then the connection closes.
      end: () => {
        this.#peerEnded = true;
        if (!this.#busy) void this.#next();
      },
      close: () => this.#close(true),
      pause: () => void (this.#paused = true),
      resume: () => {
        this.#paused = false;
        while (this.#held.length && !this.#paused) this.#conn.peer.send(this.#held.shift()!);
        this.#heldBytes = this.#held.reduce((n, b) => n + b.length, 0);
        if (this.#closing && !this.#held.length) this.#close(true);
      },
    };
  }

  #send(bytes: Uint8Array): boolean {
    if (this.#closed) return false;
    if (!this.#paused && !this.#held.length) {
      this.#conn.peer.send(bytes);
      return true;
    }
    this.#held.push(bytes);
    this.#heldBytes += bytes.length;
    return this.#heldBytes <= STREAM_BUFFER_CAP;
  }

  /** Closes once what is held for a paused reader is sent; `now` drops it (the reader is gone, or too far behind). */
  #close(now = false): void {
    if (this.#closed) return;
    if (!now && this.#held.length) {
      this.#closing = true;
      return;
    }
    this.#closed = true;
    this.#cancelStream?.();
    this.#conn.peer.close(0);
  }

  /** Parses and answers the next whole request, if one has arrived and none is being answered. */
  async #next(): Promise<void> {
    if (this.#busy || this.#closed) return;
    const req = this.#parse();
    if (req === undefined) {
      if (this.#peerEnded) this.#close();
      return;
    }
    if ('error' in req) {
      const body = badRequest(req.error);
      this.#send(encoder.encode(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`));
      this.#send(body);
      this.#close();
      return;
    }
    this.#busy = true;
    let res: HttpServerResponse;
    try {
      res = await this.#handler(req);
    } catch (err) {
      const body = encoder.encode(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Internal error occurred: ${(err as Error).message}`, reason: 'InternalError', code: 500 }));
      res = { status: 500, headers: [['Content-Type', 'application/json']], body };
    }
    const keepAlive = (req.headers.get('connection') ?? '').toLowerCase() !== 'close';
    let head = `HTTP/1.1 ${res.status} ${REASONS[res.status] ?? 'Status'}\r\n`;
    for (const [k, v] of res.headers ?? []) head += `${k}: ${v}\r\n`;
    head += `Date: ${new Date().toUTCString()}\r\n`;
    if ('body' in res) {
      head += `Content-Length: ${res.body.length}\r\n${keepAlive ? '' : 'Connection: close\r\n'}\r\n`;
      this.#send(encoder.encode(head));
      if (req.method !== 'HEAD' && res.body.length) this.#send(res.body);
      this.#busy = false;
      if (!keepAlive) return this.#close();
      return this.#next();
    }
    this.#send(encoder.encode(`${head}Transfer-Encoding: chunked\r\n\r\n`));
    if (this.#closed) return;
    await new Promise<void>((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        this.#send(encoder.encode('0\r\n\r\n'));
        this.#cancelStream = undefined;
        resolve();
      };
      this.#cancelStream = res.stream({
        write: (chunk) => {
          const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
          if (!bytes.length) return true;
          const framed = new Uint8Array(bytes.length + 16);
          const size = encoder.encode(`${bytes.length.toString(16)}\r\n`);
          framed.set(size);
          framed.set(bytes, size.length);
          framed.set([13, 10], size.length + bytes.length);
          return this.#send(framed.subarray(0, size.length + bytes.length + 2));
        },
        end: finish,
      });
    });
    this.#busy = false;
    if (this.#heldBytes > STREAM_BUFFER_CAP) return this.#close(true);
    if (!keepAlive) return this.#close();
    return this.#next();
  }

  /** The next request if whole; undefined when more bytes are needed. */
  #parse(): HttpServerRequest | { error: string } | undefined {
    const buf = this.#buf;
    let end = -1;
    for (let i = 0; i + 3 < buf.length; i++) {
      if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) {
        end = i;
        break;
      }
    }
    if (end < 0) return buf.length > MAX_HEAD ? { error: 'request header too large' } : undefined;
    const lines = decoder.decode(buf.subarray(0, end)).split('\r\n');
    const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(lines[0] ?? '');
    if (!m) return { error: `malformed HTTP request ${JSON.stringify(lines[0] ?? '')}` };
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i <= 0) return { error: `malformed MIME header line: ${line}` };
      headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
    let at = end + 4;
    let body = new Uint8Array(0);
    if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) {
      const parts: Uint8Array[] = [];
      for (;;) {
        const lineEnd = buf.indexOf(10, at);
        if (lineEnd < 0) return undefined;
        const size = parseInt(decoder.decode(buf.subarray(at, lineEnd)).trim(), 16);
        if (Number.isNaN(size)) return { error: 'malformed chunked encoding' };
        if (size === 0) {
          if (buf.length < lineEnd + 3) return undefined;
          at = lineEnd + 3;
          break;
        }
        if (parts.reduce((n, p) => n + p.length, size) > MAX_BODY) return { error: 'request entity too large: limit is 3145728' };
        if (buf.length < lineEnd + 1 + size + 2) return undefined;
        parts.push(buf.subarray(lineEnd + 1, lineEnd + 1 + size));
        at = lineEnd + 1 + size + 2;
      }
      body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        body.set(p, o);
        o += p.length;
      }
    } else if (headers.has('content-length')) {
      const n = Number(headers.get('content-length'));
      if (!Number.isInteger(n) || n < 0) return { error: 'bad Content-Length' };
      if (n > MAX_BODY) return { error: 'request entity too large: limit is 3145728' };
      if (buf.length < at + n) return undefined;
      body = buf.slice(at, at + n);
      at += n;
    }
    this.#buf = buf.slice(at);
    const url = new URL(m[2]!, 'http://apiserver');
    return { method: m[1]!, path: url.pathname, query: url.searchParams, headers, body, remote: this.#conn.remote };
  }
}
