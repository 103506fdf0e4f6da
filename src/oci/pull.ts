import { PodplayError } from '../shared/index.ts';
import type { Vfs } from '../vfs/index.ts';
import type { ContentStore, StagedBlob } from './content-store.ts';
import { shortId, type Digest } from './digest.ts';
import type { LayerLimits } from './layer.ts';
import { discardUnreferenced } from './images.ts';
import { normalizeRef } from './reference.ts';
import { RootfsCache } from './rootfs.ts';
import { findImage, selectManifest, type ImageSource } from './source.ts';
import { imageConfigOf, isWasmPlatform, parseManifest, type Descriptor, type ImageConfig, type ImageManifest } from './types.ts';

/** One line of pull progress, in `docker pull`'s words. */
export type PullEvent =
  | { kind: 'layer'; id: string; status: 'Pulling fs layer' | 'Already exists' | 'Verifying Checksum' | 'Download complete' | 'Pull complete' }
  | { kind: 'layer'; id: string; status: 'Downloading'; current: number; total: number }
  | { kind: 'image'; status: 'Pulling from'; ref: string }
  | { kind: 'image'; status: 'Digest'; digest: Digest }
  | { kind: 'image'; status: 'Status'; message: string };

export interface PulledImage {
  ref: string;
  descriptor: Descriptor;
  manifest: ImageManifest;
  config: ImageConfig;
  /** Bytes fetched from the source (0 when everything was cached). */
  downloaded: number;
}

export interface PullOptions {
  onEvent?: (e: PullEvent) => void;
  /** The name to store the image under; by default the name the source gives it, else `ref`. */
  tag?: string;
  /** Where the image's rootfs is built to check it (and kept, so its first container starts warm). */
  rootfs?: RootfsCache;
  /** Caps on each layer, when no `rootfs` cache brings its own. */
  limits?: Partial<LayerLimits>;
  /** More checks of the image before anything is stored (the sandbox checks that its entrypoint is wasm). */
  verify?: (image: PulledImage, rootfs: Vfs) => void | Promise<void>;
}

/** How many layers download at once, as docker's default max-concurrent-downloads. */
const CONCURRENT_DOWNLOADS = 3;

/**
 * Pulls one image of `source` into the store. Manifest, config and layers
 * are checked against their digests as they arrive; the layers are then
 * applied to a rootfs (checking diff IDs, whiteouts, link targets and the
 * layer caps) and `verify` runs. The digest-checked blobs are written in one
 * transaction meanwhile, but no ref names them until every check has passed;
 * then the ref is written. A pull that fails at any point takes its blobs
 * back out and leaves the store as it was.
 */
export async function pullImage(source: ImageSource, ref: string | undefined, store: ContentStore, options: PullOptions = {}): Promise<PulledImage> {
  const onEvent = options.onEvent ?? (() => {});
  const chosen = findImage(await source.list(), ref, source.where);
  const named = options.tag ?? chosen.name ?? ref;
  if (!named) throw new PodplayError('ImageNotFound', `the image in ${source.where} has no name: give it one (a tag such as myapp:latest).`);
  const name = normalizeRef(named);
  onEvent({ kind: 'image', status: 'Pulling from', ref: name });
  const had = await store.getRef(name);

  const staged: StagedBlob[] = [];
  let downloaded = 0;
  const read = async (desc: Descriptor, what: string, onProgress?: (current: number, total: number) => void): Promise<Uint8Array> => {
    const held = staged.find((s) => s.desc.digest === desc.digest);
    if (held) return held.bytes;
    if (await store.has(desc.digest)) return store.get(desc.digest);
    const bytes = await store.fetchOnce(desc.digest, () => source.blob(desc, onProgress, what));
    staged.push({ desc, bytes });
    downloaded += bytes.byteLength;
    return bytes;
  };

  const descriptor = await selectManifest(source, chosen.descriptor, name);
  const manifest = parseManifest(await read(descriptor, 'manifest'), `manifest ${descriptor.digest}`);
  const config = imageConfigOf(manifest, await read(manifest.config, 'image config'), `config ${manifest.config.digest}`);
  if (!isWasmPlatform(config)) {
    throw new PodplayError(
      'PlatformNotFound',
      `${name} is a ${config.os}/${config.architecture} image: podplay runs WebAssembly images (wasip1/wasm), built with GOOS=wasip1 GOARCH=wasm.`,
    );
  }

  const layers = manifest.layers;
  const present = await Promise.all(layers.map((l) => store.has(l.digest)));
  const pulled: PulledImage = { ref: name, descriptor, manifest, config, downloaded };
  if (had?.digest === descriptor.digest && staged.length === 0 && present.every(Boolean)) {
    // Everything is stored and was checked when it was first pulled: docker prints just the digest and status.
    onEvent({ kind: 'image', status: 'Digest', digest: descriptor.digest });
    onEvent({ kind: 'image', status: 'Status', message: `Image is up to date for ${name}` });
    return pulled;
  }
  layers.forEach((l, i) => onEvent({ kind: 'layer', id: shortId(l.digest), status: present[i] ? 'Already exists' : 'Pulling fs layer' }));
  const pending = layers.filter((_, i) => !present[i]);
  const workers = Array.from({ length: Math.min(CONCURRENT_DOWNLOADS, pending.length) }, async () => {
    for (let layer = pending.shift(); layer; layer = pending.shift()) {
      const id = shortId(layer.digest);
      await read(layer, 'layer', (current, total) => onEvent({ kind: 'layer', id, status: 'Downloading', current, total }));
      onEvent({ kind: 'layer', id, status: 'Verifying Checksum' });
      onEvent({ kind: 'layer', id, status: 'Download complete' });
    }
  });
  await Promise.all(workers);

  // Verified blobs are written while the layers are checked (the write and the check take about as long);
  // nothing names them until the ref is written, and if a check fails they are taken out again.
  const written: Digest[] = [];
  const prewrite = store.commit([...staged]).then((d) => void written.push(...d));
  prewrite.catch(() => undefined);
  pulled.downloaded = downloaded;
  try {
    const cache = options.rootfs ?? new RootfsCache(options.limits);
    const rootfs = await cache.rootfs((d) => read(d, 'layer'), manifest, config);
    await options.verify?.(pulled, rootfs);
    layers.forEach((l, i) => present[i] || onEvent({ kind: 'layer', id: shortId(l.digest), status: 'Pull complete' }));
    await prewrite;
    await store.lock.run('shared', async () => {
      // A sweep in another tab may have removed a blob this pull wrote or found present; write it again now that sweeps wait.
      const needed = [descriptor, manifest.config, ...layers].filter((d) => !staged.some((s) => s.desc.digest === d.digest));
      const there = await Promise.all(needed.map((d) => store.has(d.digest)));
      for (const [i, desc] of needed.entries()) if (!there[i]) staged.push({ desc, bytes: await source.blob(desc, undefined, 'blob') });
      written.push(...(await store.commit(staged)));
      await store.setRef(name, descriptor);
    });
  } catch (err) {
    await prewrite.catch(() => undefined);
    await discardUnreferenced(store, written);
    throw err;
  }
  onEvent({ kind: 'image', status: 'Digest', digest: descriptor.digest });
  onEvent({
    kind: 'image',
    status: 'Status',
    message: had?.digest === descriptor.digest ? `Image is up to date for ${name}` : `Downloaded newer image for ${name}`,
  });
  return pulled;
}

/**
 * Loads every named image of `source` (what `docker load` does with an
 * archive); an archive whose images have no names needs `tag`.
 */
export async function loadImages(source: ImageSource, store: ContentStore, options: PullOptions = {}): Promise<PulledImage[]> {
  const images = await source.list();
  if (images.length === 0) throw new PodplayError('ImageNotFound', `${source.where} holds no image.`);
  const names = [...new Set(images.map((i) => i.name).filter((n): n is string => n !== undefined))];
  if (names.length === 0 || options.tag) return [await pullImage(source, images.length === 1 ? undefined : names[0], store, options)];
  const out: PulledImage[] = [];
  for (const name of names) out.push(await pullImage(source, name, store, options));
  return out;
}

/** A pull event as the line `docker pull` prints for it. */
export function formatPullEvent(e: PullEvent): string {
  if (e.kind === 'image') {
    if (e.status === 'Pulling from') {
      const i = e.ref.lastIndexOf(':');
      return `${e.ref.slice(i + 1)}: Pulling from ${e.ref.slice(0, i)}`;
    }
    return e.status === 'Digest' ? `Digest: ${e.digest}` : `Status: ${e.message}`;
  }
  if (e.status === 'Downloading') return `${e.id}: Downloading ${mb(e.current)}/${mb(e.total)}`;
  return `${e.id}: ${e.status}`;
}

function mb(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}MB` : `${(n / 1e3).toFixed(1)}kB`;
}
