import * as Comlink from 'comlink';
import { rebuildError, type Disposable } from '../shared/index.ts';
import { isNode } from '../wasi/index.ts';
import type { ContainerResult, ContainerSpec, NodeStats, NodeWorkerApi, OutputEvent, StoreConfig } from './protocol.ts';


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

  async readFile(id: string, path: string): Promise<Uint8Array | undefined> {
    return (await this.#worker).api.readFile(id, path);
  }

  async remove(id: string): Promise<boolean> {
    return (await this.#worker).api.remove(id);
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
