import { unpackTar } from 'modern-tar';
import { PodplayError } from '../shared/index.ts';
import { DirNode, FileNode, SymlinkNode, basename, components, dirname, type Vfs, type VfsNode } from '../vfs/index.ts';
import { MediaType } from './types.ts';

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';

/** One tar entry, as the layer applier needs it. */
export interface LayerEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'link' | string;
  mode: number;
  mtime: number;
  uid: number;
  gid: number;
  linkname?: string;
  data?: Uint8Array;
}

/** Decompresses a layer blob by its media type and reads its tar entries. */
export async function readLayer(blob: Uint8Array, mediaType: string): Promise<LayerEntry[]> {
  let stream: ReadableStream<Uint8Array> = new Blob([blob as Uint8Array<ArrayBuffer>]).stream();
  if (mediaType === MediaType.layerGzip || mediaType === MediaType.dockerLayerGzip) {
    stream = stream.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  } else if (mediaType !== MediaType.layerTar) {
    throw new PodplayError('LayerInvalid', `layer media type ${mediaType} is not supported: use ${MediaType.layerGzip} or ${MediaType.layerTar}.`);
  }
  try {
    const entries = await unpackTar(stream);
    return entries.map(({ header, data }) => ({
      name: header.name,
      type: header.type ?? 'file',
      mode: header.mode ?? 0o644,
      mtime: header.mtime ? header.mtime.getTime() : 0,
      uid: header.uid ?? 0,
      gid: header.gid ?? 0,
      linkname: header.linkname,
      data,
    }));
  } catch (err) {
    throw new PodplayError('LayerInvalid', `layer is not a readable ${mediaType} (${(err as Error).message}): re-pack the image.`, { cause: err });
  }
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
 * Applies one layer's entries on top of `vfs` (image-spec layer.md):
 * opaque markers first, then whiteouts, both against what lower layers left;
 * then the entries in archive order, each replacing what was at its path
 * (a directory over a directory merges).
 */
export function applyLayer(vfs: Vfs, entries: readonly LayerEntry[]): void {
  const paths = entries.map((e) => entryPath(e.name));
  // layer.md "Opaque Whiteout": the directory's lower children go away first.
  paths.forEach((p) => {
    if (basename(p) !== OPAQUE_MARKER) return;
    const dir = vfs.lookup(dirname(p));
    if (dir?.kind === 'dir') dir.children.clear();
  });
  // layer.md "Whiteouts": they hide lower entries only, so apply before this layer's own.
  paths.forEach((p) => {
    const base = basename(p);
    if (!base.startsWith(WHITEOUT_PREFIX) || base === OPAQUE_MARKER) return;
    const target = `${dirname(p)}/${base.slice(WHITEOUT_PREFIX.length)}`;
    if (vfs.lookup(target, false)) vfs.remove(target, true);
  });
  entries.forEach((e, i) => {
    const p = paths[i]!;
    if (p === '/' || basename(p).startsWith(WHITEOUT_PREFIX)) {
      if (p === '/' && e.type === 'directory') setMeta(vfs.root, e);
      return;
    }
    const parent = vfs.mkdirp(dirname(p));
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
