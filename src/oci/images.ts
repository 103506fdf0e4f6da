import { PodplayError } from '../shared/index.ts';
import type { CacheRecord, ContentStore } from './content-store.ts';
import type { Digest } from './digest.ts';
import { normalizeRef } from './reference.ts';
import { MediaType, imageConfigOf, parseManifest, type Descriptor, type ImageConfig, type ImageManifest } from './types.ts';

export interface StoredImage {
  ref: string;
  descriptor: Descriptor;
  manifest: ImageManifest;
  config: ImageConfig;
}

/** One row of `docker images` / `docker system df -v`. */
export interface ImageSummary {
  ref: string;
  /** The manifest digest (what `docker images --digests` shows). */
  digest: Digest;
  /** The image ID: the config digest, as docker names images. */
  id: Digest;
  created?: string;
  /** Every blob of the image: manifest, config and (compressed) layers. */
  size: number;
  /** The part of `size` in blobs another stored image also uses. */
  sharedSize: number;
  /** The part only this image uses: what removing it would free. */
  uniqueSize: number;
  layers: number;
}

/** Parsed manifests and configs by manifest digest: content-addressed, so never stale. */
export type ImageCache = Map<string, { manifest: ImageManifest; config: ImageConfig }>;

/**
 * Reads an image the store holds, by ref. With a `cache`, an image whose
 * manifest digest was read before costs one ref lookup.
 */
export async function loadImage(store: ContentStore, ref: string, cache?: ImageCache): Promise<StoredImage> {
  // A manifest digest names an image with no ref (a build's intermediate step): it must be stored.
  const byDigest = /^sha256:[0-9a-f]{64}$/.test(ref) && (await store.has(ref as Digest));
  const name = byDigest ? ref : normalizeRef(ref);
  const descriptor = byDigest ? { mediaType: MediaType.manifest, digest: ref as Digest, size: (await store.get(ref as Digest)).byteLength } : await store.getRef(name);
  if (!descriptor) {
    const have = (await store.listRefs()).map((r) => r.ref);
    throw new PodplayError('ImageNotFound', `Unable to find image '${name}' locally: pull it first${have.length ? ` (stored: ${have.join(', ')})` : ''}.`);
  }
  const cached = cache?.get(descriptor.digest);
  if (cached) return { ref: name, descriptor, ...cached };
  const manifest = parseManifest(await store.get(descriptor.digest), `manifest ${descriptor.digest}`);
  const config = imageConfigOf(manifest, await store.get(manifest.config.digest), `config ${manifest.config.digest}`);
  cache?.set(descriptor.digest, { manifest, config });
  return { ref: name, descriptor, manifest, config };
}

/** The blobs an image is made of, with their sizes, manifest first. */
function blobsOf(descriptor: Descriptor, manifest: ImageManifest): Map<string, number> {
  const out = new Map<string, number>([[descriptor.digest, descriptor.size]]);
  out.set(manifest.config.digest, manifest.config.size);
  for (const l of manifest.layers) out.set(l.digest, l.size);
  return out;
}

/** Every stored image with its size split into shared and unique parts, by ref. */
export async function listImages(store: ContentStore): Promise<ImageSummary[]> {
  const images: Array<{ image: StoredImage; blobs: Map<string, number> }> = [];
  for (const { ref } of await store.listRefs()) {
    try {
      const image = await loadImage(store, ref);
      images.push({ image, blobs: blobsOf(image.descriptor, image.manifest) });
    } catch {
      // A ref whose content another tab is removing right now: it is about to go; skip it.
    }
  }
  // Blobs are shared when two different manifests use them; two tags of one manifest share nothing between them.
  const users = new Map<string, Set<string>>();
  for (const { image, blobs } of images) {
    for (const d of blobs.keys()) (users.get(d) ?? users.set(d, new Set()).get(d)!).add(image.descriptor.digest);
  }
  return images
    .map(({ image, blobs }) => {
      let size = 0;
      let sharedSize = 0;
      for (const [d, n] of blobs) {
        size += n;
        if (users.get(d)!.size > 1) sharedSize += n;
      }
      return {
        ref: image.ref,
        digest: image.descriptor.digest,
        id: image.manifest.config.digest,
        created: image.config.created,
        size,
        sharedSize,
        uniqueSize: size - sharedSize,
        layers: image.manifest.layers.length,
      };
    })
    .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

/** What `rmi` or `gc` did, in docker's words: the refs untagged, the blobs deleted. */
export interface RemoveResult {
  untagged: string[];
  deleted: Digest[];
  freedBytes: number;
}

/**
 * Deletes every blob no ref reaches (containerd's garbage collection: mark
 * from the refs, sweep the rest). Runs under the store's exclusive lock, so
 * it never races a pull that is committing.
 */
export async function collectGarbage(store: ContentStore): Promise<RemoveResult> {
  return store.lock.run('exclusive', () => sweep(store));
}

/** Every blob a ref reaches. Call under the store's lock. */
async function liveBlobs(store: ContentStore): Promise<Set<string>> {
  const live = new Set<string>();
  const roots = [...(await store.listRefs()).map((r) => r.descriptor), ...(await store.listCache()).map((c) => c.record.manifest)];
  for (const descriptor of roots) {
    live.add(descriptor.digest);
    const bytes = await store.blobs.get(descriptor.digest);
    if (!bytes) continue;
    const manifest = parseManifest(bytes, `manifest ${descriptor.digest}`);
    for (const d of blobsOf(descriptor, manifest).keys()) live.add(d);
  }
  return live;
}

async function sweep(store: ContentStore): Promise<RemoveResult> {
  const live = await liveBlobs(store);
  const deleted: Digest[] = [];
  let freedBytes = 0;
  for (const key of await store.blobs.keys()) {
    if (live.has(key)) continue;
    freedBytes += (await store.blobs.get(key))?.byteLength ?? 0;
    await store.blobs.delete(key);
    deleted.push(key as Digest);
  }
  return { untagged: [], deleted, freedBytes };
}

/**
 * Takes back blobs a failed pull wrote, except any that a ref has come to
 * reach meanwhile (another tab's pull of an image sharing them).
 */
export async function discardUnreferenced(store: ContentStore, digests: readonly string[]): Promise<void> {
  if (digests.length === 0) return;
  await store.lock.run('exclusive', async () => {
    const live = await liveBlobs(store);
    for (const d of digests) if (!live.has(d)) await store.blobs.delete(d);
  });
}

/**
 * `docker rmi`: untags `ref`, then deletes those of its blobs no other image
 * uses (other garbage is left to {@link collectGarbage}). An unknown ref is
 * an error in docker's words.
 */
export async function removeImage(store: ContentStore, ref: string): Promise<RemoveResult> {
  const name = normalizeRef(ref);
  return store.lock.run('exclusive', async () => {
    const descriptor = await store.getRef(name);
    if (!descriptor) throw new PodplayError('ImageNotFound', `Error response from daemon: No such image: ${name}`);
    const manifestBytes = await store.blobs.get(descriptor.digest);
    const mine = manifestBytes ? blobsOf(descriptor, parseManifest(manifestBytes, `manifest ${descriptor.digest}`)) : new Map([[descriptor.digest, descriptor.size]]);
    await store.deleteRef(name);
    const live = await liveBlobs(store);
    const deleted: Digest[] = [];
    let freedBytes = 0;
    for (const d of mine.keys()) {
      if (live.has(d)) continue;
      const bytes = await store.blobs.get(d);
      if (!bytes) continue;
      freedBytes += bytes.byteLength;
      await store.blobs.delete(d);
      deleted.push(d as Digest);
    }
    return { untagged: [name], deleted, freedBytes };
  });
}

/** What `docker builder prune` removed: the cache records and the bytes their blobs held alone. */
export interface PruneResult {
  records: Array<{ key: string; description: string }>;
  deleted: Digest[];
  freedBytes: number;
}

/**
 * `docker builder prune`: drops the build cache records `keep` does not
 * keep (all of them by default), then deletes the blobs no ref and no
 * remaining record reaches.
 */
export async function pruneBuildCache(store: ContentStore, keep: (record: CacheRecord) => boolean = () => false): Promise<PruneResult> {
  return store.lock.run('exclusive', async () => {
    const records: PruneResult['records'] = [];
    for (const { key, record } of await store.listCache()) {
      if (keep(record)) continue;
      await store.deleteCache(key);
      records.push({ key, description: record.description });
    }
    const swept = await sweep(store);
    return { records, deleted: swept.deleted, freedBytes: swept.freedBytes };
  });
}
