import { unpackTar } from 'modern-tar';
import { PodplayError } from '../shared/index.ts';
import { DirNode, FileNode, SymlinkNode, basename, components, dirname, join, type Vfs, type VfsNode } from '../vfs/index.ts';
import { DEFAULT_MAX_EXPANDED_BYTES, decompress, formatBytes } from './compression.ts';
import { sha256, shortId, type Digest } from './digest.ts';
import { MediaType, wasmModulePath, type Descriptor } from './types.ts';

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';

/** Caps that keep a hostile layer from exhausting the tab. */
export interface LayerLimits {
  /** Most bytes a layer may expand to (gzip bombs stop here). */
  maxExpandedBytes: number;
  /** Most tar entries in one layer. */
  maxEntries: number;
  /** Most bytes all of an image's layers may expand to together. */
  maxImageBytes: number;
}

export const DEFAULT_LAYER_LIMITS: LayerLimits = { maxExpandedBytes: DEFAULT_MAX_EXPANDED_BYTES, maxEntries: 200_000, maxImageBytes: 2 * DEFAULT_MAX_EXPANDED_BYTES };

/** One tar entry, as the layer applier needs it. */
export interface LayerEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'link' | string;
  mode: number;
  /** Milliseconds since the epoch. */
  mtime: number;
  uid: number;
  gid: number;
  linkname?: string;
  data?: Uint8Array;
}

/** A layer read and checked: its entries, its diff ID (sha256 of the uncompressed tar) and its expanded size. */
export interface ReadLayer {
  entries: LayerEntry[];
  diffId: Digest;
  expandedBytes: number;
}

function compressionOf(mediaType: string): 'gzip' | 'zstd' | 'none' | undefined {
  switch (mediaType) {
    case MediaType.layerGzip:
    case MediaType.dockerLayerGzip:
      return 'gzip';
    case MediaType.layerZstd:
      return 'zstd';
    case MediaType.layerTar:
    case MediaType.dockerLayerTar:
      return 'none';
    default:
      return undefined;
  }
}

/** Typeflags of entries a layer may hold: files, links, devices, fifos, directories, and pax/GNU extension headers. */
const KNOWN_TYPEFLAGS = new Set(['0', '\0', '1', '2', '3', '4', '5', '6', '7', 'x', 'g', 'L', 'K']);
const EXTENSION_TYPEFLAGS = new Set(['x', 'g', 'L', 'K']);

/** A tar header's size field: octal text, or GNU base-256 when the high bit is set. */
function headerSize(block: Uint8Array): number {
  if (block[124]! & 0x80) {
    let n = block[124]! & 0x7f;
    for (let i = 125; i < 136; i++) n = n * 256 + block[i]!;
    return n;
  }
  const text = String.fromCharCode(...block.subarray(124, 136)).replace(/[\0 ]+$/g, '').trim();
  return text ? parseInt(text, 8) : 0;
}

/**
 * Walks the tar's headers (no bodies) before anything is parsed: counts the
 * entries against the cap, so a flood of tiny entries is refused before it
 * costs memory, and refuses entry types no layer should hold (GNU sparse
 * files, whose data would be read as garbage).
 */
export function scanTar(tar: Uint8Array, maxEntries: number, what: string): number {
  let entries = 0;
  for (let at = 0; at + 512 <= tar.byteLength; ) {
    const block = tar.subarray(at, at + 512);
    if (block.every((b) => b === 0)) break;
    const type = String.fromCharCode(block[156]!);
    if (!KNOWN_TYPEFLAGS.has(type)) {
      throw new PodplayError('LayerInvalid', `${what} holds a tar entry of type '${type}'${type === 'S' ? ' (a GNU sparse file)' : ''}, which podplay cannot apply: re-pack the image without it.`);
    }
    if (!EXTENSION_TYPEFLAGS.has(type) && ++entries > maxEntries) {
      throw new PodplayError('LayerInvalid', `${what} has more than the ${maxEntries} entries a layer may have here: split it, or raise maxEntries.`);
    }
    const size = headerSize(block);
    if (!Number.isFinite(size) || size < 0) throw new PodplayError('LayerInvalid', `${what} has a tar header with a broken size field: it is corrupt; re-pack the image.`);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/**
 * Reads one layer blob by its media type: decompressed within the limits,
 * its diff ID computed, its tar entries parsed strictly (a bad checksum or a
 * truncated archive is an error, not a short layer). A Wasm artifact layer
 * is one file: the module, at {@link wasmModulePath}.
 */
export async function readLayer(blob: Uint8Array, desc: Pick<Descriptor, 'mediaType' | 'digest' | 'annotations'>, index = 0, caps: Partial<LayerLimits> = {}): Promise<ReadLayer> {
  const limits = { ...DEFAULT_LAYER_LIMITS, ...caps };
  const what = `layer ${shortId(desc.digest)}`;
  if (desc.mediaType === MediaType.wasmLayer) {
    const name = wasmModulePath(desc as Descriptor, index).slice(1);
    return { entries: [{ name, type: 'file', mode: 0o755, mtime: 0, uid: 0, gid: 0, data: blob }], diffId: desc.digest, expandedBytes: blob.byteLength };
  }
  const compression = compressionOf(desc.mediaType);
  if (!compression) {
    throw new PodplayError(
      'LayerInvalid',
      `${what} has media type ${desc.mediaType}, which podplay cannot apply: use ${MediaType.layerGzip}, ${MediaType.layerTar}, ${MediaType.layerZstd} or ${MediaType.wasmLayer}.`,
    );
  }
  const tar = compression === 'none' ? blob : await decompress(blob, compression, limits.maxExpandedBytes, what);
  if (tar.byteLength > limits.maxExpandedBytes) {
    throw new PodplayError('LayerInvalid', `${what} is ${formatBytes(tar.byteLength)}, more than the ${formatBytes(limits.maxExpandedBytes)} a layer may hold here.`);
  }
  // The diff ID hash runs while the tar is parsed.
  const [diffId, entries] = await Promise.all([sha256(tar), tarEntries(tar, what, limits.maxEntries)]);
  return { entries, diffId, expandedBytes: tar.byteLength };
}

/** Linux's PATH_MAX: a longer entry name is no file a real extractor would write. */
const MAX_NAME_BYTES = 4096;

/**
 * The entries of a tar (a layer's, or an archive given to `docker cp`),
 * counted against `maxEntries` from the headers first, then parsed strictly:
 * a bad checksum or a truncated archive is an error, not a short list.
 */
export async function tarEntries(tar: Uint8Array, what: string, maxEntries = DEFAULT_LAYER_LIMITS.maxEntries): Promise<LayerEntry[]> {
  scanTar(tar, maxEntries, what);
  let parsed;
  try {
    parsed = await unpackTar(tar, { strict: true });
  } catch (err) {
    throw new PodplayError('LayerInvalid', `${what} is not a readable tar archive (${(err as Error).message}): it is truncated or corrupt; re-pack the image.`, { cause: err });
  }
  return parsed.map(({ header, data }) => ({
    name: header.name,
    type: header.type ?? 'file',
    mode: header.mode ?? 0o644,
    mtime: header.mtime ? header.mtime.getTime() : 0,
    uid: header.uid ?? 0,
    gid: header.gid ?? 0,
    linkname: header.linkname,
    data,
  }));
}

/**
 * The entry's path inside the rootfs ("./etc/x" and "etc/x/" both give
 * "/etc/x"). Names that climb out with ".." or start at "/" are refused, as
 * image-spec layer.md requires of a safe extractor, and so are names longer
 * than PATH_MAX.
 */
export function entryPath(name: string): string {
  if (name.length > MAX_NAME_BYTES) throw new PodplayError('LayerInvalid', `a layer entry name is ${name.length} bytes long, more than PATH_MAX (${MAX_NAME_BYTES}): re-pack the image.`);
  if (name.startsWith('/')) throw new PodplayError('LayerInvalid', `layer entry "${name}" is an absolute path: layer entries must be relative; re-pack the image.`);
  const parts = components(name);
  if (parts.includes('..')) throw new PodplayError('LayerInvalid', `layer entry "${name}" climbs out of the rootfs with "..": re-pack the image.`);
  return '/' + parts.join('/');
}

function setMeta(node: VfsNode, e: LayerEntry): void {
  node.mode = e.mode & 0o7777;
  node.mtime = e.mtime;
  node.uid = e.uid;
  node.gid = e.gid;
}

function invalidEntry(name: string, why: string): PodplayError {
  return new PodplayError('LayerInvalid', `layer entry "${name}" ${why}: re-pack the image.`);
}

/**
 * The directory an entry goes in, walked one component at a time from the
 * root and creating missing parents (0755, as tar does). A symlink on the
 * way is followed inside the rootfs; one whose target climbs above the root
 * is refused rather than clamped, because writing through it is what a
 * path-traversal attack looks like.
 */
function parentFor(vfs: Vfs, p: string, name: string): DirNode {
  let dir = vfs.root;
  let real = '/';
  for (const c of components(dirname(p))) {
    let child = dir.children.get(c);
    if (child?.kind === 'symlink') {
      let r;
      try {
        r = vfs.resolve(join(real, c), true, 'extract');
      } catch (err) {
        throw invalidEntry(name, `is written through ${join(real, c)}, a symlink that cannot be followed (${(err as Error).message})`);
      }
      if (r.climbedOut) throw invalidEntry(name, `is written through ${join(real, c)}, a symlink that points outside the rootfs`);
      if (!r.node) {
        // A dangling symlink: its target is created, as tar does, when its parent exists.
        const parent = vfs.lookup(dirname(r.realPath));
        if (parent?.kind !== 'dir') throw invalidEntry(name, `is written through ${join(real, c)}, a symlink to ${r.realPath}, whose parent does not exist`);
        child = vfs.mkdir(r.realPath);
      } else child = r.node;
      real = r.realPath;
    } else {
      real = join(real, c);
      if (!child) {
        child = new DirNode(0o755);
        dir.children.set(c, child);
      }
    }
    if (child.kind !== 'dir') throw invalidEntry(name, `needs ${real} to be a directory, but it is a ${child.kind}`);
    dir = child;
  }
  return dir;
}

/**
 * The directory at `path` in the lower layers, without following symlinks:
 * a whiteout or opaque marker under a path whose lower form is a symlink (or
 * not there) has nothing of the lower layers to hide at that path.
 */
function lowerDir(vfs: Vfs, path: string): DirNode | undefined {
  let dir: VfsNode | undefined = vfs.root;
  for (const c of components(path)) {
    if (dir?.kind !== 'dir') return undefined;
    dir = dir.children.get(c);
  }
  return dir?.kind === 'dir' ? dir : undefined;
}

/**
 * Applies one layer's entries on top of `vfs` (image-spec layer.md):
 * opaque markers first, then whiteouts, both against what lower layers left
 * at exactly that path; then the entries in archive order, each replacing
 * what was at its path (a directory over a directory merges; a hard link
 * shares the inode). podplay is stricter than layer.md in one way: a layer
 * that both adds a file and whites it out is refused, not read as the file.
 */
export function applyLayer(vfs: Vfs, entries: readonly LayerEntry[], options: { whiteouts?: boolean } = {}): void {
  const paths = entries.map((e) => entryPath(e.name));
  // `docker cp` unpacks archives literally: a ".wh." name is a file there, not a whiteout.
  if (options.whiteouts === false) return applyEntries(vfs, entries, paths, false);
  const own = new Set(paths.filter((p) => !basename(p).startsWith(WHITEOUT_PREFIX)));
  // layer.md "Opaque Whiteout": the directory's lower children go away first.
  paths.forEach((p) => {
    if (basename(p) === OPAQUE_MARKER) lowerDir(vfs, dirname(p))?.children.clear();
  });
  // layer.md "Whiteouts": they hide lower entries only, so apply before this layer's own.
  paths.forEach((p, i) => {
    const base = basename(p);
    if (!base.startsWith(WHITEOUT_PREFIX) || base === OPAQUE_MARKER) return;
    const hidden = base.slice(WHITEOUT_PREFIX.length);
    if (hidden === '' || hidden === '.' || hidden === '..' || hidden.startsWith(WHITEOUT_PREFIX)) {
      throw invalidEntry(entries[i]!.name, `is not a whiteout of any file name`);
    }
    const target = join(dirname(p), hidden);
    if (own.has(target)) {
      throw invalidEntry(entries[i]!.name, `whites out ${target}, which the same layer also adds: a whiteout may only hide files of lower layers (image-spec layer.md)`);
    }
    lowerDir(vfs, dirname(p))?.children.delete(hidden);
  });
  applyEntries(vfs, entries, paths, true);
}

function applyEntries(vfs: Vfs, entries: readonly LayerEntry[], paths: string[], whiteouts: boolean): void {
  entries.forEach((e, i) => {
    const p = paths[i]!;
    if (p === '/' || (whiteouts && basename(p).startsWith(WHITEOUT_PREFIX))) {
      if (p === '/' && e.type === 'directory') setMeta(vfs.root, e);
      return;
    }
    const parent = parentFor(vfs, p, e.name);
    const name = basename(p);
    const existing = parent.children.get(name);
    let node: VfsNode;
    switch (e.type) {
      case 'directory':
        if (existing?.kind === 'dir') {
          setMeta(existing, e);
          return;
        }
        node = new DirNode();
        break;
      case 'symlink':
        node = new SymlinkNode(e.linkname ?? '');
        break;
      case 'link': {
        let target: VfsNode | undefined;
        try {
          target = vfs.lookup(entryPath(e.linkname ?? ''), false);
        } catch {
          target = undefined;
        }
        if (!target || target.kind === 'dir') throw invalidEntry(e.name, `is a hard link to "${e.linkname}", which is not a file in the layers so far`);
        parent.children.set(name, target);
        return;
      }
      case 'file':
        node = new FileNode(e.data ?? new Uint8Array(0));
        break;
      default:
        return; // devices and fifos mean nothing to a wasm guest
    }
    setMeta(node, e);
    parent.children.set(name, node);
  });
}
