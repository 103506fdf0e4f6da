import { DirNode, FileNode, join, vfsError, type Vfs, type VfsNode } from '../vfs/index.ts';
import { CONTROL_DIR, CONTROL_FILE, NOT_MINE, num, str, type Request } from './control-protocol.ts';

/** An absolute path without ".", "..", or repeated and trailing slashes. */
function normalize(path: string): string {
  return join('/', path);
}

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

const utf8 = new TextEncoder();

export function statOf(vfs: Vfs, node: VfsNode): ControlStat {
  const type = node.kind === 'dir' ? S_IFDIR : node.kind === 'symlink' ? S_IFLNK : S_IFREG;
  const size = node.kind === 'file' ? node.size : node.kind === 'dir' ? DIR_SIZE : utf8.encode(node.target).byteLength;
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

function readOnly(op: string, path: string): Error {
  return Object.assign(new Error(`EROFS: read-only file system, ${op} '${path}'`), { code: 'EROFS' });
}

/**
 * The file requests of the control directory, over one container's tree:
 * true metadata (lstat, stat, readdir), symlinks and hard links, modes,
 * owners and times, and removal. The control directory and its parents
 * are mount points the tree may lack: they are shown as directories.
 */
export class FileRequests {
  readonly #started = Date.now();
  readonly #controlFile = Object.assign(new FileNode(new Uint8Array(0), 0o600), { mtime: this.#started });

  constructor(readonly rootfs: Vfs) {}

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

  #stat(path: string, follow: boolean): VfsNode {
    if (normalize(path) === join(CONTROL_DIR, CONTROL_FILE)) return this.#controlFile;
    const mount = this.#mountPoint(path);
    if (mount) return mount;
    return follow ? this.rootfs.stat(path) : this.rootfs.lstat(path);
  }

  /** Answers a file request; {@link NOT_MINE} when `req.op` is not one. */
  handle(req: Request): unknown {
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
    }
    return NOT_MINE;
  }
}
