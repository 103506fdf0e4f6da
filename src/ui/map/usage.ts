/**
 * What the map knows of the node workers beyond the API: measured usage
 * (as `kubectl top` reads it: CPU time over a window, linear memory),
 * sampled every few seconds while the live map is shown, and which workers
 * have stopped (before the node controller marks their nodes NotReady).
 */
import { millicores } from '../../cli/index.ts';
import type { Cluster, NodeUsage } from '../../sandbox/index.ts';
import type { Disposable } from '../../shared/index.ts';
import type { NodeUsageFigures } from './map-view.ts';

const SAMPLE_MS = 2000;

export class MapUsage implements Disposable {
  /** Per node: CPU in millicores over the last window, memory in bytes. */
  figures = new Map<string, NodeUsageFigures>();
  /** Workers reported lost (their pings went unanswered). */
  #lost = new Set<string>();
  readonly #cluster: () => Cluster;
  readonly #wanted: () => boolean;
  readonly #changed: () => void;
  #last = new Map<string, NodeUsage>();
  #watched: Cluster | undefined;
  #unsubscribe: (() => void) | undefined;
  #timer: ReturnType<typeof setInterval>;
  #sampling = false;
  /** Moves on at each reset: a sample of the old cluster that finishes after it is dropped. */
  #generation = 0;

  constructor(cluster: () => Cluster, wanted: () => boolean, changed: () => void) {
    this.#cluster = cluster;
    this.#wanted = wanted;
    this.#changed = changed;
    this.#follow();
    this.#timer = setInterval(() => void this.#sample(), SAMPLE_MS);
  }

  /** Subscribes to the current cluster's node failures (again after a reset). */
  #follow(): void {
    const cluster = this.#cluster();
    if (cluster === this.#watched) return;
    this.#unsubscribe?.();
    this.#watched = cluster;
    this.#unsubscribe = cluster?.nodes.onNodeFailure((f) => {
      this.#lost.add(f.node);
      this.figures.delete(f.node);
      this.#changed();
    });
  }

  /** Nodes whose worker has ended: stopped on purpose (at once) or found lost. */
  get stopped(): Set<string> {
    const out = new Set(this.#lost);
    for (const n of this.#cluster()?.nodes.nodes ?? []) if (n.stopped) out.add(n.name);
    return out;
  }

  reset(): void {
    this.#generation++;
    this.figures = new Map();
    this.#lost = new Set();
    this.#last = new Map();
    this.#follow();
  }

  async #sample(): Promise<void> {
    if (this.#sampling || !this.#wanted() || document.hidden) return;
    this.#sampling = true;
    const generation = this.#generation;
    try {
      this.#follow();
      const pool = this.#cluster().nodes;
      const reads = await Promise.all(pool.nodes.filter((n) => !n.stopped && !this.#lost.has(n.name)).map((n) => n.usage().catch(() => undefined)));
      if (generation !== this.#generation) return;
      for (const u of reads) {
        if (!u) continue;
        const before = this.#last.get(u.node);
        this.#last.set(u.node, u);
        // As kubectl top reads it: CPU time over the window between two samples.
        this.figures.set(u.node, { cpuMilli: before ? Math.max(0, millicores(u.cpuMs - before.cpuMs, u.at - before.at)) : 0, memoryBytes: u.memoryBytes });
      }
      this.#changed();
    } finally {
      this.#sampling = false;
    }
  }

  dispose(): void {
    clearInterval(this.#timer);
    this.#unsubscribe?.();
  }
}
