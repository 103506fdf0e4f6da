import { applyLayer, entryPath, tarEntries } from '../oci/index.ts';
import { PodplayError } from '../shared/index.ts';
import { diffTrees, type Change, type Vfs, type VfsNode } from '../vfs/index.ts';
import type { VolumeMount } from './protocol.ts';

/**
 * Directories the WASIX host makes before a program starts, where the image
 * has none (it keeps its commands there): while they stay empty they are
 * not the container's changes.
 */
const HOST_DIRS = new Set(['/bin', '/usr', '/usr/bin']);

/**
 * A container's changes against its image (docker diff), without its
 * volumes: docker diff and commit leave volumes out.
 */
export function containerChanges(lower: Vfs, tree: Vfs, mounts: readonly VolumeMount[] = []): Change[] {
  const paths = mounts.map((m) => m.path.replace(/\/+$/, ''));
  const inVolume = (p: string) => paths.some((m) => p === m || p.startsWith(`${m}/`));
  const hostMade = (p: string, node: VfsNode) => HOST_DIRS.has(p) && node.kind === 'dir' && node.children.size === 0;
  return diffTrees(lower, tree, { skipAdded: hostMade }).filter((ch) => !inVolume(ch.path));
}

/**
 * `docker cp - CONTAINER:DIR`: unpacks a tar into the directory `dir` of a
 * container's tree, as a layer is applied under the root (no "..", no
 * writing through a symlink out of the tree) but literally (a ".wh." name
 * is a file), with hard links moved along, and never into a read-only volume.
 */
export async function copyInto(tree: Vfs, dir: string, tar: Uint8Array, where: string): Promise<void> {
  const target = tree.stat(dir);
  if (target.kind !== 'dir') throw new PodplayError('ENOTDIR', `Error response from daemon: extraction point is not a directory: ${dir}`);
  const real = tree.resolve(dir).realPath;
  if (tree.isReadOnly(real)) throw new PodplayError('EACCES', `Error response from daemon: container rootfs is marked read-only: ${dir} is a read-only volume`);
  const under = (name: string) => `${real.slice(1)}/${entryPath(name).slice(1)}`.replace(/^\/+/, '');
  const entries = (await tarEntries(tar, `the archive for ${where}`)).map((e) => ({
    ...e,
    name: under(e.name),
    // A hard link names another entry of the same archive: it moves with it.
    ...(e.type === 'link' && e.linkname ? { linkname: under(e.linkname) } : {}),
  }));
  // Entries land under `dir` as a layer's land under the root (no "..", no writing through a symlink out of the
  // tree), but literally: docker cp has no whiteouts. Nothing may land in a read-only volume below `dir`.
  for (const e of entries) if (tree.isReadOnly('/' + e.name)) throw new PodplayError('EACCES', `Error response from daemon: /${e.name} is in a read-only volume`);
  applyLayer(tree, entries, { whiteouts: false });
}
