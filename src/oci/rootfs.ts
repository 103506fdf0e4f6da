import { PodplayError } from '../shared/index.ts';
import { Vfs } from '../vfs/index.ts';
import { sha256, shortId, type Digest } from './digest.ts';
import { formatBytes } from './compression.ts';
import { DEFAULT_LAYER_LIMITS, applyLayer, readLayer, type LayerLimits } from './layer.ts';
import type { Descriptor, ImageConfig, ImageManifest } from './types.ts';

/** Reads a layer blob (from the store, or from a pull that has not committed yet). */
export type BlobReader = (desc: Descriptor) => Promise<Uint8Array>;

/**
 * image-spec config.md "Layer ChainID": chainID(L1) = diffID(L1),
 * chainID(L1..n) = sha256(chainID(L1..n-1) + " " + diffID(Ln)).
 */
export async function chainIds(diffIds: readonly Digest[]): Promise<Digest[]> {
  const out: Digest[] = [];
  for (const d of diffIds) out.push(out.length === 0 ? d : await sha256(`${out[out.length - 1]} ${d}`));
  return out;
}

/**
 * Builds the read-only root filesystem of an image by applying its layers in
 * order, checking each layer's diff ID against the config, and keeps every
 * intermediate tree by chain ID, so a second container of the image, or an
 * image sharing its base, does not apply layers again. The trees it returns
 * are shared: clone before writing.
 */
export class RootfsCache {
  readonly #trees = new Map<Digest, Promise<Vfs>>();
  /** Expanded bytes of each cached chain, for the image-wide cap. */
  readonly #chainBytes = new Map<Digest, Promise<number>>();
  #reading: Promise<unknown> = Promise.resolve();
  /** Layers applied since creation: what a test or bench reads to see the cache work. */
  appliedLayers = 0;
  readonly limits: LayerLimits;

  constructor(limits: Partial<LayerLimits> = {}) {
    this.limits = { ...DEFAULT_LAYER_LIMITS, ...limits };
  }

  async rootfs(read: BlobReader, manifest: ImageManifest, config: ImageConfig): Promise<Vfs> {
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== manifest.layers.length) {
      throw new PodplayError('ManifestInvalid', `the image config lists ${diffIds.length} diff_ids for ${manifest.layers.length} layers: the image is corrupt; re-pack it.`);
    }
    const chain = await chainIds(diffIds);
    let tree: Promise<Vfs> = Promise.resolve(new Vfs());
    let bytes: Promise<number> = Promise.resolve(0);
    chain.forEach((id, i) => {
      const cached = this.#trees.get(id);
      if (cached) {
        tree = cached;
        bytes = this.#chainBytes.get(id)!;
        return;
      }
      const below = tree;
      const bytesBelow = bytes;
      const layer = manifest.layers[i]!;
      // Layers are expanded one at a time (each may take up to the cap, three times over, while it is read).
      const reading = this.#reading.then(async () => readLayer(await read(layer), layer, i, this.limits));
      this.#reading = reading.catch(() => undefined);
      const total = (async () => (await bytesBelow) + (await reading).expandedBytes)();
      tree = (async () => {
        const { entries, diffId } = await reading;
        if ((await total) > this.limits.maxImageBytes) {
          throw new PodplayError('LayerInvalid', `the image's layers expand to more than ${formatBytes(this.limits.maxImageBytes)} together, more than an image may hold here.`);
        }
        if (diffId !== diffIds[i]) {
          throw new PodplayError(
            'ImageDigestMismatch',
            `layer ${shortId(layer.digest)} uncompresses to ${diffId}, but the image config says its diff_id is ${diffIds[i]}: the image is corrupt; re-pack it.`,
          );
        }
        const next = (await below).clone();
        applyLayer(next, entries);
        this.appliedLayers++;
        return next;
      })();
      tree.catch(() => {
        this.#trees.delete(id);
        this.#chainBytes.delete(id);
      });
      total.catch(() => undefined);
      this.#trees.set(id, tree);
      this.#chainBytes.set(id, total);
      bytes = total;
    });
    return tree;
  }
}
