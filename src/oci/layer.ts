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
}

export const DEFAULT_LAYER_LIMITS: LayerLimits = { maxExpandedBytes: DEFAULT_MAX_EXPANDED_BYTES, maxEntries: 200_000 };

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

/** A layer read and checked: its entries and its diff ID (sha256 of the uncompressed tar). */
export interface ReadLayer {
  entries: LayerEntry[];
  diffId: Digest;
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

/**
 * Reads one layer blob by its media type: decompressed within the limits,
 * its diff ID computed, its tar entries parsed strictly (a bad checksum or a
 * truncated archive is an error, not a short layer). A Wasm artifact layer
 * is one file: the module, at {@link wasmModulePath}.
 */
export async function readLayer(blob: Uint8Array, desc: Pick<Descriptor, 'mediaType' | 'digest' | 'annotations'>, index = 0, limits: LayerLimits = DEFAULT_LAYER_LIMITS): Promise<ReadLayer> {
  const what = `layer ${shortId(desc.digest)}`;
  if (desc.mediaType === MediaType.wasmLayer) {
    const name = wasmModulePath(desc as Descriptor, index).slice(1);
    return { entries: [{ name, type: 'file', mode: 0o755, mtime: 0, uid: 0, gid: 0, data: blob }], diffId: desc.digest };
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
  const [diffId, parsed] = await Promise.all([
    sha256(tar),
    unpackTar(tar, { strict: true }).catch((err: Error) => {
      throw new PodplayError('LayerInvalid', `${what} is not a readable tar archive (${err.message}): it is truncated or corrupt; re-pack the image.`, { cause: err });
    }),
  ]);
  if (parsed.length > limits.maxEntries) {
    throw new PodplayError('LayerInvalid', `${what} has ${parsed.length} entries, more than the ${limits.maxEntries} a layer may have here: split it, or raise maxEntries.`);
  }
  const entries = parsed.map(({ header, data }) => ({
    name: header.name,
    type: header.type ?? 'file',
    mode: header.mode ?? 0o644,
    mtime: header.mtime ? header.mtime.getTime() : 0,
    uid: header.uid ?? 0,
    gid: header.gid ?? 0,
    linkname: header.linkname,
    data,
  }));
  return { entries, diffId };
}

/**
 * The entry's path inside the rootfs ("./etc/x" and "etc/x/" both give
 * "/etc/x"). Names that climb out with ".." or start at "/" are refused, as
 * image-spec layer.md requires of a safe extractor.
 */
export function entryPath(name: string): string {
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

/**
 * The directory an entry goes in, creating missing parents (0755, as tar
 * does). Symlinks on the way are followed inside the rootfs; one whose
 * target climbs above the root is refused rather than clamped, because
 * writing through it is what a path-traversal attack looks like.
 */
function parentFor(vfs: Vfs, p: string, name: string): DirNode {
  let cur = '/';
  let dir = vfs.root;
  for (const c of components(dirname(p))) {
    cur = join(cur, c);
    const r = vfs.resolve(cur, true, 'extract');
    if (r.climbedOut) {
      throw new PodplayError('LayerInvalid', `layer entry "${name}" is written through ${cur}, a symlink that points outside the rootfs: re-pack the image.`);
    }
    if (r.node?.kind === 'dir') dir = r.node;
    else if (r.node) throw new PodplayError('LayerInvalid', `layer entry "${name}" needs ${cur} to be a directory, but it is a ${r.node.kind}: re-pack the image.`);
    else dir = vfs.mkdir(r.realPath); // a dangling symlink's target is created, as tar does
  }
  return dir;
}

/**
 * Applies one layer's entries on top of `vfs` (image-spec layer.md):
 * opaque markers first, then whiteouts, both against what lower layers left;
 * then the entries in archive order, each replacing what was at its path
 * (a directory over a directory merges; a hard link shares the inode).
 */
export function applyLayer(vfs: Vfs, entries: readonly LayerEntry[]): void {
  const paths = entries.map((e) => entryPath(e.name));
  const own = new Set(paths.filter((p) => !basename(p).startsWith(WHITEOUT_PREFIX)));
  // layer.md "Opaque Whiteout": the directory's lower children go away first.
  paths.forEach((p) => {
    if (basename(p) !== OPAQUE_MARKER) return;
    const dir = vfs.lookup(dirname(p));
    if (dir?.kind === 'dir') dir.children.clear();
  });
  // layer.md "Whiteouts": they hide lower entries only, so apply before this layer's own.
  paths.forEach((p, i) => {
    const base = basename(p);
    if (!base.startsWith(WHITEOUT_PREFIX) || base === OPAQUE_MARKER) return;
    const target = join(dirname(p), base.slice(WHITEOUT_PREFIX.length));
    if (own.has(target)) {
      throw new PodplayError(
        'LayerInvalid',
        `layer entry "${entries[i]!.name}" whites out ${target}, which the same layer also adds: a whiteout may only hide files of lower layers (image-spec layer.md); re-pack the image.`,
      );
    }
    if (vfs.lookup(target, false)) vfs.remove(target, true);
  });
  entries.forEach((e, i) => {
    const p = paths[i]!;
    if (p === '/' || basename(p).startsWith(WHITEOUT_PREFIX)) {
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
        const target = vfs.lookup(entryPath(e.linkname ?? ''), false);
        if (!target || target.kind === 'dir') {
          throw new PodplayError('LayerInvalid', `layer entry "${e.name}" is a hard link to "${e.linkname}", which is not a file in the layers so far: re-pack the image.`);
        }
        parent.children.set(name, target);
        return;
      }
      case 'file':
      case 'contiguous-file':
        node = new FileNode(e.data ?? new Uint8Array(0));
        break;
      default:
        return; // devices and fifos mean nothing to a wasm guest
    }
    setMeta(node, e);
    parent.children.set(name, node);
  });
}
