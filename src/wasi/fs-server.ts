import { FileNode, join, vfsError, type Vfs, type VfsNode } from '../vfs/index.ts';

/** A reply of the host-filesystem protocol: a value, or an errno-style error. */
export type FsReply = { value: unknown } | { error: { code: string; message: string } };

interface Mount {
  vfs: Vfs;
  /** The directory of `vfs` this mount serves (its real path, symlinks resolved). */
  root: string;
  readOnly: boolean;
}

interface Handle {
  node: FileNode | null; // null: a directory opened for listing
  write: boolean;
  append: boolean;
}

const KNOWN_ERRORS = new Set(['ENOENT', 'EEXIST', 'EACCES', 'EPERM', 'ELOOP', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY', 'ENOTSUP']);
/** Replies are capped at 512 KiB by the bridge; reads are asked in ≤ 64 KiB pieces. */
const MAX_READ = 64 * 1024;

/** EROFS, sent as EACCES: the bridge passes on only a few errno codes (see KNOWN_ERRORS). */
function readOnlyError(op: string, path: string): Error {
  return Object.assign(new Error(`EROFS: read-only file system, ${op} '${path}'`), { code: 'EACCES' });
}

function kindOf(node: VfsNode): 'file' | 'directory' {
  return node.kind === 'dir' ? 'directory' : 'file';
}

/**
 * Serves directories of podplay's vfs to guests through the SDK's
 * host-filesystem protocol (methods and replies documented in
 * ../../README.md#the-guest-filesystem). Guest paths arrive relative to a
 * mount; each mount is one directory of one container's tree, so the vfs
 * stays the single truth: what the guest writes is in the tree at once.
 *
 * Gaps of the bridge, and how podplay meets each:
 * - No symlink, readlink, link, chmod or timestamp calls: image symlinks are
 *   resolved by the vfs (a guest sees their targets); a symlink the guest
 *   makes lives only in that process (written down, not worked around).
 * - stat carries only kind and size: the guest sees 0600 modes and 1970
 *   times; the vfs keeps the real ones (diff, commit and cp use them).
 * - `rmdir` of a directory the process has not stat'ed answers ENOENT in
 *   the SDK before reaching here; `rm -r` (which stats first) works.
 * - Replies are capped at 512 KiB: reads are served in 64 KiB pieces; a
 *   readDir of a directory with thousands of entries can exceed the cap and
 *   fails with EIO (written down).
 * - Each call is a synchronous round trip through the SDK's JS thread:
 *   ~220 µs measured in Chromium (npm run bench), about 6 calls per small
 *   file read; file-heavy programs are slower than with package files.
 * - Read-only volumes: writes under a read-only directory are refused with
 *   EACCES (the bridge has no EROFS; the guest reports "operation not
 *   permitted").
 */
/** A mount served by code rather than a vfs directory (the control directory). */
export interface MountHandler {
  call(method: string, args: unknown[]): unknown;
}

export class VfsFileServer {
  readonly #mounts = new Map<number, Mount | MountHandler>();
  readonly #handles = new Map<number, Handle>();
  #nextMount = 1;
  #nextHandle = 1;
  /** Calls served, for the bench and tests. */
  calls = 0;

  addMount(vfs: Vfs, root: string, readOnly = false): number {
    const id = this.#nextMount++;
    this.#mounts.set(id, { vfs, root, readOnly });
    return id;
  }

  /** Serves a mount with `handler` (same id space as the vfs mounts). */
  addHandler(handler: MountHandler): number {
    const id = this.#nextMount++;
    this.#mounts.set(id, handler);
    return id;
  }

  removeMount(id: number): void {
    this.#mounts.delete(id);
  }

  get mountCount(): number {
    return this.#mounts.size;
  }

  /** Runs one protocol call; never throws. */
  call(mountId: number, method: string, args: unknown[]): FsReply {
    this.calls++;
    try {
      const mount = this.#mounts.get(mountId);
      if (!mount) return { error: { code: 'ENOENT', message: `mount ${mountId} is gone` } };
      if ('call' in mount) return { value: mount.call(method, args) };
      return { value: this.#dispatch(mount, method, args) };
    } catch (err) {
      const code = String((err as { code?: unknown }).code ?? 'EIO');
      return { error: { code: KNOWN_ERRORS.has(code) ? code : 'EIO', message: (err as Error).message } };
    }
  }

  #dispatch(m: Mount, method: string, args: unknown[]): unknown {
    const path = (i: number) => join(m.root, String(args[i] ?? ''));
    const handle = (i: number) => {
      const h = this.#handles.get(Number(args[i]));
      if (!h) throw vfsError('ENOENT', method, `handle ${String(args[i])}`);
      return h;
    };
    const writable = (p: string) => {
      if (m.readOnly || m.vfs.isReadOnly(p)) throw readOnlyError(method, p);
    };
    switch (method) {
      case 'stat': {
        const node = m.vfs.stat(path(0));
        return { kind: kindOf(node), size: node.kind === 'file' ? node.size : 0 };
      }
      case 'readDir': {
        const dir = path(0);
        const out: Array<{ name: string; kind: string; size: number }> = [];
        for (const [name, node] of m.vfs.readdir(dir)) {
          // Symlinks are shown as what they point at; dangling ones are left out.
          const target = node.kind === 'symlink' ? m.vfs.lookup(join(dir, name)) : node;
          if (target) out.push({ name, kind: kindOf(target), size: target.kind === 'file' ? target.size : 0 });
        }
        return out;
      }
      case 'open':
        return this.#open(m, path(0), args.slice(1).map(Boolean) as [boolean, boolean, boolean, boolean, boolean, boolean]);
      case 'read': {
        const h = handle(0);
        if (!h.node) throw vfsError('EISDIR', 'read', 'directory');
        return h.node.read(Number(args[1]), Math.min(Number(args[2]), MAX_READ));
      }
      case 'write': {
        const h = handle(0);
        if (!h.node || !h.write) throw vfsError('EACCES', 'write', 'handle');
        const data = args[2] instanceof Uint8Array ? args[2] : new Uint8Array(args[2] as ArrayLike<number>);
        return h.node.write(h.append ? h.node.size : Number(args[1]), data);
      }
      case 'setLen': {
        const h = handle(0);
        if (!h.node || !h.write) throw vfsError('EACCES', 'truncate', 'handle');
        h.node.truncate(Number(args[1]));
        return null;
      }
      case 'flush':
      case 'sync':
        return null;
      case 'close':
        this.#handles.delete(Number(args[0]));
        return null;
      case 'mkdir':
        writable(path(0));
        m.vfs.mkdir(path(0));
        return null;
      case 'remove': {
        writable(path(0));
        m.vfs.remove(path(0));
        return null;
      }
      case 'rename':
        writable(path(0));
        writable(path(1));
        m.vfs.rename(path(0), path(1));
        return null;
      default:
        throw Object.assign(new Error(`${method} is not supported by podplay's filesystem`), { code: 'ENOTSUP' });
    }
  }

  #open(m: Mount, p: string, [read, write, create, createNew, truncate, append]: [boolean, boolean, boolean, boolean, boolean, boolean]): number {
    void read;
    const wantsWrite = write || append || truncate || create || createNew;
    if (wantsWrite && (m.readOnly || m.vfs.isReadOnly(p))) throw readOnlyError('open', p);
    const r = m.vfs.resolve(p, true, 'open');
    // Where the path really leads (through symlinks) must not be read-only either.
    if (wantsWrite && m.vfs.isReadOnly(r.realPath)) throw readOnlyError('open', p);
    let node = r.node;
    if (node && createNew) throw vfsError('EEXIST', 'open', p);
    if (!node) {
      if (!create && !createNew) throw vfsError('ENOENT', 'open', p);
      node = m.vfs.writeFile(r.realPath, new Uint8Array(0));
    }
    if (node.kind === 'dir') {
      if (write || append || truncate) throw vfsError('EISDIR', 'open', p);
      const id = this.#nextHandle++;
      this.#handles.set(id, { node: null, write: false, append: false });
      return id;
    }
    if (node.kind !== 'file') throw vfsError('ENOENT', 'open', p);
    if (truncate) node.truncate(0);
    const id = this.#nextHandle++;
    this.#handles.set(id, { node, write: write || append, append });
    return id;
  }
}
