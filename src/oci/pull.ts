import type { ContentStore } from './content-store.ts';
import { shortId, type Digest } from './digest.ts';
import type { LayoutSource } from './layout.ts';
import { normalizeRef } from './reference.ts';
import { parseConfig, parseManifest, type Descriptor, type ImageConfig, type ImageManifest } from './types.ts';

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

/**
 * Pulls `ref` from an image layout into the store: manifest, config and every
 * layer are verified before they are committed; layers already in the store
 * are not fetched again. The ref is written last, so a failed pull never
 * leaves a name pointing at missing content.
 */
export async function pullImage(source: LayoutSource, ref: string, store: ContentStore, onEvent: (e: PullEvent) => void = () => {}): Promise<PulledImage> {
  const name = normalizeRef(ref);
  onEvent({ kind: 'image', status: 'Pulling from', ref: name });
  const descriptor = await source.resolve(name);
  const had = await store.getRef(name);
  let downloaded = 0;
  const manifestBytes = (await store.has(descriptor.digest)) ? await store.get(descriptor.digest) : await source.blob(descriptor, undefined, 'manifest');
  const manifest = parseManifest(manifestBytes, `manifest ${descriptor.digest}`);
  const configBytes = (await store.has(manifest.config.digest)) ? await store.get(manifest.config.digest) : await source.blob(manifest.config, undefined, 'image config');
  const config = parseConfig(configBytes, `config ${manifest.config.digest}`);

  for (const layer of manifest.layers) {
    const id = shortId(layer.digest);
    if (await store.has(layer.digest)) {
      onEvent({ kind: 'layer', id, status: 'Already exists' });
      continue;
    }
    onEvent({ kind: 'layer', id, status: 'Pulling fs layer' });
    const bytes = await source.blob(layer, (current, total) => onEvent({ kind: 'layer', id, status: 'Downloading', current, total }), 'layer');
    downloaded += bytes.byteLength;
    onEvent({ kind: 'layer', id, status: 'Verifying Checksum' });
    onEvent({ kind: 'layer', id, status: 'Download complete' });
    await store.ingest(layer, bytes, 'layer');
    onEvent({ kind: 'layer', id, status: 'Pull complete' });
  }
  await store.ingest(manifest.config, configBytes, 'image config');
  await store.ingest(descriptor, manifestBytes, 'manifest');
  await store.setRef(name, descriptor);
  onEvent({ kind: 'image', status: 'Digest', digest: descriptor.digest });
  onEvent({
    kind: 'image',
    status: 'Status',
    message: had?.digest === descriptor.digest ? `Image is up to date for ${name}` : `Downloaded newer image for ${name}`,
  });
  return { ref: name, descriptor, manifest, config, downloaded };
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
