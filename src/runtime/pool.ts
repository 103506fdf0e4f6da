import * as Comlink from 'comlink';
import { PodplayError, assetUrl, assetsBase, flattenError, importNodeOnly, rebuildError, type Disposable } from '../shared/index.ts';
import { isNode } from '../wasi/index.ts';
import type { CommitOptions } from '../oci/index.ts';
import { pageCompiler, sdkModule } from './compiler.ts';
import type { LogLine, LogQuery } from './logs.ts';
import type { ContainerInfo, ContainerProcess, ContainerResult, ContainerSpec, ExecOptions, NodeStats, NodeUsage, NodeWorkerApi, Outcome, OutputEvent, StoreConfig } from './protocol.ts';


export interface RunOptions {
  onOutput?: (e: OutputEvent) => void;
  /** Kill the container after this long (a host-side timer: the SDK's own timeout is not reliable). */
  timeoutMs?: number;
}

/** A container started on a node worker. */
export interface ContainerHandle {
  id: string;
  result: Promise<ContainerResult>;
  kill(): Promise<void>;
}

interface SpawnedWorker {
  api: Comlink.Remote<NodeWorkerApi>;
  /** Ends the worker; in Node, resolves once its thread has exited (its writes have stopped). */
  terminate: () => void | Promise<unknown>;
}

/** Where a production build puts the node worker's entry (see vite.config.ts). */
export const NODE_WORKER_PATH = 'assets/podplay-node.js';

/** Starts a node worker; `onDeath` hears of an uncaught error in it, or (in Node) of its thread exiting. */
async function spawnWorker(onDeath: (why: string) => void): Promise<SpawnedWorker> {
  if (!isNode) {
    // The build emits the node worker as an entry of its own at a fixed path (vite.config.ts), sharing chunks with the page.
    const url = import.meta.env?.DEV ? new URL(/* @vite-ignore */ './node-worker.ts', import.meta.url) : assetUrl(NODE_WORKER_PATH);
    const worker = new Worker(url, { type: 'module', name: 'podplay-node' });
    worker.addEventListener('error', (e) => onDeath(`the worker failed: ${e.message || 'uncaught error'}`));
    return { api: Comlink.wrap<NodeWorkerApi>(worker), terminate: () => worker.terminate() };
  }
  const { Worker: NodeThread } = await importNodeOnly<typeof import('node:worker_threads')>('node:worker_threads');
  const { default: nodeEndpoint } = await import('comlink/dist/esm/node-adapter.mjs');
  const thread = new NodeThread(new URL('./node-worker-thread.mjs', import.meta.url));
  thread.unref();
  thread.on('error', (e: Error) => onDeath(`the worker failed: ${e.message}`));
  thread.on('exit', (code) => onDeath(`the worker thread exited (code ${code})`));
  return { api: Comlink.wrap<NodeWorkerApi>(nodeEndpoint(thread as never)), terminate: () => thread.terminate() };
}

let nextId = 1;

/** Kubernetes' node condition, as far as podplay keeps it. */
export type NodeCondition = 'Ready' | 'NotReady';

/** A node worker's death, as it is reported: which node, why, when, and the containers it took with it. */
export interface NodeFailure {
  node: string;
  reason: string;
  at: number;
  lost: string[];
}

let followSeq = 0;

export interface NodeWorkerOptions {
  /** How often the host side pings the worker (ms; 0: never; default 2 s). */
  heartbeatMs?: number;
  /** How long a ping may go unanswered before the node is declared lost (ms; default 30 s). */
  heartbeatTimeoutMs?: number;
}

/**
 * One simulated node: a worker hosting a NodeRuntime. Runs containers there,
 * streams their output back as it is produced, and kills them from this side
 * when a timeout passes. It watches its worker: an uncaught error, a thread
 * exit or a missed heartbeat marks the node NotReady, ends every call in
 * flight with NodeLost, and is reported to onFailure listeners with the
 * containers that were running there.
 */
export class NodeWorker implements Disposable {
  readonly name: string;
  condition: NodeCondition = 'Ready';
  failure: NodeFailure | undefined;
  readonly #worker: Promise<SpawnedWorker>;
  readonly #lost: Promise<never>;
  #lose!: (err: Error) => void;
  readonly #listeners = new Set<(f: NodeFailure) => void>();
  /** Containers started here that have not finished: what a failure takes with it. */
  readonly #live = new Set<string>();
  /** Runs started per container id here, so only the latest run's end untracks it. */
  readonly #runs = new Map<string, number>();
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #disposed = false;
  #crashed = false;

  constructor(name: string, store: StoreConfig, options: NodeWorkerOptions = {}) {
    this.name = name;
    this.#lost = new Promise<never>((_, reject) => (this.#lose = reject));
    this.#lost.catch(() => undefined);
    this.#worker = spawnWorker((why) => this.#fail(why)).then(async (w) => {
      // Every node asks the page's one compiler, so each distinct program is compiled once per page.
      await w.api.init({ name, store, assets: assetsBase(), sdkModule: await sdkModule() }, Comlink.proxy((bytes: Uint8Array) => pageCompiler.compile(bytes)));
      return w;
    });
    this.#worker.catch((err: Error) => this.#fail(`the worker did not start: ${err.message}`));
    // Generous by default: building a large image's rootfs keeps the worker's thread busy for seconds.
    const every = options.heartbeatMs ?? 2000;
    const timeout = options.heartbeatTimeoutMs ?? 30_000;
    // The heartbeat starts once the node is up (loading the WASI runtime takes a while).
    if (every > 0) {
      void this.#worker.then(() => {
        if (this.condition !== 'Ready' || this.#disposed) return;
        this.#heartbeat = setInterval(() => void this.#ping(timeout), every);
        (this.#heartbeat as { unref?: () => void }).unref?.();
      }, () => undefined);
    }
  }

  async #ping(timeoutMs: number): Promise<void> {
    if (this.condition !== 'Ready') return;
    // A worker the page ended answers nothing: its next heartbeat says so at once (a browser Worker has no exit event, a Node thread's exit does the same).
    if (this.#crashed) return this.#fail('the worker was ended (it answers no heartbeat)');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), timeoutMs)));
    const answer = await Promise.race([this.#worker.then((w) => w.api.ping()).catch(() => 'late' as const), late]);
    clearTimeout(timer);
    if (answer === 'late') this.#fail(`the node did not answer a heartbeat within ${timeoutMs} ms`);
  }

  #fail(reason: string): void {
    if (this.condition === 'NotReady' || this.#disposed) return;
    this.condition = 'NotReady';
    this.failure = { node: this.name, reason, at: Date.now(), lost: [...this.#live] };
    clearInterval(this.#heartbeat);
    this.#lose(new PodplayError('NodeLost', `node ${this.name} is lost: ${reason}`));
    void this.#worker.then((w) => w.terminate()).catch(() => undefined);
    for (const listener of this.#listeners) listener(this.failure);
  }

  /** Calls `listener` when this node is lost; returns the unsubscribe. */
  onFailure(listener: (f: NodeFailure) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Ends the worker abruptly without telling anyone, as a crash would
   * (`podplay stop node`, demos and tests): the next heartbeat is what
   * notices.
   */
  async crash(): Promise<void> {
    this.#crashed = true;
    (await this.#worker).terminate();
  }

  /** Whether the worker has ended (crashed, lost or disposed): this node runs nothing more. */
  get stopped(): boolean {
    return this.#crashed || this.#disposed || this.condition === 'NotReady';
  }

  /** Connects the node's guests to the cluster network: it talks over the returned port (see network-link.ts). */
  async attachNetwork(): Promise<MessagePort> {
    const { port1, port2 } = new MessageChannel();
    await this.#plain((api) => api.attachNetwork(Comlink.transfer(port2, [port2])));
    return port1;
  }

  /** Resolves when the worker has loaded the WASI runtime. */
  async ready(): Promise<void> {
    await Promise.race([this.#worker, this.#lost]);
  }

  async run(spec: Omit<ContainerSpec, 'id'> & { id?: string }, options: RunOptions = {}): Promise<ContainerHandle> {
    const { api } = await Promise.race([this.#worker, this.#lost]);
    const id = spec.id ?? `${this.name}-${nextId++}`;
    const onOutput = Comlink.proxy((e: OutputEvent) => options.onOutput?.(e));
    let timedOut = false;
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      void api.kill(id);
    }, options.timeoutMs);
    const startedAt = Date.now();
    this.#live.add(id);
    const finished = api.run({ ...spec, id }, onOutput).then((r) => {
      if (r.error) r.error = { ...r.error };
      return timedOut && r.reason === 'Killed' ? { ...r, reason: 'DeadlineExceeded' as const } : r;
    });
    const result = Promise.race([finished, this.#lost])
      .catch((err: Error): ContainerResult => ({ exitCode: -1, reason: 'NodeLost', error: flattenError(err), startedAt, finishedAt: Date.now() }))
      .finally(() => {
        clearTimeout(timer);
        this.#live.delete(id);
      });
    return { id, result, kill: async () => void (await api.kill(id)) };
  }

  /** A call that answers plainly, ended with NodeLost if the node dies first. */
  async #plain<T>(fn: (api: Comlink.Remote<NodeWorkerApi>) => Promise<T>): Promise<T> {
    const { api } = await Promise.race([this.#worker, this.#lost]);
    return Promise.race([fn(api), this.#lost]);
  }

  /** Unwraps a worker's Outcome: the value, or the error rebuilt with its code. */
  async #call<T>(fn: (api: Comlink.Remote<NodeWorkerApi>) => Promise<Outcome<T>>): Promise<T> {
    const { api } = await Promise.race([this.#worker, this.#lost]);
    const out = await Promise.race([fn(api), this.#lost]);
    if (!out.ok) throw rebuildError(out.error);
    return out.value;
  }

  create(spec: ContainerSpec): Promise<ContainerInfo> {
    return this.#call((api) => api.create(spec));
  }

  async start(id: string, onOutput?: (e: OutputEvent) => void): Promise<ContainerInfo> {
    const info = await this.#call((api) => api.start(id, onOutput && Comlink.proxy(onOutput)));
    this.#track(id);
    return info;
  }

  wait(id: string): Promise<ContainerResult> {
    return this.#call((api) => api.wait(id));
  }

  stop(id: string, graceMs?: number, signal?: number): Promise<ContainerInfo> {
    return this.#call((api) => api.stop(id, graceMs, signal));
  }

  kill(id: string, signal?: number): Promise<boolean> {
    return this.#plain((api) => api.kill(id, signal));
  }

  async restart(id: string, onOutput?: (e: OutputEvent) => void): Promise<ContainerInfo> {
    const info = await this.#call((api) => api.restart(id, onOutput && Comlink.proxy(onOutput)));
    this.#track(id);
    return info;
  }

  /** Counts a container as live on this node until its current run ends (what a node failure takes with it). */
  #track(id: string): void {
    this.#live.add(id);
    const run = (this.#runs.get(id) ?? 0) + 1;
    this.#runs.set(id, run);
    void this.wait(id)
      .catch(() => undefined)
      .finally(() => {
        // Only the latest run's end removes it: a restart started a newer one.
        if (this.#runs.get(id) === run) this.#live.delete(id);
      });
  }

  remove(id: string, force = false): Promise<boolean> {
    return this.#call((api) => api.remove(id, force));
  }

  inspect(id: string): Promise<ContainerInfo> {
    return this.#call((api) => api.inspect(id));
  }

  list(): Promise<ContainerInfo[]> {
    return this.#plain((api) => api.list());
  }

  logs(id: string, query?: LogQuery): Promise<LogLine[]> {
    return this.#call((api) => api.logs(id, query));
  }

  /** Sends the selected lines, then each new line, until the container exits or `signal` aborts (Ctrl-C). */
  async follow(id: string, onLine: (line: LogLine) => void, query?: LogQuery, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    const followId = `follow-${++followSeq}`;
    const stop = () => void this.#plain((api) => api.unfollow(followId)).catch(() => undefined);
    signal?.addEventListener('abort', stop, { once: true });
    try {
      await this.#call((api) => api.follow(id, Comlink.proxy(onLine), query, followId));
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }

  writeStdin(id: string, data: Uint8Array | string): Promise<boolean> {
    return this.#call((api) => api.writeStdin(id, data));
  }

  closeStdin(id: string): Promise<void> {
    return this.#call((api) => api.closeStdin(id));
  }

  top(id: string): Promise<ContainerProcess[]> {
    return this.#call((api) => api.top(id));
  }

  exec(id: string, argv: string[], options: ExecOptions = {}, onOutput?: (e: OutputEvent) => void): Promise<ContainerResult> {
    return this.#call((api) => api.exec(id, argv, options, Comlink.proxy((e: OutputEvent) => onOutput?.(e))));
  }

  /** Writes to an interactive exec's stdin (see {@link ExecOptions.interactive}). */
  writeExecStdin(execId: string, data: Uint8Array | string): Promise<boolean> {
    return this.#plain((api) => api.writeExecStdin(execId, data));
  }

  closeExecStdin(execId: string): Promise<boolean> {
    return this.#plain((api) => api.closeExecStdin(execId));
  }

  killExec(execId: string): Promise<boolean> {
    return this.#plain((api) => api.killExec(execId));
  }

  diff(id: string): Promise<Array<{ kind: 'A' | 'C' | 'D'; path: string }>> {
    return this.#call((api) => api.diff(id));
  }

  copyOut(id: string, path: string): Promise<Uint8Array> {
    return this.#call((api) => api.copyOut(id, path));
  }

  copyIn(id: string, dir: string, tar: Uint8Array): Promise<void> {
    return this.#call((api) => api.copyIn(id, dir, tar));
  }

  commit(id: string, ref: string, options?: CommitOptions): Promise<{ ref: string; digest: string }> {
    return this.#call((api) => api.commit(id, ref, options));
  }

  /** A build step's layer tar of the container's changes (see NodeWorkerApi.layer). */
  layer(id: string, clampMtime?: number): Promise<{ tar: Uint8Array; changes: number }> {
    return this.#call((api) => api.layer(id, clampMtime));
  }

  readFile(id: string, path: string): Promise<Uint8Array | undefined> {
    return this.#plain((api) => api.readFile(id, path));
  }

  releaseVolumes(scope: string): Promise<number> {
    return this.#plain((api) => api.releaseVolumes(scope));
  }

  usage(): Promise<NodeUsage> {
    return this.#plain((api) => api.usage());
  }

  stats(): Promise<NodeStats> {
    return this.#plain((api) => api.stats());
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    clearInterval(this.#heartbeat);
    // Calls still waiting on this node end now rather than never.
    this.#lose(new PodplayError('NodeLost', `node ${this.name} was removed`));
    await (await this.#worker.catch(() => undefined))?.terminate();
  }
}

/** Turns a StartError result back into an Error with its code. */
export function startError(result: ContainerResult): Error | undefined {
  return result.error ? rebuildError(result.error) : undefined;
}
