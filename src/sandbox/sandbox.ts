import { ContentStore, LayoutSource, type FetchFn, formatPullEvent, loadImage, normalizeRef, pullImage, type PullEvent, type PulledImage, type StoredImage } from '../oci/index.ts';
import { NodeWorker, openContentStore, type ContainerHandle, type ContainerSpec, type RunOptions, type StoreConfig } from '../runtime/index.ts';
import type { Disposable } from '../shared/index.ts';

export interface SandboxOptions {
  /** URL of the OCI image layout images are pulled from (the bundled one is `<base>images`). */
  layoutUrl: string;
  /** Where images are kept: IndexedDB in the browser, a directory in Node. */
  store: StoreConfig;
  /** Name of the node worker. */
  nodeName?: string;
  /** How the layout is fetched (Node passes one that reads file: URLs). */
  fetch?: FetchFn;
}

/** A container's overrides (as in ContainerSpec) plus how to watch it run. */
export type RunRequest = Omit<ContainerSpec, 'id' | 'image'> & RunOptions;

/**
 * podplay's facade: an image store, the layout it pulls from, and a node
 * worker that runs containers. What the faces (page, CLI, tests) talk to.
 */
export class Sandbox implements Disposable {
  readonly store: ContentStore;
  readonly source: LayoutSource;
  readonly node: NodeWorker;

  private constructor(store: ContentStore, source: LayoutSource, node: NodeWorker) {
    this.store = store;
    this.source = source;
    this.node = node;
  }

  static async create(options: SandboxOptions): Promise<Sandbox> {
    const store = await openContentStore(options.store);
    return new Sandbox(store, new LayoutSource(options.layoutUrl, options.fetch), new NodeWorker(options.nodeName ?? 'node-1', options.store));
  }

  /** Pulls from the layout (layers already stored are not fetched). */
  pull(ref: string, onEvent?: (e: PullEvent) => void): Promise<PulledImage> {
    return pullImage(this.source, ref, this.store, onEvent);
  }

  /** The stored image, pulling it first only when the store lacks it (as docker run does). */
  async ensureImage(ref: string, onEvent?: (e: PullEvent) => void): Promise<{ image: StoredImage; pulled: boolean }> {
    if (!(await this.store.getRef(normalizeRef(ref)))) {
      await this.pull(ref, onEvent);
      return { image: await loadImage(this.store, ref), pulled: true };
    }
    return { image: await loadImage(this.store, ref), pulled: false };
  }

  async images(): Promise<Array<{ ref: string; digest: string }>> {
    return (await this.store.listRefs()).map((r) => ({ ref: r.ref, digest: r.descriptor.digest }));
  }

  run(image: string, req: RunRequest = {}): Promise<ContainerHandle> {
    const { onOutput, timeoutMs, ...overrides } = req;
    return this.node.run({ ...overrides, image: normalizeRef(image) }, { onOutput, timeoutMs });
  }

  async dispose(): Promise<void> {
    await this.node.dispose();
  }
}

export { formatPullEvent };
