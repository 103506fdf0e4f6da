import { PodplayError } from '../shared/index.ts';
import type { Vfs } from '../vfs/index.ts';
import type { ContentStore, StagedBlob } from './content-store.ts';
import { shortId, type Digest } from './digest.ts';
import type { LayerLimits } from './layer.ts';
import { discardUnreferenced } from './images.ts';
import { normalizeRef, repositoryOf, tagOf } from './reference.ts';
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

/** An image fetched and checked, its blobs written, waiting for its ref: what a pull or load commits or takes back. */
interface PreparedImage {
  pulled: PulledImage;
  /** The digest the source named the image by (an index's, when it had one): what `docker pull` prints. */
  namedDigest: Digest;
  /** Blobs this pull wrote (to take back if it fails). */
  written: Digest[];
  /** The ref's descriptor before this pull, to put back if a later step fails. */
  had: Descriptor | undefined;
  /** False when the store already held the image under that name: nothing to commit. */
  changed: boolean;
  /** Writes anything a sweep took meanwhile and checks the rest is there. Call under the store's shared lock. */
  complete(): Promise<void>;
}

/**
 * Fetches one image of `source`, checks it, and writes its blobs (without a
 * ref). Manifest, config and layers are checked against their digests as
 * they arrive; the layers are then applied to a rootfs (checking diff IDs,
 * whiteouts, link targets and the layer caps) and `verify` runs, while the
 * digest-checked blobs are written in one transaction. If anything fails,
 * the blobs are taken back out before the error is thrown.
 */
async function prepareImage(source: ImageSource, ref: string | undefined, store: ContentStore, options: PullOptions): Promise<PreparedImage> {
  const onEvent = options.onEvent ?? (() => {});
  const chosen = findImage(await source.list(), ref, source.where);
  const named = options.tag ?? chosen.name ?? ref;
  if (!named) throw new PodplayError('ImageNotFound', `the image in ${source.where} has no name: give it one (a tag such as myapp:latest).`);
  const name = normalizeRef(named);
  onEvent({ kind: 'image', status: 'Pulling from', ref: name });
  const had = await store.getRef(name);

  const staged: StagedBlob[] = [];
  const counted = new Set<string>();
  const pulled = { ref: name, downloaded: 0 } as PulledImage;
  const read = async (desc: Descriptor, what: string, onProgress?: (current: number, total: number) => void): Promise<Uint8Array> => {
    const held = staged.find((s) => s.desc.digest === desc.digest);
    if (held) return held.bytes;
    const stored = await store.blobs.get(desc.digest);
    if (stored) return stored;
    const bytes = await store.fetchOnce(desc.digest, () => source.blob(desc, onProgress, what));
    if (!staged.some((s) => s.desc.digest === desc.digest)) staged.push({ desc, bytes });
    if (!counted.has(desc.digest)) {
      counted.add(desc.digest);
      pulled.downloaded += bytes.byteLength;
    }
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
  Object.assign(pulled, { descriptor, manifest, config });
  const layers = manifest.layers;
  const present = await Promise.all(layers.map((l) => store.has(l.digest)));
  const written: Digest[] = [];
  const complete = async () => {
    // A sweep in another tab may have removed a blob this pull wrote or found present; write it again now that sweeps wait.
    const needed = [descriptor, manifest.config, ...layers].filter((d) => !staged.some((s) => s.desc.digest === d.digest));
    const there = await Promise.all(needed.map((d) => store.has(d.digest)));
    for (const [i, desc] of needed.entries()) if (!there[i]) staged.push({ desc, bytes: await source.blob(desc, undefined, 'blob') });
    written.push(...(await store.commit(staged)));
  };
  const prepared: PreparedImage = { pulled, namedDigest: chosen.descriptor.digest, written, had, changed: true, complete };
  if (had?.digest === descriptor.digest && staged.length === 0 && present.every(Boolean)) {
    // Everything is stored and was checked when it was first pulled.
    return { ...prepared, changed: false };
  }

  layers.forEach((l, i) => onEvent({ kind: 'layer', id: shortId(l.digest), status: present[i] ? 'Already exists' : 'Pulling fs layer' }));
  const pending = layers.filter((_, i) => !present[i]);
  let failed = false;
  const workers = Array.from({ length: Math.min(CONCURRENT_DOWNLOADS, pending.length) }, async () => {
    for (let layer = pending.shift(); layer && !failed; layer = pending.shift()) {
      const id = shortId(layer.digest);
      try {
        await read(layer, 'layer', (current, total) => onEvent({ kind: 'layer', id, status: 'Downloading', current, total }));
      } catch (err) {
        failed = true; // the other downloads stop taking layers
        throw err;
      }
      onEvent({ kind: 'layer', id, status: 'Verifying Checksum' });
      onEvent({ kind: 'layer', id, status: 'Download complete' });
    }
  });
  const downloads = Promise.all(workers);
  // Layers are applied as they arrive (each waits for its download, shared with the worker fetching it),
  // and the verified blobs are written while that goes on; nothing names them until the ref is written,
  // and if a check fails they are taken out again.
  const cache = options.rootfs ?? new RootfsCache(options.limits);
  const building = cache.rootfs((d) => read(d, 'layer'), manifest, config);
  building.catch(() => undefined);
  let prewrite: Promise<void> | undefined;
  try {
    await downloads;
    prewrite = store.commit([...staged]).then((d) => void written.push(...d));
    prewrite.catch(() => undefined);
    const rootfs = await building; // (not inside verify?.(): an absent verify would skip evaluating its arguments)
    await options.verify?.(pulled, rootfs);
    await prewrite;
  } catch (err) {
    failed = true;
    await Promise.all([downloads.catch(() => undefined), building.catch(() => undefined), prewrite?.catch(() => undefined)]);
    await discardQuietly(store, written);
    throw err;
  }
  layers.forEach((l, i) => present[i] || onEvent({ kind: 'layer', id: shortId(l.digest), status: 'Pull complete' }));
  return prepared;
}

/** Takes back a failed pull's blobs; a failure there must not hide the pull's own error. */
async function discardQuietly(store: ContentStore, digests: readonly string[]): Promise<void> {
  await discardUnreferenced(store, digests).catch(() => undefined);
}

/**
 * Commits prepared images: under one shared hold of the store's lock, their
 * blobs are completed and their refs written. If any step fails, every ref
 * written here is put back as it was and the blobs are taken back, so the
 * store is as it was before the pull or load.
 */
async function commitImages(store: ContentStore, images: readonly PreparedImage[], onEvent: (e: PullEvent) => void): Promise<void> {
  const done: PreparedImage[] = [];
  try {
    await store.lock.run('shared', async () => {
      for (const image of images) {
        if (!image.changed) continue;
        await image.complete();
        await store.setRef(image.pulled.ref, image.pulled.descriptor);
        done.push(image);
      }
    });
  } catch (err) {
    for (const image of done) {
      await (image.had ? store.setRef(image.pulled.ref, image.had) : store.deleteRef(image.pulled.ref)).catch(() => undefined);
    }
    await discardQuietly(store, images.flatMap((i) => i.written));
    throw err;
  }
  for (const { pulled, had, namedDigest } of images) {
    onEvent({ kind: 'image', status: 'Digest', digest: namedDigest });
    onEvent({
      kind: 'image',
      status: 'Status',
      message: had?.digest === pulled.descriptor.digest ? `Image is up to date for ${pulled.ref}` : `Downloaded newer image for ${pulled.ref}`,
    });
  }
}

/**
 * Pulls one image of `source` into the store: fetched and checked as
 * {@link prepareImage} says, then its ref written. A pull that fails at any
 * point leaves the store as it was.
 */
export async function pullImage(source: ImageSource, ref: string | undefined, store: ContentStore, options: PullOptions = {}): Promise<PulledImage> {
  const prepared = await prepareImage(source, ref, store, options);
  await commitImages(store, [prepared], options.onEvent ?? (() => {}));
  return prepared.pulled;
}

/**
 * Loads every named image of `source` (what `docker load` does with an
 * archive); an archive whose images have no names needs `tag`. All of them
 * are checked before any ref is written, and a failure of one keeps none.
 */
export async function loadImages(source: ImageSource, store: ContentStore, options: PullOptions = {}): Promise<PulledImage[]> {
  const images = await source.list();
  if (images.length === 0) throw new PodplayError('ImageNotFound', `${source.where} holds no image.`);
  const names = [...new Set(images.map((i) => i.name).filter((n): n is string => n !== undefined))];
  const wanted = names.length === 0 || options.tag ? [images.length === 1 ? undefined : names[0]] : names;
  const prepared: PreparedImage[] = [];
  try {
    for (const name of wanted) prepared.push(await prepareImage(source, name, store, options));
  } catch (err) {
    await discardQuietly(store, prepared.flatMap((p) => p.written));
    throw err;
  }
  await commitImages(store, prepared, options.onEvent ?? (() => {}));
  return prepared.map((p) => p.pulled);
}

/** A pull event as the line `docker pull` prints for it. */
export function formatPullEvent(e: PullEvent): string {
  if (e.kind === 'image') {
    if (e.status === 'Pulling from') return `${tagOf(e.ref)}: Pulling from ${repositoryOf(e.ref)}`;
    return e.status === 'Digest' ? `Digest: ${e.digest}` : `Status: ${e.message}`;
  }
  if (e.status === 'Downloading') return `${e.id}: Downloading ${mb(e.current)}/${mb(e.total)}`;
  return `${e.id}: ${e.status}`;
}

function mb(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}MB` : `${(n / 1e3).toFixed(1)}kB`;
}
