import { SIGNALS } from '../shared/index.ts';
import { DirNode, FileNode, join, vfsError, type Vfs, type VfsNode } from '../vfs/index.ts';

/** An absolute path without ".", "..", or repeated and trailing slashes. */
function normalize(path: string): string {
  return join('/', path);
}

/**
 * The control directory every container has at /run/podplay: the guest's
 * channel to podplay for what the host-filesystem bridge cannot carry
 * (file metadata, symlinks, hard links, modes, owners and times; later
 * signals and the API). Its protocol is written down in
 * docs/architecture.md#the-control-directory; the guest side is the Go
 * package podplay.dev/wasm/guest.
 *
 * One file, `ctl`: a process opens it read-write and keeps it open; each
 * write is one request, a JSON object `{"op": …, …}`; the reply is what the
 * following reads return (one JSON line, then end of file until the next
 * request): `{"value": …}` or `{"error": {"code": "ENOENT", "message": …}}`.
 * Paths are absolute paths of the container's tree.
 */
export const CONTROL_DIR = '/run/podplay';
export const CONTROL_FILE = 'ctl';

/** What `lstat`, `stat` and `readdir` say of a file, in stat(2)'s terms. */
export interface ControlStat {
  ino: number;
  /** st_mode: file type bits and permission bits. */
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  size: number;
  /** 512-byte blocks, as st_blocks counts them (du). */
  blocks: number;
  /** Modification time in milliseconds since the epoch. */
  mtime: number;
  /** A symlink's target. */
  target?: string;
}

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
/** The size a directory shows, as on ext4 and overlayfs. */
const DIR_SIZE = 4096;
const BLOCK = 4096;
/** A request larger than this is refused (a listing reply may be larger). */
const MAX_REQUEST = 64 * 1024;

/** Inode numbers: one per node object, stable while the worker lives; hard links share a node, so they share a number. */
const inodes = new WeakMap<VfsNode, number>();
let nextInode = 2;
function inodeOf(node: VfsNode): number {
  let n = inodes.get(node);
  if (n === undefined) inodes.set(node, (n = nextInode++));
  return n;
}

/** Names per file node (hard links), counted once per shape of the tree. */
const linkCounts = new WeakMap<Vfs, { changes: number; counts: Map<VfsNode, number> }>();
function linksOf(vfs: Vfs, node: VfsNode): number {
  if (node.kind === 'dir') {
    let dirs = 0;
    for (const child of node.children.values()) if (child.kind === 'dir') dirs++;
    return 2 + dirs;
  }
  let cached = linkCounts.get(vfs);
  if (!cached || cached.changes !== vfs.changes) {
    const counts = new Map<VfsNode, number>();
    const seen = new Set<DirNode>();
    const visit = (dir: DirNode) => {
      if (seen.has(dir)) return;
      seen.add(dir);
      for (const child of dir.children.values()) {
        if (child.kind === 'dir') visit(child);
        else counts.set(child, (counts.get(child) ?? 0) + 1);
      }
    };
    visit(vfs.root);
    linkCounts.set(vfs, (cached = { changes: vfs.changes, counts }));
  }
  return cached.counts.get(node) ?? 1;
}

export function statOf(vfs: Vfs, node: VfsNode): ControlStat {
  const type = node.kind === 'dir' ? S_IFDIR : node.kind === 'symlink' ? S_IFLNK : S_IFREG;
  const size = node.kind === 'file' ? node.size : node.kind === 'dir' ? DIR_SIZE : new TextEncoder().encode(node.target).byteLength;
  const blocks = node.kind === 'symlink' ? 0 : (Math.ceil(size / BLOCK) * BLOCK) / 512;
  const st: ControlStat = { ino: inodeOf(node), mode: type | (node.mode & 0o7777), nlink: linksOf(vfs, node), uid: node.uid, gid: node.gid, size, blocks, mtime: node.mtime };
  if (node.kind === 'symlink') st.target = node.target;
  return st;
}

/** True when a read-only volume is mounted at or below `dir` (rm -r stops there, as at a mount point). */
function holdsReadOnly(dir: DirNode): boolean {
  if (dir.readOnly) return true;
  for (const child of dir.children.values()) if (child.kind === 'dir' && holdsReadOnly(child)) return true;
  return false;
}

type Request = Record<string, unknown> & { op?: unknown };

function str(req: Request, key: string): string {
  const v = req[key];
  if (typeof v !== 'string' || v === '') throw Object.assign(new Error(`${String(req.op)}: "${key}" must be a non-empty string`), { code: 'EINVAL' });
  return v;
}

function num(req: Request, key: string): number {
  const v = req[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw Object.assign(new Error(`${String(req.op)}: "${key}" must be a number`), { code: 'EINVAL' });
  return v;
}

function readOnly(op: string, path: string): Error {
  return Object.assign(new Error(`EROFS: read-only file system, ${op} '${path}'`), { code: 'EROFS' });
}

/**
 * What a process does with a signal, as sigaction(2) would have set it up:
 * `default` (no handler: the kernel's default action, which PID 1 is spared),
 * `ignore`, `exit` (a handler that exits with `status`, after writing
 * `message` to stderr: the pause container's), or `notify` (the program
 * takes it through the control directory: package guest's Notify).
 */
export type SignalAction = { action: 'default' | 'ignore' | 'notify' } | { action: 'exit'; status: number; message?: string };

/** Answers the control requests of one container's processes over its tree. */
export class ControlService {
  /** Dispositions the processes declared, by pid and signal number. */
  readonly #actions = new Map<number, Map<number, SignalAction>>();
  /** Signals waiting for a process that takes them itself (notify). */
  readonly #pending = new Map<number, number[]>();

  constructor(readonly rootfs: Vfs) {}

  /** The disposition process `pid` declared for `signal`, if it declared one. */
  actionOf(pid: number, signal: number): SignalAction | undefined {
    return this.#actions.get(pid)?.get(signal);
  }

  /** Queues `signal` for a process that takes it itself. */
  deliver(pid: number, signal: number): void {
    const queue = this.#pending.get(pid) ?? [];
    queue.push(signal);
    this.#pending.set(pid, queue);
  }

  /** Runs one request; the reply is a JSON line. */
  handle(text: string): string {
    let reply: unknown;
    try {
      if (text.length > MAX_REQUEST) throw Object.assign(new Error('request too large'), { code: 'E2BIG' });
      const req = JSON.parse(text) as Request;
      if (typeof req !== 'object' || req === null) throw Object.assign(new Error('a request is a JSON object'), { code: 'EINVAL' });
      reply = { value: this.#run(req) };
    } catch (err) {
      const code = String((err as { code?: unknown }).code ?? (err instanceof SyntaxError ? 'EINVAL' : 'EIO'));
      reply = { error: { code, message: (err as Error).message } };
    }
    return JSON.stringify(reply) + '\n';
  }

  #writable(op: string, path: string): void {
    if (this.rootfs.isReadOnly(path)) throw readOnly(op, path);
  }

  /**
   * The control directory and its parents are mount points: where the tree
   * lacks them they are shown as the directories the guest sees there.
   */
  #mountPoint(path: string): VfsNode | undefined {
    const p = normalize(path);
    if (p !== CONTROL_DIR && !(CONTROL_DIR + '/').startsWith(p + '/')) return undefined;
    // The mount hides what the tree has at the control directory itself; its parents are the tree's where it has them.
    if (p !== CONTROL_DIR && this.rootfs.lookup(p, false)) return undefined;
    let node = this.#mountDirs.get(p);
    if (!node) this.#mountDirs.set(p, (node = Object.assign(new DirNode(0o755), { mtime: this.#started })));
    return node;
  }

  readonly #mountDirs = new Map<string, DirNode>();
  readonly #started = Date.now();
  readonly #controlFile = Object.assign(new FileNode(new Uint8Array(0), 0o600), { mtime: this.#started });

  #stat(path: string, follow: boolean): VfsNode {
    if (normalize(path) === join(CONTROL_DIR, CONTROL_FILE)) return this.#controlFile;
    const mount = this.#mountPoint(path);
    if (mount) return mount;
    return follow ? this.rootfs.stat(path) : this.rootfs.lstat(path);
  }

  #run(req: Request): unknown {
    const vfs = this.rootfs;
    switch (req.op) {
      case 'lstat':
        return statOf(vfs, this.#stat(str(req, 'path'), false));
      case 'stat':
        return statOf(vfs, this.#stat(str(req, 'path'), true));
      case 'readlink': {
        const node = vfs.lstat(str(req, 'path'));
        if (node.kind !== 'symlink') throw vfsError('EINVAL', 'readlink', str(req, 'path'));
        return node.target;
      }
      case 'realpath': {
        const path = str(req, 'path');
        const r = vfs.resolve(path, true, 'realpath');
        if (!r.node) throw vfsError('ENOENT', 'realpath', path);
        return r.realPath;
      }
      case 'readdir': {
        const path = normalize(str(req, 'path'));
        if (path === CONTROL_DIR) return [{ name: CONTROL_FILE, ...statOf(vfs, this.#controlFile) }];
        const entries = this.#mountPoint(path) ? [] : vfs.readdir(path);
        // The next component of the control directory's path shows where the tree lacks it.
        if ((CONTROL_DIR + '/').startsWith(path === '/' ? '/' : path + '/')) {
          const name = CONTROL_DIR.slice(path === '/' ? 1 : path.length + 1).split('/')[0]!;
          if (!entries.some(([n]) => n === name)) {
            entries.push([name, this.#mountPoint(join(path, name))!]);
            entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
          }
        }
        return entries.map(([name, node]) => ({ name, ...statOf(vfs, node) }));
      }
      case 'symlink': {
        const path = str(req, 'path');
        this.#writable('symlink', path);
        vfs.symlink(str(req, 'target'), path);
        return null;
      }
      case 'link': {
        const path = str(req, 'path');
        this.#writable('link', path);
        vfs.link(str(req, 'target'), path);
        return null;
      }
      case 'mkdir': {
        const path = str(req, 'path');
        this.#writable('mkdir', path);
        vfs.mkdir(path, num(req, 'mode') & 0o7777);
        return null;
      }
      case 'remove': {
        // unlink(2), rmdir(2), or a whole tree with recursive (rm -r).
        const path = str(req, 'path');
        this.#writable('remove', path);
        const node = vfs.lstat(path);
        if (node.kind === 'dir' && req.dir === false) throw vfsError('EISDIR', 'unlink', path);
        if (node.kind !== 'dir' && req.dir === true) throw vfsError('ENOTDIR', 'rmdir', path);
        if (node.kind === 'dir' && req.recursive === true && holdsReadOnly(node)) {
          throw Object.assign(new Error(`EBUSY: a read-only volume is mounted under '${path}'`), { code: 'EBUSY' });
        }
        vfs.remove(path, req.recursive === true);
        return null;
      }
      case 'chmod': {
        const path = str(req, 'path');
        const node = req.follow === false ? vfs.lstat(path) : vfs.stat(path);
        this.#writable('chmod', path);
        // Linux has no modes of its own for a symlink: lchmod is not supported.
        if (node.kind === 'symlink') throw Object.assign(new Error(`chmod '${path}': a symlink has no mode of its own`), { code: 'EOPNOTSUPP' });
        node.mode = num(req, 'mode') & 0o7777;
        return null;
      }
      case 'chown': {
        const path = str(req, 'path');
        const node = req.follow === false ? vfs.lstat(path) : vfs.stat(path);
        this.#writable('chown', path);
        const uid = num(req, 'uid');
        const gid = num(req, 'gid');
        if (uid >= 0) node.uid = uid;
        if (gid >= 0) node.gid = gid;
        return null;
      }
      case 'utimes': {
        const path = str(req, 'path');
        const node = req.follow === false ? vfs.lstat(path) : vfs.stat(path);
        this.#writable('utimes', path);
        node.mtime = num(req, 'mtime');
        return null;
      }
      case 'sigaction': {
        // {"op":"sigaction","pid":1,"signals":[15],"action":"exit","status":0,"message":"…"}
        const pid = req.pid === undefined ? 1 : num(req, 'pid');
        const signals = Array.isArray(req.signals) ? req.signals : [req.signal];
        for (const signal of signals) {
          if (typeof signal !== 'number' || !Number.isInteger(signal) || signal < 1 || signal > 64 || signal === SIGNALS.KILL || signal === SIGNALS.STOP) {
            throw Object.assign(new Error(`sigaction: signal ${String(signal)} cannot be caught or ignored`), { code: 'EINVAL' });
          }
        }
        const action = req.action;
        let entry: SignalAction;
        if (action === 'default' || action === 'ignore' || action === 'notify') entry = { action };
        else if (action === 'exit') entry = { action, status: num(req, 'status') & 0xff, ...(typeof req.message === 'string' ? { message: req.message } : {}) };
        else throw Object.assign(new Error(`sigaction: action must be default, ignore, exit or notify`), { code: 'EINVAL' });
        let byPid = this.#actions.get(pid);
        if (!byPid) this.#actions.set(pid, (byPid = new Map()));
        for (const signal of signals as number[]) byPid.set(signal, entry);
        return null;
      }
      case 'signals': {
        // The signals queued for a process that takes them itself; empties the queue.
        const pid = req.pid === undefined ? 1 : num(req, 'pid');
        const queue = this.#pending.get(pid) ?? [];
        this.#pending.delete(pid);
        return queue;
      }
      default:
        throw Object.assign(new Error(`unknown request ${JSON.stringify(req.op)}: this podplay knows lstat, stat, readlink, realpath, readdir, symlink, link, mkdir, remove, chmod, chown, utimes, sigaction, signals`), { code: 'ENOSYS' });
    }
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

  constructor(readonly service: ControlService) {}

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
        if (path === '') {
          const id = this.#next++;
          this.#handles.set(id, { reply: new Uint8Array(0), pending: [] });
          return id;
        }
        if (path !== CONTROL_FILE) throw vfsError('ENOENT', 'open', join(CONTROL_DIR, path));
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
          h.reply = new TextEncoder().encode(this.service.handle(text));
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
