import { vfsError, join, type Vfs } from '../vfs/index.ts';
import { FileRequests } from './control-files.ts';
import { CONTROL_DIR, CONTROL_FILE, NOT_MINE, requestError, type Request } from './control-protocol.ts';
import { ProcessRequests, type Caller } from './processes.ts';

export { CONTROL_DIR, CONTROL_FILE } from './control-protocol.ts';

/**
 * The control directory every container has at /run/podplay: the guest's
 * channel to podplay for what the host-filesystem bridge cannot carry: a
 * file's true metadata, symlinks, hard links, modes, owners and times
 * (control-files.ts); processes, the pids limit, signals and kill
 * (processes.ts). Its protocol is written down in docs/guest.md; the guest
 * side is the Go package podplay.dev/wasm/guest.
 *
 * One file, `ctl`: a process opens it read-write and keeps it open; each
 * write is one request, a JSON object `{"op": …, …}`; the reply is what the
 * following reads return (one JSON line, then end of file until the next
 * request): `{"value": …}` or `{"error": {"code": "ENOENT", "message": …}}`.
 * Paths are absolute paths of the container's tree. A request may carry
 * `wpid`, the caller's WASIX pid, which names the process within its sandbox.
 */

/** A request larger than this is refused (a listing reply may be larger). */
const MAX_REQUEST = 64 * 1024;

/** The requests of one container (its program and its exec sessions share it). */
export class ControlService {
  readonly files: FileRequests;
  readonly processes: ProcessRequests;

  constructor(rootfs: Vfs, options: { pidsLimit?: number; childEnv?: (caller: Caller, pid: number) => Record<string, string> } = {}) {
    this.files = new FileRequests(rootfs);
    this.processes = new ProcessRequests(options.pidsLimit, options.childEnv ?? (() => ({})));
  }

  /** Runs one request from `caller`; the reply is a JSON line. */
  handle(text: string, caller: Caller): string {
    let reply: unknown;
    try {
      if (text.length > MAX_REQUEST) throw requestError('request too large', 'E2BIG');
      const req = JSON.parse(text) as Request;
      if (typeof req !== 'object' || req === null) throw requestError('a request is a JSON object', 'EINVAL');
      let value = this.files.handle(req);
      if (value === NOT_MINE) value = this.processes.handle(req, caller);
      if (value === NOT_MINE) {
        throw requestError(`unknown request ${JSON.stringify(req.op)}: see docs/guest.md for the requests this podplay knows`, 'ENOSYS');
      }
      reply = { value };
    } catch (err) {
      const code = String((err as { code?: unknown }).code ?? (err instanceof SyntaxError ? 'EINVAL' : 'EIO'));
      reply = { error: { code, message: (err as Error).message } };
    }
    return JSON.stringify(reply) + '\n';
  }
}

interface Conversation {
  reply: Uint8Array;
  pending: Uint8Array[];
}

/**
 * The control directory as a host-filesystem mount: `ctl` is the only file;
 * each open handle is one conversation (see {@link ControlService}).
 */
export class ControlMount {
  readonly #handles = new Map<number, Conversation>();
  #next = 1;

  /**
   * `sandbox` names the SDK sandbox this mount is given to; `mainPid` is the
   * container pid of its first process (WASIX pid 1 there).
   */
  constructor(
    readonly service: ControlService,
    readonly sandbox: number,
    public mainPid: number,
  ) {}

  /** The container pid of the process that sent `text` (by its WASIX pid in this sandbox). */
  #caller(text: string): Caller {
    const m = /"wpid"\s*:\s*(\d+)/.exec(text);
    const wasix = m ? Number(m[1]) : 1;
    const pid = wasix === 1 ? this.mainPid : this.service.processes.table.byWasix(this.sandbox, wasix);
    return { pid: pid ?? this.mainPid, sandbox: this.sandbox };
  }

  call(method: string, args: unknown[]): unknown {
    const path = String(args[0] ?? '').replace(/^\/+/, '');
    const handle = () => {
      const h = this.#handles.get(Number(args[0]));
      if (!h) throw vfsError('ENOENT', method, `handle ${String(args[0])}`);
      return h;
    };
    switch (method) {
      case 'stat':
        if (path === '') return { kind: 'directory', size: 0 };
        if (path === CONTROL_FILE) return { kind: 'file', size: 0 };
        throw vfsError('ENOENT', 'stat', join(CONTROL_DIR, path));
      case 'readDir':
        if (path !== '') throw vfsError('ENOTDIR', 'scandir', join(CONTROL_DIR, path));
        return [{ name: CONTROL_FILE, kind: 'file', size: 0 }];
      case 'open': {
        // The directory itself (for listing) or ctl; a handle is a conversation either way.
        if (path !== '' && path !== CONTROL_FILE) throw vfsError('ENOENT', 'open', join(CONTROL_DIR, path));
        const id = this.#next++;
        this.#handles.set(id, { reply: new Uint8Array(0), pending: [] });
        return id;
      }
      case 'write': {
        const h = handle();
        const data = args[2] instanceof Uint8Array ? args[2] : new Uint8Array(args[2] as ArrayLike<number>);
        h.pending.push(data.slice());
        // A request ends with its JSON object; a guest may write it in pieces.
        const text = new TextDecoder().decode(concat(h.pending));
        if (complete(text)) {
          h.pending = [];
          h.reply = new TextEncoder().encode(this.service.handle(text, this.#caller(text)));
        }
        return data.byteLength;
      }
      case 'read': {
        const h = handle();
        const n = Math.min(Number(args[2]), 64 * 1024, h.reply.byteLength);
        const out = h.reply.slice(0, n);
        h.reply = h.reply.subarray(n);
        return out;
      }
      case 'setLen':
      case 'flush':
      case 'sync':
        return null;
      case 'close':
        this.#handles.delete(Number(args[0]));
        return null;
      default:
        throw Object.assign(new Error(`${method}: the control directory takes requests through ${CONTROL_FILE} only`), { code: 'EACCES' });
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** True once `text` holds a whole JSON value (a request written in one piece, or its last piece). */
function complete(text: string): boolean {
  const t = text.trimEnd();
  if (!t.endsWith('}')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return t.length > MAX_REQUEST;
  }
}
