import { packTar, type TarEntry } from 'modern-tar';
import { PodplayError, utf8 } from '../shared/index.ts';
import { basename, dirname, join, type Change, type Vfs, type VfsNode } from '../vfs/index.ts';
import { gzip } from './compression.ts';
import type { ContentStore, StagedBlob } from './content-store.ts';
import { sha256, type Digest } from './digest.ts';
import { discardUnreferenced, type StoredImage } from './images.ts';
import { normalizeRef } from './reference.ts';
import { MediaType, type Descriptor, type ImageConfig, type ImageManifest } from './types.ts';

const WHITEOUT_PREFIX = '.wh.';

function entryFor(path: string, node: VfsNode, linked: Map<VfsNode, string>, clamp = Infinity): TarEntry {
  const name = path.slice(1);
  const meta = { mode: node.mode, mtime: new Date(Math.min(node.mtime, clamp)), uid: node.uid, gid: node.gid };
  if (node.kind === 'dir') return { header: { name: `${name}/`, type: 'directory', size: 0, ...meta } };
  if (node.kind === 'symlink') return { header: { name, type: 'symlink', size: 0, linkname: node.target, ...meta } };
  const first = linked.get(node);
  if (first) return { header: { name, type: 'link', size: 0, linkname: first, ...meta } };
  linked.set(node, name);
  const data = node.content();
  return { header: { name, type: 'file', size: data.byteLength, ...meta }, body: data };
}

/**
 * The layer tar for a container's changes (image-spec layer.md "Change
 * Types"): added and changed paths as entries (a directory's entry carries
 * only itself; its changed children come as their own), removed paths as
 * `.wh.<name>` whiteouts, hard links as link entries to the first name.
 */
export async function layerTar(changes: readonly Change[], options: { clampMtime?: number } = {}): Promise<Uint8Array> {
  const linked = new Map<VfsNode, string>();
  const entries: TarEntry[] = changes.map((c) => {
    if (c.kind === 'D') {
      const wh = join(dirname(c.path), WHITEOUT_PREFIX + basename(c.path)).slice(1);
      return { header: { name: wh, type: 'file', size: 0, mode: 0o644, mtime: new Date(0) } };
    }
    return entryFor(c.path, c.node!, linked, options.clampMtime);
  });
  return packTar(entries);
}

export interface CommitOptions {
  /** docker commit --message: kept in the new history entry. */
  comment?: string;
  /** Who made it (docker commit --author). */
  author?: string;
  /** Fields of the image config's `config` to replace (docker commit --change 'CMD …', 'ENV …'). */
  config?: Partial<NonNullable<ImageConfig['config']>>;
  /** The history entry's created_by: docker writes the container's command. */
  createdBy?: string;
  /** The time of the commit, ms since the epoch (a clock for tests). */
  now?: number;
}

/**
 * `docker commit`: a new image made of `base`'s layers plus one layer of
 * `changes` (tar+gzip, with whiteouts), its config extended with the layer's
 * diff ID and a history entry. Its blobs and ref are committed as a pull's
 * are, so it is at once a stored image like any other.
 */
export async function commitImage(store: ContentStore, base: StoredImage, changes: readonly Change[], ref: string, options: CommitOptions = {}): Promise<{ ref: string; descriptor: Descriptor }> {
  if (base.manifest.config.mediaType === MediaType.wasmConfig) {
    throw new PodplayError('ManifestInvalid', `${base.ref} is a Wasm artifact, which has no filesystem layers to extend: commit a container of an image instead.`);
  }
  const name = normalizeRef(ref);
  const tar = await layerTar(changes);
  const layerBytes = await gzip(tar);
  const created = new Date(options.now ?? Date.now()).toISOString();
  const staged: StagedBlob[] = [];
  const add = async (mediaType: string, bytes: Uint8Array): Promise<Descriptor> => {
    const desc = { mediaType, digest: (await sha256(bytes)) as Digest, size: bytes.byteLength };
    staged.push({ desc, bytes });
    return desc;
  };
  const layer = await add(MediaType.layerGzip, layerBytes);
  const config: ImageConfig = {
    ...base.config,
    created,
    ...(options.author ? { author: options.author } : {}),
    config: { ...base.config.config, ...options.config },
    rootfs: { type: 'layers', diff_ids: [...base.config.rootfs.diff_ids, await sha256(tar)] },
    history: [...(base.config.history ?? []), { created, ...(options.author ? { author: options.author } : {}), created_by: options.createdBy ?? '', ...(options.comment ? { comment: options.comment } : {}) }],
  };
  const configDesc = await add(MediaType.config, utf8(JSON.stringify(config)));
  const manifest: ImageManifest = { schemaVersion: 2, mediaType: MediaType.manifest, config: configDesc, layers: [...base.manifest.layers, layer] };
  const descriptor = await add(MediaType.manifest, utf8(JSON.stringify(manifest)));
  const written: string[] = [];
  try {
    await store.lock.run('shared', async () => {
      for (const l of base.manifest.layers) {
        if (!(await store.has(l.digest))) throw new PodplayError('ImageNotFound', `${base.ref}'s layer ${l.digest} is no longer stored: pull ${base.ref} again, then commit.`);
      }
      written.push(...(await store.commit(staged)));
      await store.setRef(name, descriptor);
    });
  } catch (err) {
    await discardUnreferenced(store, written).catch(() => undefined);
    throw err;
  }
  return { ref: name, descriptor };
}

/**
 * `docker cp CONTAINER:PATH -`: the file or directory at `path` as a tar
 * whose top entry is its base name, symlinks kept as symlinks.
 */
export async function pathTar(vfs: Vfs, path: string): Promise<Uint8Array> {
  const node = vfs.lstat(path);
  const top = basename(path) || 'root';
  const linked = new Map<VfsNode, string>();
  const entries = [entryFor(`/${top}`, node, linked)];
  if (node.kind === 'dir') for (const [p, child] of vfs.walk(path)) entries.push(entryFor(`/${top}${p.slice(path.replace(/\/+$/, '').length)}`, child, linked));
  return packTar(entries);
}
