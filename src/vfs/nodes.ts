/**
 * The inode kinds of podplay's virtual filesystem. A node can be reachable
 * from several directories (hard links); a file's bytes may be shared with
 * the tree it was cloned from until either side writes (copy on write).
 */
export interface NodeMeta {
  /** Permission bits (and setuid/setgid/sticky), without the file-type bits. */
  mode: number;
  /** Modification time, milliseconds since the epoch. */
  mtime: number;
  uid: number;
  gid: number;
}

const now = () => Date.now();

export class FileNode implements NodeMeta {
  readonly kind = 'file';
  mode: number;
  mtime: number;
  uid = 0;
  gid = 0;
  #buf: Uint8Array;
  #size: number;
  /** False while #buf may be shared with another tree: copy before writing. */
  #owned: boolean;

  constructor(data: Uint8Array = new Uint8Array(0), mode = 0o644, owned = true) {
    this.#buf = data;
    this.#size = data.byteLength;
    this.#owned = owned;
    this.mode = mode;
    this.mtime = now();
  }

  get size(): number {
    return this.#size;
  }

  /** The file's bytes. The view is read-only by contract: write through {@link write}. */
  content(): Uint8Array {
    return this.#buf.subarray(0, this.#size);
  }

  read(offset: number, length: number): Uint8Array {
    if (offset >= this.#size) return new Uint8Array(0);
    return this.#buf.slice(offset, Math.min(this.#size, offset + length));
  }

  write(offset: number, data: Uint8Array): number {
    const end = offset + data.byteLength;
    this.#reserve(end);
    this.#buf.set(data, offset);
    if (end > this.#size) this.#size = end;
    this.mtime = now();
    return data.byteLength;
  }

  truncate(length: number): void {
    if (length > this.#size) this.#reserve(length);
    else if (!this.#owned) this.#reserve(this.#size);
    if (length < this.#size) this.#buf.fill(0, length, this.#size);
    this.#size = length;
    this.mtime = now();
  }

  /** True while this node and `other` still share their bytes (neither has written since one was cloned from the other). */
  sharesBytesWith(other: FileNode): boolean {
    return this.#buf.buffer === other.#buf.buffer && this.#buf.byteOffset === other.#buf.byteOffset && this.#size === other.#size;
  }

  /** A node sharing this one's bytes until one of them writes. */
  cloneShared(): FileNode {
    this.#owned = false;
    const copy = new FileNode(this.#buf.subarray(0, this.#size), this.mode, false);
    copy.mtime = this.mtime;
    copy.uid = this.uid;
    copy.gid = this.gid;
    return copy;
  }

  #reserve(size: number): void {
    if (this.#owned && size <= this.#buf.byteLength) return;
    const capacity = this.#owned ? Math.max(size, this.#buf.byteLength * 2, 256) : Math.max(size, this.#size);
    const next = new Uint8Array(capacity);
    next.set(this.#buf.subarray(0, this.#size));
    this.#buf = next;
    this.#owned = true;
  }
}

export class DirNode implements NodeMeta {
  readonly kind = 'dir';
  mode: number;
  mtime = now();
  uid = 0;
  gid = 0;
  readonly children = new Map<string, VfsNode>();
  /** Set on a read-only mount point (a ConfigMap or Secret volume): nothing under it may be written. */
  readOnly = false;
  constructor(mode = 0o755) {
    this.mode = mode;
  }
}

export class SymlinkNode implements NodeMeta {
  readonly kind = 'symlink';
  mode = 0o777;
  mtime = now();
  uid = 0;
  gid = 0;
  constructor(readonly target: string) {}
}

export type VfsNode = FileNode | DirNode | SymlinkNode;
export type NodeKind = VfsNode['kind'];
