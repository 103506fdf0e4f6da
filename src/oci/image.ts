import { PodplayError } from '../shared/index.ts';
import type { ContentStore } from './content-store.ts';
import { normalizeRef } from './reference.ts';
import { parseConfig, parseManifest, type Descriptor, type ImageConfig, type ImageManifest } from './types.ts';

export interface StoredImage {
  ref: string;
  descriptor: Descriptor;
  manifest: ImageManifest;
  config: ImageConfig;
}

/** Reads an image the store already holds, by ref. */
export async function loadImage(store: ContentStore, ref: string): Promise<StoredImage> {
  const name = normalizeRef(ref);
  const descriptor = await store.getRef(name);
  if (!descriptor) {
    const have = (await store.listRefs()).map((r) => r.ref);
    throw new PodplayError('ImageNotFound', `Unable to find image '${name}' locally: pull it first${have.length ? ` (stored: ${have.join(', ')})` : ''}.`);
  }
  const manifest = parseManifest(await store.get(descriptor.digest), `manifest ${descriptor.digest}`);
  const config = parseConfig(await store.get(manifest.config.digest), `config ${manifest.config.digest}`);
  return { ref: name, descriptor, manifest, config };
}
