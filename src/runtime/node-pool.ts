import { PodplayError, type Disposable } from '../shared/index.ts';
import { NodeWorker, type NodeFailure, type NodeWorkerOptions } from './pool.ts';
import type { StoreConfig } from './protocol.ts';

/**
 * The simulated nodes of a cluster: one NodeWorker (one Web Worker, or one
 * worker_threads thread in Node) per node, all reading the same image
 * store. A node that dies is reported to onNodeFailure listeners and stays
 * in the pool as NotReady, as a lost node stays in `kubectl get nodes`.
 */
export class NodePool implements Disposable {
  readonly #nodes = new Map<string, NodeWorker>();
  readonly #store: StoreConfig;
  readonly #options: NodeWorkerOptions;
  readonly #listeners = new Set<(f: NodeFailure) => void>();

  constructor(store: StoreConfig, names: readonly string[], options: NodeWorkerOptions = {}) {
    this.#store = store;
    this.#options = options;
    for (const name of names) this.add(name);
  }

  add(name: string): NodeWorker {
    if (this.#nodes.has(name)) throw new PodplayError('ContainerConflict', `node "${name}" already exists`);
    const node = new NodeWorker(name, this.#store, this.#options);
    node.onFailure((f) => this.#listeners.forEach((l) => l(f)));
    this.#nodes.set(name, node);
    return node;
  }

  get(name: string): NodeWorker {
    const node = this.#nodes.get(name);
    if (!node) throw new PodplayError('ContainerNotFound', `Error from server (NotFound): nodes "${name}" not found`);
    return node;
  }

  get nodes(): NodeWorker[] {
    return [...this.#nodes.values()];
  }

  /** Calls `listener` when any node is lost; returns the unsubscribe. */
  onNodeFailure(listener: (f: NodeFailure) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves when every node that is still Ready has started. */
  async ready(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.ready().catch(() => undefined)));
  }

  async remove(name: string): Promise<void> {
    await this.get(name).dispose();
    this.#nodes.delete(name);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.dispose()));
    this.#nodes.clear();
  }
}
