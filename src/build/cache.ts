/**
 * The build cache: a record per step key (see steps.ts for what a key is
 * made of) in the content store, naming the stage's image after the step.
 * A record is used only when that image extends the stage as it is now by
 * zero layers (a step that changed nothing) or one (the step's layer), and
 * every blob is still stored. Records are roots for garbage collection
 * until `docker builder prune` drops them.
 */
import type { ContentStore, ImageConfig, ImageManifest } from '../oci/index.ts';
import type { Layer, StageState } from './stage.ts';

/** The cached result of the step with `key` for `state`: its layer (none: the step changed nothing), or undefined on a miss. */
export async function cachedStep(store: ContentStore, key: string, state: StageState): Promise<{ layer?: Layer } | undefined> {
  const record = await store.getCache(key);
  if (!record) return undefined;
  try {
    const manifest = JSON.parse(new TextDecoder().decode(await store.get(record.manifest.digest))) as ImageManifest;
    const config = JSON.parse(new TextDecoder().decode(await store.get(manifest.config.digest))) as ImageConfig;
    const have = state.image.layers;
    if (!have.every((l, n) => manifest.layers[n]?.digest === l.digest)) return undefined;
    for (const l of manifest.layers) if (!(await store.has(l.digest))) return undefined;
    if (manifest.layers.length === have.length) return touch(store, key, record, {});
    if (manifest.layers.length !== have.length + 1) return undefined;
    return touch(store, key, record, { layer: { descriptor: manifest.layers[have.length]!, diffId: config.rootfs.diff_ids[have.length]! } });
  } catch {
    // A record whose blobs are gone or unreadable is a miss: the step runs again and records anew.
    return undefined;
  }
}

async function touch<T>(store: ContentStore, key: string, record: NonNullable<Awaited<ReturnType<ContentStore['getCache']>>>, value: T): Promise<T> {
  await store.setCache(key, { ...record, lastUsed: Date.now() });
  return value;
}

/** Records the stage's image after a step under the step's key. */
export async function recordStep(store: ContentStore, key: string, state: StageState, description: string): Promise<void> {
  const manifest = await state.storeImage();
  const now = Date.now();
  await store.setCache(key, { manifest, description, created: now, lastUsed: now });
}
