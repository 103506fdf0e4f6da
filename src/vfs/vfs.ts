import { PodplayError, type ErrorCode } from '../shared/index.ts';
import { DirNode, FileNode, SymlinkNode, type VfsNode } from './nodes.ts';
import { basename, components, dirname, join } from './path.ts';

/** Linux's limit on symlinks followed while resolving one path. */
const MAX_SYMLINK_HOPS = 40;

const messages: Partial<Record<ErrorCode, string>> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'file already exists',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ENOTEMPTY: 'directory not empty',
  ELOOP: 'too many levels of symbolic links',
  EINVAL: 'invalid argument',
};

export function vfsError(code: ErrorCode, op: string, path: string): PodplayError {
  return new PodplayError(code, `${code}: ${messages[code] ?? code}, ${op} '${path}'`);
}

/** Where a path leads: the directory holding the last component, and what is there (if anything). */
export interface Resolved {
  parent: DirNode;
  name: string;
  node: VfsNode | undefined;
  /** The path with every followed symlink replaced: where `node` really is. */
  realPath: string;
  /** True when a ".." (from the path or a symlink's target) tried to climb above the root and was stopped there. */
  climbedOut: boolean;
}

/**
 * An in-memory inode tree. Paths are always resolved inside the tree: ".."
 * stops at the root and an absolute symlink target starts again from this
 * tree's root, never the host's, so a hostile image cannot point outside it.
 */
export class Vfs {
  readonly root: DirNode;
  #changes = 0;

  /** Counts changes to the tree's shape (names added, removed, moved), so that what is derived from it (link counts) can be cached. */
  get changes(): number {
    return this.#changes;
  }

  constructor(root = new DirNode(0o755)) {
    this.root = root;
  }

  /** Resolves `path`; the last component's symlink is followed only when `followLast`. */
  resolve(path: string, followLast = true, op = 'resolve'): Resolved {
    const queue = components(path);
    const dirs: DirNode[] = [this.root];
    const names: string[] = [];
    let hops = 0;
    let climbedOut = false;
    while (queue.length > 0) {
      const c = queue.shift()!;
      const cur = dirs[dirs.length - 1]!;
      if (c === '..') {
        if (dirs.length > 1) {
          dirs.pop();
          names.pop();
        } else climbedOut = true;
        continue;
      }
      const child = cur.children.get(c);
      const last = queue.length === 0;
      if (!child) {
        if (last) return { parent: cur, name: c, node: undefined, realPath: '/' + [...names, c].join('/'), climbedOut };
        throw vfsError('ENOENT', op, path);
      }
      if (child.kind === 'symlink' && (!last || followLast)) {
        if (++hops > MAX_SYMLINK_HOPS) throw vfsError('ELOOP', op, path);
        if (child.target.startsWith('/')) {
          dirs.length = 1;
          names.length = 0;
        }
        queue.unshift(...components(child.target));
        continue;
      }
      if (last) return { parent: cur, name: c, node: child, realPath: '/' + [...names, c].join('/'), climbedOut };
      if (child.kind !== 'dir') throw vfsError('ENOTDIR', op, path);
      dirs.push(child);
      names.push(c);
    }
    const node = dirs[dirs.length - 1]!;
    return { parent: dirs[dirs.length - 2] ?? this.root, name: names[names.length - 1] ?? '', node, realPath: '/' + names.join('/'), climbedOut };
  }

  /**
   * True when `path` is on or under a read-only directory (a read-only
   * volume); the file server refuses writes there. Symlinks on the way are
   * followed, so a link into a read-only volume is read-only too.
   */
  isReadOnly(path: string): boolean {
    let r: Resolved;
    try {
      r = this.resolve(path, false, 'access');
    } catch {
      return false;
    }
    let dir: VfsNode | undefined = this.root;
    if ((dir as DirNode).readOnly) return true;
    for (const c of components(r.realPath)) {
      dir = dir?.kind === 'dir' ? dir.children.get(c) : undefined;
      if (dir?.kind === 'dir' && dir.readOnly) return true;
    }
    return false;
  }

  /**
   * Puts `node` at `path` (a volume's directory at its mount path), creating
   * missing parents and replacing what the path held in this tree.
   */
  graft(path: string, node: VfsNode): void {
    const parent = this.mkdirp(dirname(path));
    const name = basename(path);
    if (!name) throw vfsError('EINVAL', 'mount', path);
    parent.children.set(name, node);
    this.#changes++;
  }

  /** The node at `path`, or undefined when nothing is there. */
  lookup(path: string, follow = true): VfsNode | undefined {
    try {
      return this.resolve(path, follow, 'lookup').node;
    } catch (err) {
      if ((err as PodplayError).code === 'ENOENT' || (err as PodplayError).code === 'ENOTDIR') return undefined;
      throw err;
    }
  }

  stat(path: string): VfsNode {
    const node = this.resolve(path, true, 'stat').node;
    if (!node) throw vfsError('ENOENT', 'stat', path);
    return node;
  }

  lstat(path: string): VfsNode {
    const node = this.resolve(path, false, 'lstat').node;
    if (!node) throw vfsError('ENOENT', 'lstat', path);
    return node;
  }

  dir(path: string, op = 'scandir'): DirNode {
    const node = this.resolve(path, true, op).node;
    if (!node) throw vfsError('ENOENT', op, path);
    if (node.kind !== 'dir') throw vfsError('ENOTDIR', op, path);
    return node;
  }

  /** Entries of a directory, sorted by name. */
  readdir(path: string): Array<[string, VfsNode]> {
    return [...this.dir(path).children.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  readFile(path: string): Uint8Array {
    const node = this.stat(path);
    if (node.kind !== 'file') throw vfsError('EISDIR', 'read', path);
    return node.content();
  }

  /** Creates or replaces a file's content (the same inode when it exists, as O_TRUNC does). */
  writeFile(path: string, data: Uint8Array, mode = 0o644): FileNode {
    const r = this.resolve(path, true, 'open');
    if (r.node?.kind === 'dir') throw vfsError('EISDIR', 'open', path);
    if (r.node?.kind === 'file') {
      r.node.truncate(0);
      r.node.write(0, data);
      return r.node;
    }
    const file = new FileNode(data, mode);
    this.#insert(r, file);
    return file;
  }

  mkdir(path: string, mode = 0o755): DirNode {
    const r = this.resolve(path, false, 'mkdir');
    if (r.node) throw vfsError('EEXIST', 'mkdir', path);
    const dir = new DirNode(mode);
    this.#insert(r, dir);
    return dir;
  }

  /** Creates every missing directory of `path` (like mkdir -p) and returns the last. */
  mkdirp(path: string, mode = 0o755): DirNode {
    let cur = '/';
    let dir = this.root;
    for (const c of components(path)) {
      cur = join(cur, c);
      const node = this.lookup(cur);
      if (node?.kind === 'dir') dir = node;
      else if (node) throw vfsError('ENOTDIR', 'mkdir', cur);
      else dir = this.mkdir(cur, mode);
    }
    return dir;
  }

  symlink(target: string, path: string): SymlinkNode {
    const r = this.resolve(path, false, 'symlink');
    if (r.node) throw vfsError('EEXIST', 'symlink', path);
    const link = new SymlinkNode(target);
    this.#insert(r, link);
    return link;
  }

  /** A hard link: `path` becomes another name of the inode at `existing`. */
  link(existing: string, path: string): void {
    const node = this.lstat(existing);
    if (node.kind === 'dir') throw vfsError('EPERM', 'link', existing);
    const r = this.resolve(path, false, 'link');
    if (r.node) throw vfsError('EEXIST', 'link', path);
    this.#insert(r, node);
  }

  /** Unlinks `path`; a non-empty directory needs `recursive`. */
  remove(path: string, recursive = false): void {
    const r = this.resolve(path, false, 'rm');
    if (!r.node || r.name === '') throw vfsError(r.node ? 'EPERM' : 'ENOENT', 'rm', path);
    if (r.node.kind === 'dir' && r.node.children.size > 0 && !recursive) throw vfsError('ENOTEMPTY', 'rmdir', path);
    r.parent.children.delete(r.name);
    r.parent.mtime = Date.now();
    this.#changes++;
  }

  rename(from: string, to: string): void {
    const src = this.resolve(from, false, 'rename');
    if (!src.node || src.name === '') throw vfsError('ENOENT', 'rename', from);
    const dst = this.resolve(to, false, 'rename');
    if (dst.node === src.node) return;
    if (src.node.kind === 'dir' && (dst.realPath + '/').startsWith(src.realPath + '/')) throw vfsError('EINVAL', 'rename', to);
    if (dst.node?.kind === 'dir') {
      if (src.node.kind !== 'dir') throw vfsError('EISDIR', 'rename', to);
      if (dst.node.children.size > 0) throw vfsError('ENOTEMPTY', 'rename', to);
    } else if (dst.node && src.node.kind === 'dir') {
      throw vfsError('ENOTDIR', 'rename', to);
    }
    src.parent.children.delete(src.name);
    dst.parent.children.set(dst.name, src.node);
    src.parent.mtime = dst.parent.mtime = Date.now();
    this.#changes++;
  }

  /**
   * A copy of the whole tree whose files share their bytes with this one
   * until either side writes. Hard links stay linked inside the copy.
   */
  clone(): Vfs {
    const copies = new Map<VfsNode, VfsNode>();
    const copy = (node: VfsNode): VfsNode => {
      const seen = copies.get(node);
      if (seen) return seen;
      let out: VfsNode;
      if (node.kind === 'file') out = node.cloneShared();
      else if (node.kind === 'symlink') out = Object.assign(new SymlinkNode(node.target), { mode: node.mode, mtime: node.mtime, uid: node.uid, gid: node.gid });
      else {
        const dir = Object.assign(new DirNode(node.mode), { mtime: node.mtime, uid: node.uid, gid: node.gid, readOnly: node.readOnly });
        copies.set(node, dir);
        for (const [name, child] of node.children) dir.children.set(name, copy(child));
        out = dir;
      }
      copies.set(node, out);
      return out;
    };
    return new Vfs(copy(this.root) as DirNode);
  }

  /** Every entry below `path` (depth first, sorted), without following symlinks. */
  *walk(path = '/'): Generator<[string, VfsNode]> {
    const dir = this.dir(path);
    const entries = [...dir.children.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [name, node] of entries) {
      const p = join(path, name);
      yield [p, node];
      if (node.kind === 'dir') yield* this.walk(p);
    }
  }

  #insert(r: Resolved, node: VfsNode): void {
    if (r.name === '') throw vfsError('EEXIST', 'create', '/');
    r.parent.children.set(r.name, node);
    r.parent.mtime = Date.now();
    this.#changes++;
  }
}
