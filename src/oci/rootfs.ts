import { Vfs } from '../vfs/index.ts';
import type { ContentStore } from './content-store.ts';
import { sha256, type Digest } from './digest.ts';
import { applyLayer, readLayer } from './layer.ts';
import type { ImageConfig, ImageManifest } from './types.ts';

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
 * order, and keeps every intermediate tree by chain ID, so a second container
 * of the image, or an image sharing its base, does not apply layers again.
 * The trees it returns are shared: clone before writing.
 */
export class RootfsCache {
  readonly #trees = new Map<Digest, Promise<Vfs>>();
  /** Layers applied since creation: what a test or bench reads to see the cache work. */
  appliedLayers = 0;

  async rootfs(store: ContentStore, manifest: ImageManifest, config: ImageConfig): Promise<Vfs> {
    const chain = await chainIds(config.rootfs.diff_ids);
    if (chain.length !== manifest.layers.length) {
      throw new Error(`config lists ${chain.length} diff_ids for ${manifest.layers.length} layers`);
    }
    let tree: Promise<Vfs> = Promise.resolve(new Vfs());
    chain.forEach((id, i) => {
      const cached = this.#trees.get(id);
      if (cached) {
        tree = cached;
        return;
      }
      const below = tree;
      const layer = manifest.layers[i]!;
      tree = (async () => {
        const entries = await readLayer(await store.get(layer.digest), layer.mediaType);
        const next = (await below).clone();
        applyLayer(next, entries);
        this.appliedLayers++;
        return next;
      })();
      tree.catch(() => this.#trees.delete(id));
      this.#trees.set(id, tree);
    });
    return tree;
  }
}
