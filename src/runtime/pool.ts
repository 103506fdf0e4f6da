import * as Comlink from 'comlink';
import { rebuildError, type Disposable } from '../shared/index.ts';
import { isNode } from '../wasi/index.ts';
import type { CommitOptions } from '../oci/index.ts';
import type { LogLine, LogQuery } from './logs.ts';
import type { ContainerInfo, ContainerResult, ContainerSpec, ExecOptions, NodeStats, NodeWorkerApi, Outcome, OutputEvent, StoreConfig } from './protocol.ts';


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

async function spawnWorker(): Promise<{ api: Comlink.Remote<NodeWorkerApi>; terminate: () => void }> {
  if (!isNode) {
    const worker = new Worker(new URL('./node-worker.ts', import.meta.url), { type: 'module', name: 'podplay-node' });
    return { api: Comlink.wrap<NodeWorkerApi>(worker), terminate: () => worker.terminate() };
  }
  const threads = 'node:worker_threads';
  const { Worker: NodeThread } = (await import(/* @vite-ignore */ threads)) as typeof import('node:worker_threads');
  const { default: nodeEndpoint } = await import('comlink/dist/esm/node-adapter.mjs');
  const thread = new NodeThread(new URL('./node-worker-thread.mjs', import.meta.url));
  thread.unref();
  return { api: Comlink.wrap<NodeWorkerApi>(nodeEndpoint(thread as never)), terminate: () => void thread.terminate() };
}

let nextId = 1;

/**
 * One simulated node: a worker hosting a NodeRuntime. Runs containers there,
 * streams their output back as it is produced, and kills them from this side
 * when a timeout passes.
 */
export class NodeWorker implements Disposable {
  readonly name: string;
  readonly #worker: Promise<{ api: Comlink.Remote<NodeWorkerApi>; terminate: () => void }>;

  constructor(name: string, store: StoreConfig) {
    this.name = name;
    this.#worker = spawnWorker().then(async (w) => {
      await w.api.init({ name, store });
      return w;
    });
  }

  /** Resolves when the worker has loaded the WASI runtime. */
  async ready(): Promise<void> {
    await this.#worker;
  }

  async run(spec: Omit<ContainerSpec, 'id'> & { id?: string }, options: RunOptions = {}): Promise<ContainerHandle> {
    const { api } = await this.#worker;
    const id = spec.id ?? `${this.name}-${nextId++}`;
    const onOutput = Comlink.proxy((e: OutputEvent) => options.onOutput?.(e));
    let timedOut = false;
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      void api.kill(id);
    }, options.timeoutMs);
    const result = api.run({ ...spec, id }, onOutput).then((r) => {
      if (r.error) r.error = { ...r.error };
      return timedOut && r.reason === 'Killed' ? { ...r, reason: 'DeadlineExceeded' as const } : r;
    }).finally(() => clearTimeout(timer));
    return { id, result, kill: async () => void (await api.kill(id)) };
  }

  /** Unwraps a worker's Outcome: the value, or the error rebuilt with its code. */
  async #call<T>(fn: (api: Comlink.Remote<NodeWorkerApi>) => Promise<Outcome<T>>): Promise<T> {
    const out = await fn((await this.#worker).api);
    if (!out.ok) throw rebuildError(out.error);
    return out.value;
  }

  create(spec: ContainerSpec): Promise<ContainerInfo> {
    return this.#call((api) => api.create(spec));
  }

  start(id: string, onOutput?: (e: OutputEvent) => void): Promise<ContainerInfo> {
    return this.#call((api) => api.start(id, onOutput && Comlink.proxy(onOutput)));
  }

  wait(id: string): Promise<ContainerResult> {
    return this.#call((api) => api.wait(id));
  }

  stop(id: string, graceMs?: number): Promise<ContainerResult> {
    return this.#call((api) => api.stop(id, graceMs));
  }

  async kill(id: string): Promise<boolean> {
    return (await this.#worker).api.kill(id);
  }

  restart(id: string, onOutput?: (e: OutputEvent) => void): Promise<ContainerInfo> {
    return this.#call((api) => api.restart(id, onOutput && Comlink.proxy(onOutput)));
  }

  remove(id: string, force = false): Promise<boolean> {
    return this.#call((api) => api.remove(id, force));
  }

  inspect(id: string): Promise<ContainerInfo> {
    return this.#call((api) => api.inspect(id));
  }

  async list(): Promise<ContainerInfo[]> {
    return (await this.#worker).api.list();
  }

  logs(id: string, query?: LogQuery): Promise<LogLine[]> {
    return this.#call((api) => api.logs(id, query));
  }

  /** Sends the selected lines, then each new line, until the container exits. */
  follow(id: string, onLine: (line: LogLine) => void, query?: LogQuery): Promise<void> {
    return this.#call((api) => api.follow(id, Comlink.proxy(onLine), query));
  }

  writeStdin(id: string, data: Uint8Array | string): Promise<boolean> {
    return this.#call((api) => api.writeStdin(id, data));
  }

  closeStdin(id: string): Promise<void> {
    return this.#call((api) => api.closeStdin(id));
  }

  exec(id: string, argv: string[], options: ExecOptions = {}, onOutput?: (e: OutputEvent) => void): Promise<ContainerResult> {
    return this.#call((api) => api.exec(id, argv, options, Comlink.proxy((e: OutputEvent) => onOutput?.(e))));
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

  async readFile(id: string, path: string): Promise<Uint8Array | undefined> {
    return (await this.#worker).api.readFile(id, path);
  }

  async releaseVolumes(scope: string): Promise<number> {
    return (await this.#worker).api.releaseVolumes(scope);
  }

  async stats(): Promise<NodeStats> {
    return (await this.#worker).api.stats();
  }

  async dispose(): Promise<void> {
    (await this.#worker).terminate();
  }
}

/** Turns a StartError result back into an Error with its code. */
export function startError(result: ContainerResult): Error | undefined {
  return result.error ? rebuildError(result.error) : undefined;
}
