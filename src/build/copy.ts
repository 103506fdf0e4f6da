/**
 * COPY and ADD onto a stage's tree, by Docker's rules: sources relative to
 * the context's root (or another stage's, or an image's), wildcards matched
 * per path component as Go's filepath.Match does, a directory's contents
 * copied rather than the directory, a destination that ends in `/` (or names
 * an existing directory, or takes several sources) is a directory, missing
 * parents are created, `--chown`/`--chmod` applied; ADD unpacks local tar
 * archives.
 */
import { DEFAULT_MAX_EXPANDED_BYTES, applyLayer, decompress, sha256, sniff, tarEntries, type LayerEntry } from '../oci/index.ts';
import { PodplayError } from '../shared/index.ts';
import { globRegExp } from './shell-words.ts';
import { FileNode, basename, join, normalize, type DirNode, type SymlinkNode, type Vfs, type VfsNode } from '../vfs/index.ts';

export interface CopyOptions {
  /** A relative destination is taken from here (the stage's WORKDIR). */
  workdir: string;
  chown?: { uid: number; gid: number };
  /** Permission bits for every copied file and directory. */
  chmod?: number;
  /** ADD: a local tar archive (plain, gzip or zstd) is unpacked into the destination. */
  extract?: boolean;
}

/** A source the build could not find, in BuildKit's words. */
export function notFound(path: string): PodplayError {
  return new PodplayError('BuildSourceNotFound', `failed to compute cache key: failed to calculate checksum of ref: "${path}": not found`);
}

const GLOB = /[*?[]/;

/** Go's filepath.Match for one path component. */
function componentMatches(pattern: string, name: string): boolean {
  return new RegExp(`^${globRegExp(pattern, '[^/]')}$`).test(name);
}

/** The absolute paths in `tree` a source names (a wildcard may name none or several), sorted. */
export function matchSources(tree: Vfs, source: string): string[] {
  const path = normalize('/' + source);
  if (!GLOB.test(path)) return tree.lookup(path) ? [path] : [];
  let found = ['/'];
  for (const part of path.split('/').filter(Boolean)) {
    const next: string[] = [];
    for (const dir of found) {
      const node = tree.lookup(dir);
      if (node?.kind !== 'dir') continue;
      if (!GLOB.test(part)) {
        if (node.children.has(part)) next.push(join(dir, part));
        continue;
      }
      for (const name of [...node.children.keys()].sort()) if (componentMatches(part, name)) next.push(join(dir, name));
    }
    found = next;
  }
  return found;
}

/**
 * A checksum of what the sources hold (names, kinds, modes, bytes, link
 * targets): the part of a COPY's cache key that changes when a source file
 * does, as BuildKit's content checksums do.
 */
export async function sourcesChecksum(tree: Vfs, paths: readonly string[]): Promise<string> {
  const lines: string[] = [];
  const visit = async (path: string, node: VfsNode, rel: string) => {
    if (node.kind === 'file') lines.push(`${rel} f ${node.mode.toString(8)} ${await sha256(node.content())}`);
    else if (node.kind === 'symlink') lines.push(`${rel} l ${node.target}`);
    else {
      lines.push(`${rel} d ${node.mode.toString(8)}`);
      for (const [name, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : 1))) await visit(join(path, name), child, `${rel}/${name}`);
    }
  };
  for (const p of paths) await visit(p, tree.stat(p), p);
  return sha256(lines.join('\n'));
}

/** The path `dest` names in the stage: absolute, from the working directory when relative. */
export function destinationPath(dest: string, workdir: string): string {
  const abs = dest.startsWith('/') ? dest : join(workdir || '/', dest);
  return normalize(abs);
}

function stamp<T extends VfsNode>(node: T, from: VfsNode, opts: CopyOptions): T {
  node.mode = opts.chmod !== undefined && node.kind !== 'symlink' ? opts.chmod : from.mode;
  node.mtime = from.mtime;
  node.uid = opts.chown?.uid ?? 0;
  node.gid = opts.chown?.gid ?? 0;
  return node;
}

/** Removes what is at `path` unless it is a directory that a directory will merge into. */
function clear(dst: Vfs, path: string, incoming: VfsNode): void {
  const there = dst.lookup(path, false);
  if (!there) return;
  if (there.kind === 'dir' && incoming.kind === 'dir') return;
  dst.remove(path, true);
}

function copyNode(dst: Vfs, path: string, node: VfsNode, opts: CopyOptions, linked: Map<VfsNode, string>): void {
  clear(dst, path, node);
  if (node.kind === 'file') {
    const first = linked.get(node);
    if (first) {
      dst.link(first, path);
      return;
    }
    const file = dst.writeFile(path, node.content(), node.mode);
    stamp(file as FileNode, node, opts);
    linked.set(node, path);
  } else if (node.kind === 'symlink') {
    stamp(dst.symlink(node.target, path) as SymlinkNode, node, opts);
  } else {
    const dir = dst.lookup(path)?.kind === 'dir' ? dst.dir(path) : dst.mkdir(path, node.mode);
    stamp(dir as DirNode, node, opts);
    for (const [name, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : 1))) copyNode(dst, join(path, name), child, opts, linked);
  }
}

/** Creates the directory `path` and its missing parents (root-owned; the last one takes --chown). */
function ensureDir(dst: Vfs, path: string, opts: CopyOptions): void {
  const existing = dst.lookup(path);
  if (existing?.kind === 'dir') return;
  if (existing) throw new PodplayError('ENOTDIR', `failed to copy files: mkdir ${path}: not a directory`);
  dst.mkdirp(path);
  const made = dst.dir(path);
  made.uid = opts.chown?.uid ?? 0;
  made.gid = opts.chown?.gid ?? 0;
}

/** ADD's archive check, by content as Docker's is: tar, or gzip/zstd around a tar; other files are copied as they are. */
async function archiveEntries(file: FileNode, path: string): Promise<LayerEntry[] | undefined> {
  const bytes = file.content();
  if ((bytes[0] === 0x42 && bytes[1] === 0x5a && bytes[2] === 0x68) || (bytes[0] === 0xfd && bytes[1] === 0x37 && bytes[2] === 0x7a && bytes[3] === 0x58)) {
    throw new PodplayError('BuildInvalid', `ADD ${path}: bzip2 and xz archives cannot be unpacked here: recompress it with gzip (tar czf), or COPY it as a file.`);
  }
  const kind = sniff(bytes);
  if (kind !== 'tar' && kind !== 'gzip' && kind !== 'zstd') return undefined;
  const tar = kind === 'tar' ? bytes : await decompress(bytes, kind, DEFAULT_MAX_EXPANDED_BYTES, `ADD ${path}`).catch(() => undefined);
  if (!tar || sniff(tar) !== 'tar') return undefined;
  return tarEntries(tar, `ADD ${path}`);
}

/**
 * Copies the sources (absolute paths in `src`, already matched) to `dest`
 * in `dst`. `many` says the instruction named several sources or a
 * wildcard, which makes the destination a directory.
 */
export async function copySources(src: Vfs, paths: readonly string[], dst: Vfs, dest: string, opts: CopyOptions & { many: boolean }): Promise<void> {
  const target = destinationPath(dest, opts.workdir);
  const existing = dst.lookup(target);
  const intoDir = dest.endsWith('/') || dest.endsWith('/.') || dest === '.' || opts.many || existing?.kind === 'dir';
  const linked = new Map<VfsNode, string>();
  for (const path of paths) {
    const node = src.stat(path);
    if (node.kind === 'dir') {
      ensureDir(dst, target, opts);
      for (const [name, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : 1))) copyNode(dst, join(target, name), child, opts, linked);
      continue;
    }
    if (opts.extract && node.kind === 'file') {
      const entries = await archiveEntries(node, path);
      if (entries) {
        ensureDir(dst, target, opts);
        const under = target === '/' ? '' : target.slice(1) + '/';
        applyLayer(dst, entries.map((e) => ({ ...e, name: under + e.name.replace(/^\.?\/+/, ''), ...(e.type === 'link' && e.linkname ? { linkname: under + e.linkname.replace(/^\.?\/+/, '') } : {}) })), { whiteouts: false });
        continue;
      }
    }
    const to = intoDir ? join(target, basename(path)) : target;
    ensureDir(dst, to.slice(0, to.lastIndexOf('/')) || '/', { ...opts, chown: undefined });
    copyNode(dst, to, node, opts, linked);
  }
}

/** Writes one file made by the build itself (a COPY here-document, an ADD download). */
export function writeMadeFile(dst: Vfs, dest: string, name: string, data: Uint8Array, opts: CopyOptions & { mode: number; mtime: number }): void {
  const target = destinationPath(dest, opts.workdir);
  const to = dest.endsWith('/') || dst.lookup(target)?.kind === 'dir' ? join(target, name) : target;
  ensureDir(dst, to.slice(0, to.lastIndexOf('/')) || '/', { ...opts, chown: undefined });
  const from = new FileNode(data, opts.mode);
  from.mtime = opts.mtime;
  copyNode(dst, to, from, opts, new Map());
}

/** `--chown=user:group` as uid and gid, names looked up in the stage's /etc/passwd and /etc/group. */
export function resolveOwner(tree: Vfs, spec: string): { uid: number; gid: number } {
  const [user = '', group] = spec.split(':');
  const table = (path: string) => {
    try {
      return new TextDecoder().decode(tree.readFile(path)).split('\n').map((l) => l.split(':'));
    } catch {
      return [];
    }
  };
  const lookup = (name: string, path: string, what: 'uid' | 'gid'): number => {
    if (/^\d+$/.test(name)) return Number(name);
    const row = table(path).find((r) => r[0] === name);
    if (!row) throw new PodplayError('BuildInvalid', `unable to convert uid/gid chown string to host mapping: can't find ${what} for ${what === 'uid' ? 'user' : 'group'} ${name}: no such ${what === 'uid' ? 'user' : 'group'}: ${name}`);
    return Number(row[2]);
  };
  const uid = lookup(user, '/etc/passwd', 'uid');
  const gid = group !== undefined ? lookup(group, '/etc/group', 'gid') : /^\d+$/.test(user) ? uid : Number(table('/etc/passwd').find((r) => r[0] === user)?.[3] ?? uid);
  return { uid, gid };
}

/** `--chmod=755` as permission bits. */
export function parseChmod(value: string): number {
  if (!/^[0-7]{3,4}$/.test(value)) throw new PodplayError('BuildInvalid', `invalid chmod parameter: ${value}: use octal permissions such as 755 or 0644`);
  return parseInt(value, 8);
}

