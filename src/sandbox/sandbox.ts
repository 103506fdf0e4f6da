import {
  ContentStore,
  LayoutSource,
  RegistrySource,
  RootfsCache,
  pruneBuildCache,
  type CacheRecord,
  type PruneResult,
  exportImages,
  formatPullEvent,
  listImages,
  loadImage,
  loadImages,
  normalizeRef,
  openImageBytes,
  parseRegistryRef,
  pullImage,
  removeImage,
  sniff,
  type FetchFn,
  type ImageSource,
  type ImageSummary,
  type LayerLimits,
  type PullEvent,
  type PulledImage,
  type PullOptions,
  type RemoveResult,
  type StoredImage,
  StoredCredentials,
  checkLogin,
  pushImage,
  serverHost,
  type Credentials,
  type PushEvent,
  type PushedImage,
  type RegistryCredentials,
} from '../oci/index.ts';
import { PodplayError } from '../shared/index.ts';
import { pullResolved, resolveImage, type Mirror } from '../controllers/index.ts';
import { requestPersistentStorage } from '../persistence/index.ts';
import { NodeWorker, openContentStore, processFor, type ContainerHandle, type ContainerSpec, type RunOptions, type StoreConfig } from '../runtime/index.ts';
import type { Disposable } from '../shared/index.ts';
import type { BuildRequest, BuildResult } from '../build/index.ts';
import type { Vfs } from '../vfs/index.ts';
import { resolveProgram } from '../wasi/index.ts';
import { layoutSources } from './layouts.ts';

export interface SandboxOptions {
  /** URL of the bundled OCI image layout, where names without a registry are pulled from (`<base>images`). */
  layoutUrl: string;
  /** More image layouts, searched before the bundled one (a site's own images). */
  images?: string[];
  /** Where images are kept: IndexedDB in the browser, a directory in Node. */
  store: StoreConfig;
  /** Name of the node worker. */
  nodeName?: string;
  /** How layouts, archives and registries are fetched (Node passes one that also reads file: URLs). */
  fetch?: FetchFn;
  /** Caps on each layer a pull or load applies (gzip bombs, huge layers). */
  limits?: Partial<LayerLimits>;
}

/** A container's overrides (as in ContainerSpec) plus how to watch it run. */
export type RunRequest = Omit<ContainerSpec, 'id' | 'image'> & RunOptions & { id?: string };

/** How an import is told apart: an explicit name for images that carry none, and progress. */
export interface ImportOptions {
  tag?: string;
  onEvent?: (e: PullEvent) => void;
  /** Caps for this import, over the sandbox's own. */
  limits?: Partial<LayerLimits>;
}

/**
 * Checks, before an image is stored, that its entrypoint (with its Cmd) is a
 * WebAssembly program in its own rootfs, so `docker run` of it cannot fail
 * with "exec format error" later. Images with neither are accepted: a run
 * must then name the program.
 */
export function checkEntrypoint(image: PulledImage, rootfs: Vfs): void {
  const proc = processFor(image.config, { id: 'entrypoint-check', image: image.ref });
  if (proc.argv.length === 0) return;
  resolveProgram(rootfs, proc.argv, proc.cwd, proc.env.PATH);
}

/**
 * podplay's facade: an image store, the places images come from (the
 * bundled layout, registries, URLs, files), and a node worker that runs
 * containers. What the faces (page, CLI, tests) talk to.
 */
export class Sandbox implements Disposable {
  readonly store: ContentStore;
  /** Where plain names are pulled from: the bundled layout, after any others. */
  readonly layout: ImageSource;
  readonly node: NodeWorker;
  readonly #fetch: FetchFn;
  readonly #limits: Partial<LayerLimits>;
  /** The builder's trees by chain ID, kept between builds. */
  #buildTrees: RootfsCache | undefined;

  private constructor(store: ContentStore, options: SandboxOptions) {
    this.store = store;
    this.#fetch = options.fetch ?? ((u, init) => fetch(u, init));
    this.#limits = options.limits ?? {};
    this.layout = layoutSources(options.layoutUrl, options.images, this.#fetch);
    this.node = new NodeWorker(options.nodeName ?? 'node-1', options.store);
  }

  static async create(options: SandboxOptions): Promise<Sandbox> {
    return new Sandbox(await openContentStore(options.store), options);
  }

  #options(opts: ImportOptions): PullOptions {
    return { onEvent: opts.onEvent, tag: opts.tag, limits: { ...this.#limits, ...opts.limits }, verify: checkEntrypoint };
  }

  /**
   * `docker pull`: a name a registry mirror serves (busybox,
   * registry.k8s.io/pause, … — the kubelet's table) comes from the mirror's
   * podplay image and is stored under the name asked for; any other name
   * with a registry host (localhost:5000/app, ghcr.io/x/y) comes from that
   * registry; a plain name from the bundled layout, podplay's built-in
   * registry. `mirror` says which mirror served it.
   */
  async pull(ref: string, onEvent?: (e: PullEvent) => void): Promise<PulledImage & { mirror?: Mirror }> {
    const parsed = parseRegistryRef(ref);
    if (parsed.registry === 'docker.io' || resolveImage(ref).mirror) return pullResolved(this.layout, ref, this.store, this.#options({ onEvent }));
    // The credentials docker login stored for the registry, if any (else anonymous, as docker pull).
    const credentials = await this.credentials.get(parsed.registry);
    return pullImage(new RegistrySource(ref, this.#fetch, { credentials }), parsed.name, this.store, this.#options({ onEvent }));
  }

  /** Pulls one image (or, without `ref`, the only one) from any source. */
  pullFrom(source: ImageSource, ref?: string, opts: ImportOptions = {}): Promise<PulledImage> {
    return pullImage(source, ref, this.store, this.#options(opts));
  }

  /** `docker load`: every image of an archive, or a wrapped .wasm module, from its bytes. */
  async load(bytes: Uint8Array, fileName: string, opts: ImportOptions = {}): Promise<PulledImage[]> {
    const source = await openImageBytes(bytes, fileName, opts.limits?.maxExpandedBytes ?? this.#limits.maxExpandedBytes);
    return loadImages(source, this.store, this.#options(opts));
  }

  /**
   * Imports from a URL: an archive or .wasm file is loaded; anything else is
   * read as an OCI image layout directory at that URL.
   */
  async importUrl(url: string, opts: ImportOptions = {}): Promise<PulledImage[]> {
    let res: Response | undefined;
    try {
      res = await this.#fetch(url);
    } catch {
      res = undefined; // a directory URL may not answer at all; the layout reader says what is missing
    }
    if (res?.ok) {
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (sniff(bytes) !== 'unknown') return this.load(bytes, decodeURIComponent(new URL(url, 'file:///').pathname.split('/').pop() || url), opts);
    }
    return loadImages(LayoutSource.fromUrl(url, this.#fetch), this.store, this.#options(opts));
  }

  /** The stored image, pulling it first only when the store lacks it (as docker run does). */
  async ensureImage(ref: string, onEvent?: (e: PullEvent) => void): Promise<{ image: StoredImage; pulled: boolean }> {
    if (!(await this.store.getRef(normalizeRef(ref)))) {
      await this.pull(ref, onEvent);
      return { image: await loadImage(this.store, ref), pulled: true };
    }
    return { image: await loadImage(this.store, ref), pulled: false };
  }

  images(): Promise<ImageSummary[]> {
    return listImages(this.store);
  }

  /** `docker rmi`: untag, then delete what no other image uses. */
  rmi(ref: string): Promise<RemoveResult> {
    return removeImage(this.store, ref);
  }

  /**
   * Removes unused data, as `docker system prune` does: the build cache,
   * then every blob no image references (left by an interrupted session,
   * say).
   */
  async gc(): Promise<RemoveResult> {
    const pruned = await pruneBuildCache(this.store);
    return { untagged: [], deleted: pruned.deleted, freedBytes: pruned.freedBytes };
  }

  /** `docker save`: the images as one OCI layout tar. */
  save(refs: readonly string[]): Promise<Uint8Array> {
    return exportImages(this.store, refs);
  }

  /** Asks the browser not to evict the image store under storage pressure. */
  persist(): Promise<boolean> {
    return requestPersistentStorage();
  }

  run(image: string, req: RunRequest = {}): Promise<ContainerHandle> {
    const { onOutput, timeoutMs, ...overrides } = req;
    return this.node.run({ ...overrides, image: normalizeRef(image) }, { onOutput, timeoutMs });
  }

  /** The image builder (loaded on first use: the Dockerfile parser is not needed before). */
  builder(): Promise<typeof import('../build/index.ts')> {
    return import('../build/index.ts');
  }

  /**
   * `docker build`: builds on this sandbox's store, pulling base images as
   * `docker run` does and running RUN steps on its node worker.
   */
  async build(req: BuildRequest): Promise<BuildResult> {
    const { buildImage } = await this.builder();
    this.#buildTrees ??= new RootfsCache({ maxExpandedBytes: Infinity, maxEntries: Infinity, maxImageBytes: Infinity });
    return buildImage({ store: this.store, ensureImage: (ref, onEvent) => this.ensureImage(ref, onEvent), node: this.node, fetch: (url) => this.#fetch(url), rootfs: this.#buildTrees }, req);
  }

  /** `docker builder prune`: drops build cache records (all, or those `keep` keeps) and the blobs only they held. */
  pruneBuildCache(keep?: (record: CacheRecord) => boolean): Promise<PruneResult> {
    return pruneBuildCache(this.store, keep);
  }

  async dispose(): Promise<void> {
    await this.node.dispose();
  }

  /**
   * Registry credentials `docker login` stored: in the image store's
   * metadata (a directory in Node, IndexedDB in the browser), one entry per
   * registry host, unencrypted as in docker's config.json.
   */
  get credentials(): Credentials {
    return new StoredCredentials(this.store.meta);
  }

  /**
   * `docker push`: the stored image `ref` names, to the registry its name
   * starts with (`localhost:5000/app:1`), with the credentials stored for
   * that registry. Names without a registry are refused as Docker Hub
   * refuses an anonymous push: podplay's Docker Hub is its bundled layout.
   */
  async push(ref: string, onEvent?: (e: PushEvent) => void, options: { chunkSize?: number } = {}): Promise<PushedImage> {
    const { registry } = parseRegistryRef(ref);
    const refuse = registry === 'docker.io' ? 'denied: requested access to the resource is denied' : undefined;
    const credentials = refuse ? undefined : await this.credentials.get(registry);
    return pushImage(this.store, ref, { onEvent, fetch: this.#fetch, credentials, chunkSize: options.chunkSize, refuse });
  }

  /** `docker tag`: `target` names the image `source` names (both as stored refs: `x` is `x:latest`). */
  async tag(source: string, target: string): Promise<void> {
    const from = normalizeRef(source);
    parseRegistryRef(target); // a name docker would refuse is refused: "invalid reference format"
    const to = normalizeRef(target);
    await this.store.lock.run('shared', async () => {
      const descriptor = await this.store.getRef(from);
      if (!descriptor) throw new PodplayError('ImageNotFound', `Error response from daemon: No such image: ${from}`);
      await this.store.setRef(to, descriptor);
    });
  }

  /**
   * `docker login`: checks the credentials against the registry (GET /v2/
   * through its challenge) and stores them for its host. Fails, storing
   * nothing, in the daemon's words.
   */
  async login(host: string, credentials: RegistryCredentials): Promise<void> {
    const server = serverHost(host);
    await checkLogin(server, credentials, this.#fetch);
    await this.credentials.set(server, credentials);
  }

  /** `docker logout`: forgets the registry's credentials; false when there were none. */
  logout(host: string): Promise<boolean> {
    return this.credentials.delete(serverHost(host));
  }
}

export { formatPullEvent };
