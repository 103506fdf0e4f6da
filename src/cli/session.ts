/**
 * A sandbox as its faces use it (the `<podplay-sandbox>` element, the
 * library's createSandbox(), the Node CLI): a cluster of node workers, a
 * docker side on a node worker of its own, the shell's files and history,
 * and the saved state that brings them back after a reload.
 *
 * `exec` runs one shell line as the terminal would (kubectl, docker, the
 * text tools, pipes and redirections), text in and text out.
 */
import { KINDS, resolveResource, type KubeObject, type WatchEventType } from '../api/index.ts';
import { Cluster, Sandbox, defaultNodes, encodeState, fromBase64, toBase64, type LoadedState, type NodeConfig, type SandboxState, type StateStore, type StoreConfig } from '../sandbox/index.ts';
import { hasCode, type Disposable } from '../shared/index.ts';
import { runLine } from './commands.ts';
import { bufferIo, type CliEnv, type Files, type PortListener } from './io.ts';
import { MemoryFiles } from './memory-files.ts';

export interface SessionOptions {
  /** Where images are kept (IndexedDB in the browser, a directory in Node). */
  store: StoreConfig;
  /** The bundled image layout. */
  layoutUrl: string;
  /** More image layouts, searched before the bundled one. */
  images?: string[];
  /** How many nodes (default 3), each a node worker. */
  nodes?: number;
  /** Each node's allocatable CPU and memory (default 2 and 4Gi). */
  nodeCpu?: string;
  nodeMemory?: string;
  /** The nodes in full, over `nodes`, `nodeCpu` and `nodeMemory`. */
  nodeConfigs?: NodeConfig[];
  /** Cluster seconds per real second (default 1). */
  speed?: number;
  /** The shell's files: the real ones in Node; in the page, files in memory starting as these. */
  files?: Files | Record<string, string | Uint8Array>;
  /** Where the state is saved and restored from (with `persist`). */
  state?: StateStore;
  /** False: the state is restored from `state` but never written (another tab of the page keeps it). */
  saveState?: boolean;
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  /** Local ports for kubectl port-forward (Node: NodePorts); absent, port-forward says it cannot listen here. */
  ports?: PortListener;
  /** The docker side's node name (default `docker-desktop`). */
  dockerNode?: string;
}

/** One change of an API object, as `kubectl get -w` sees it. */
export interface ChangeEvent {
  type: WatchEventType;
  kind: string;
  object: KubeObject;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function nodeConfigs(options: SessionOptions): NodeConfig[] {
  if (options.nodeConfigs) return options.nodeConfigs;
  const capacity: Record<string, string> = {};
  if (options.nodeCpu) capacity.cpu = options.nodeCpu;
  if (options.nodeMemory) capacity.memory = options.nodeMemory;
  return defaultNodes(options.nodes ?? 3).map((n) => (Object.keys(capacity).length ? { ...n, capacity } : n));
}

/**
 * Starts a sandbox: restores its saved state when there is one (a state
 * that cannot be read is set aside and reported in {@link SandboxSession.restored}),
 * starts the cluster, and saves again whenever something changes.
 */
export async function createSession(options: SessionOptions): Promise<SandboxSession> {
  const restored: LoadedState = options.state ? await options.state.load() : { kind: 'none' };
  const session = new SandboxSession(options, restored);
  await session.start(restored.kind === 'restored' ? restored.state : undefined);
  return session;
}

export class SandboxSession implements Disposable {
  readonly options: SessionOptions;
  /** What became of the saved state at start (or at the last reset). */
  restored: LoadedState;
  /** The shell's history, oldest first (the terminal's own array once it is mounted). */
  history: string[] = [];
  /** What commands act on; its cluster is replaced by {@link reset}. */
  readonly env: CliEnv;
  readonly #listeners = new Set<(e: ChangeEvent) => void>();
  #watches: Disposable[] = [];
  #docker: Promise<Sandbox> | undefined;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;
  /** The reset under way, if one is. */
  #resetting: Promise<void> | undefined;
  readonly #onDispose: Array<() => void> = [];

  constructor(options: SessionOptions, restored: LoadedState) {
    this.options = options;
    this.restored = restored;
    const fetchFn = options.fetch ?? ((u: string, init?: RequestInit) => fetch(u, init));
    this.env = {
      cluster: undefined as unknown as Cluster,
      sandbox: () => (this.#docker ??= Sandbox.create({ layoutUrl: options.layoutUrl, images: options.images, store: options.store, fetch: fetchFn, nodeName: options.dockerNode ?? 'docker-desktop' })),
      files: isFiles(options.files) ? options.files : new MemoryFiles(options.files ?? {}),
      fetch: (u) => fetchFn(u),
      ports: options.ports,
    };
  }

  get cluster(): Cluster {
    return this.env.cluster;
  }

  get files(): Files {
    return this.env.files;
  }

  /** Starts the cluster, from `state` when given; a state the API refuses is set aside and the cluster starts clean. */
  async start(state?: SandboxState): Promise<void> {
    const start = (objects?: unknown[]) =>
      Cluster.start({
        store: this.options.store,
        layoutUrl: this.options.layoutUrl,
        images: this.options.images,
        fetch: this.options.fetch,
        nodes: nodeConfigs(this.options),
        speed: this.options.speed,
        state: objects as KubeObject[] | undefined,
      });
    try {
      this.env.cluster = await start(state?.objects);
    } catch (err) {
      // Only what the API refuses sets a state aside: a worker that fails to start says so and keeps the state.
      if (!state || !this.options.state || !hasCode(err, 'StateRefused')) throw err;
      this.restored = await this.options.state.setAside(encodeState(state), (err as Error).message);
      state = undefined;
      this.env.cluster = await start();
    }
    if (state) {
      if (state.files && this.env.files instanceof MemoryFiles) this.env.files.replaceAll(Object.fromEntries(Object.entries(state.files).map(([p, b]) => [p, fromBase64(b)])));
      this.history = [...(state.history ?? [])];
    }
    this.#watchAll();
  }

  #watchAll(): void {
    const rv = this.cluster.api.resourceVersion;
    for (const { kind } of KINDS) {
      this.#watches.push(
        this.cluster.api.watch(kind, { resourceVersion: rv }, (e) => {
          for (const l of this.#listeners) l({ type: e.type, kind, object: e.object });
          // Heartbeats and events alone do not call for a save: they go with the next one (or the page's last).
          if (kind !== 'Event' && !(kind === 'Node' && e.type === 'MODIFIED')) this.scheduleSave();
        }),
      );
    }
  }

  /** Calls `listener` on every change of every object; returns the unsubscribe. */
  onChange(listener: (e: ChangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Runs one shell line without a terminal: what it printed and its exit code. */
  async exec(line: string, options: { stdin?: string; signal?: AbortSignal } = {}): Promise<ExecResult> {
    await this.#resetting;
    const io = bufferIo(options.stdin, options.signal);
    const exitCode = await runLine(line, io, this.env, this.history).catch((err: Error) => {
      io.err(`podplay: ${err.message}\n`);
      return 1;
    });
    this.scheduleSave();
    return { stdout: io.stdout, stderr: io.stderr, exitCode };
  }

  /** kubectl apply -f of a manifest's text: kubectl's lines, and its errors. */
  apply(yaml: string, source = 'manifest.yaml', namespace = 'default'): { lines: string[]; errors: string[] } {
    return this.cluster.apply(yaml, source, namespace);
  }

  /**
   * API objects: one by name, or a list (`namespace` "default" unless given;
   * "*" for all namespaces). `kind` as kubectl takes it: pods, pod, po, Pod,
   * deployments.apps. Copies, safe to keep.
   */
  get(kind: string, name?: string, namespace?: string): KubeObject | KubeObject[] | undefined {
    const info = resolveResource(kind);
    if (!info) throw new Error(`error: the server doesn't have a resource type "${kind}"`);
    const ns = info.namespaced ? (namespace === '*' ? undefined : (namespace ?? 'default')) : undefined;
    if (name !== undefined) {
      const obj = this.cluster.api.tryGet(info.kind, ns, name);
      return obj && structuredClone(obj);
    }
    return this.cluster.api.list(info.kind, { namespace: ns }).items.map((o) => structuredClone(o));
  }

  /** The state as it would be saved now. */
  snapshot(): SandboxState {
    const state: SandboxState = { objects: this.cluster.state(), history: [...this.history] };
    if (this.env.files instanceof MemoryFiles) state.files = Object.fromEntries(Object.entries(this.env.files.entries()).map(([p, b]) => [p, toBase64(b)]));
    return state;
  }

  /** Whether changes are saved (a `state` to save to, and this session the one that keeps it). */
  get saving(): boolean {
    return !!this.options.state && this.options.saveState !== false;
  }

  /** Saves soon (changes come in bursts: one save for a burst). */
  scheduleSave(delayMs = 300): void {
    if (!this.saving || this.#disposed || this.#resetting || this.#saveTimer) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      void this.save().catch((err: Error) => console.warn(`podplay: could not save the sandbox: ${err.message}`));
    }, delayMs);
  }

  /** Saves now. Nothing is saved while a reset is under way: the old cluster is not written back. */
  async save(): Promise<void> {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    if (!this.saving || this.#disposed || this.#resetting) return;
    await this.options.state!.save(this.snapshot());
  }

  /** Saves as the page goes (pagehide): into the state's journal at once as well, which survives the unload. */
  saveNow(): Promise<void> {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    if (!this.saving || this.#disposed || this.#resetting) return Promise.resolve();
    return this.options.state!.saveNow(this.snapshot());
  }

  /**
   * Starts clean: the saved state, the cluster, the files and the history
   * are gone; images stay. A reset asked for while one is under way is that
   * one; commands wait for it.
   */
  reset(files: Record<string, string | Uint8Array> = {}): Promise<void> {
    this.#resetting ??= (async () => {
      clearTimeout(this.#saveTimer);
      this.#saveTimer = undefined;
      await this.#stop();
      if (this.saving) await this.options.state!.clear();
      this.restored = { kind: 'none' };
      if (this.env.files instanceof MemoryFiles) this.env.files.replaceAll(files);
      this.history.length = 0;
      await this.start();
    })().finally(() => (this.#resetting = undefined));
    return this.#resetting;
  }

  async #stop(): Promise<void> {
    for (const w of this.#watches) w.dispose();
    this.#watches = [];
    const docker = this.#docker;
    this.#docker = undefined;
    await Promise.all([this.cluster?.dispose(), docker?.then((d) => d.dispose(), () => undefined)]);
  }

  /** Calls `fn` once the session is disposed (a face's own listeners, a lock it holds). */
  onDispose(fn: () => void): void {
    this.#onDispose.push(fn);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    await this.save().catch(() => undefined);
    this.#disposed = true;
    clearTimeout(this.#saveTimer);
    this.#listeners.clear();
    await this.#stop();
    for (const fn of this.#onDispose.splice(0)) fn();
  }
}

const isFiles = (f: SessionOptions['files']): f is Files => !!f && typeof (f as Files).read === 'function' && typeof (f as Files).list === 'function';
