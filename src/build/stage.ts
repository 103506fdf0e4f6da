/**
 * One stage's state as its instructions run: the image config and layers
 * so far, the tree they make (built lazily, only when a step needs it), the
 * ARGs in scope, and the layer-making step that turns a changed tree into
 * the next layer.
 */
import { RootfsCache, chainIds, gzip, layerTar, sha256, tarEntries, applyLayer, MediaType, type ContentStore, type Descriptor, type Digest, type ImageConfig, type ImageManifest, type StagedBlob } from '../oci/index.ts';
import { utf8 } from '../shared/index.ts';
import { diffTrees, Vfs } from '../vfs/index.ts';
import type { Stage } from './dockerfile.ts';
import { envMap, historyEntry, type HistoryEntry } from './image-config.ts';

/** The PATH BuildKit gives an image that sets none (system.DefaultPathEnv). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface Layer {
  descriptor: Descriptor;
  diffId: Digest;
}

/** The image a stage has made so far. */
export interface StageImage {
  config: ImageConfig;
  layers: Descriptor[];
}

export class StageState {
  image: StageImage;
  /** ARGs declared in the stage (and their values), in scope for expansion and RUN. */
  readonly args = new Map<string, string>();
  shell = ['/bin/sh', '-c'];
  /** Instructions run so far that count as steps ([stage n/M]). */
  step = 0;
  /** The vertex of the step running now (its output is logged there). */
  vertex = 0;
  /** Whether CMD was set in this stage (ENTRYPOINT resets an inherited one only). */
  cmdSet = false;
  /** An ARG's value: --build-arg first, then the default written, then the global ARG of that name. */
  argValue: (name: string, written: string | undefined) => string | undefined = (_, written) => written;
  #tree: Promise<Vfs> | undefined;
  /** Manifest digest of the stored image at this point, once stored (RUN needs it). */
  #stored: Digest | undefined;

  constructor(
    readonly stage: Stage,
    readonly label: string,
    readonly steps: number,
    image: StageImage,
    readonly store: ContentStore,
    readonly rootfs: RootfsCache,
    tree?: Vfs,
  ) {
    this.image = image;
    if (tree) this.#tree = Promise.resolve(tree);
  }

  get config(): NonNullable<ImageConfig['config']> {
    return (this.image.config.config ??= {});
  }

  get env(): Map<string, string> {
    return envMap(this.config.Env);
  }

  /** Variables for expansion: the stage's ARGs, then its ENV over them. */
  vars(): Map<string, string> {
    return new Map([...this.args, ...this.env]);
  }

  /** `ARG name[=default]`: in scope from here on, with its value when it has one. */
  declareArg(name: string, written: string | undefined): string | undefined {
    const value = this.argValue(name, written);
    if (value === undefined) this.args.delete(name);
    else this.args.set(name, value);
    return value;
  }

  /** `[build 2/5]` */
  prefix(): string {
    const width = String(this.steps).length;
    return `[${this.label ? `${this.label} ` : ''}${String(this.step).padStart(width)}/${this.steps}]`;
  }

  /** The stage's tree as it is now (applied from the layers the first time it is asked for). */
  tree(): Promise<Vfs> {
    this.#tree ??= this.rootfs.rootfs((d) => this.store.get(d.digest), this.#manifest(), this.image.config);
    return this.#tree;
  }

  /** The identity of the filesystem so far: the chain ID of its layers ('' for none). */
  async chain(): Promise<string> {
    const ids = await chainIds(this.image.config.rootfs.diff_ids);
    return ids[ids.length - 1] ?? '';
  }

  #manifest(): ImageManifest {
    return { schemaVersion: 2, mediaType: MediaType.manifest, config: { mediaType: MediaType.config, digest: 'sha256:' as Digest, size: 0 }, layers: this.image.layers };
  }

  /** Adds a history entry for a step that adds no layer. */
  metadata(created: string, createdBy: string): void {
    (this.image.config.history ??= []).push(historyEntry(created, createdBy, true));
  }

  /**
   * Makes the next layer from a new tree (a copy of the current one that a
   * step changed): its changes as a gzip tar with times capped at the
   * epoch. No changes: a history entry with empty_layer, as BuildKit writes.
   */
  async commitTree(next: Vfs, created: string, createdBy: string, clampMtime: number): Promise<void> {
    const before = await this.tree();
    const changes = diffTrees(before, next);
    if (changes.length === 0) {
      this.metadata(created, createdBy);
      return;
    }
    await this.addLayer(await layerTar(changes, { clampMtime }), created, createdBy, next);
  }

  /** Adds a layer tar (a RUN's, from the node worker) and moves the tree on by it. */
  async addLayer(tar: Uint8Array, created: string, createdBy: string, next?: Vfs): Promise<void> {
    const gz = await gzip(tar);
    const descriptor: Descriptor = { mediaType: MediaType.layerGzip, digest: (await sha256(gz)) as Digest, size: gz.byteLength };
    const diffId = (await sha256(tar)) as Digest;
    await this.store.commit([{ desc: descriptor, bytes: gz }]);
    let tree = next;
    if (!tree) {
      const moved = (await this.tree()).clone();
      applyLayer(moved, await tarEntries(tar, `the layer of ${createdBy}`));
      tree = moved;
    }
    this.adopt({ descriptor, diffId }, historyEntry(created, createdBy, false), tree);
  }

  /** Takes a layer (made now, or found in the cache) as the stage's next. */
  adopt(layer: Layer, history: HistoryEntry, tree?: Vfs): void {
    const config = this.image.config;
    this.image = {
      layers: [...this.image.layers, layer.descriptor],
      config: { ...config, rootfs: { type: 'layers', diff_ids: [...config.rootfs.diff_ids, layer.diffId] }, history: [...(config.history ?? []), history] },
    };
    this.#tree = tree ? Promise.resolve(tree) : undefined;
    this.#stored = undefined;
  }

  /** Stores the image as it is now (config + manifest blobs) and gives its manifest digest, for a RUN's container or a cache record. */
  async storeImage(): Promise<Descriptor> {
    const config = utf8(JSON.stringify(this.image.config));
    const configDesc: Descriptor = { mediaType: MediaType.config, digest: (await sha256(config)) as Digest, size: config.byteLength };
    const manifest: ImageManifest = { schemaVersion: 2, mediaType: MediaType.manifest, config: configDesc, layers: this.image.layers };
    const bytes = utf8(JSON.stringify(manifest));
    const desc: Descriptor = { mediaType: MediaType.manifest, digest: (await sha256(bytes)) as Digest, size: bytes.byteLength };
    if (this.#stored !== desc.digest) {
      const staged: StagedBlob[] = [
        { desc: configDesc, bytes: config },
        { desc, bytes },
      ];
      await this.store.commit(staged);
      this.#stored = desc.digest;
    }
    return desc;
  }
}

/** A new empty tree for a `scratch` stage. */
export function emptyTree(): Vfs {
  return new Vfs();
}
