/**
 * A controller's work queue (client-go workqueue): keys, not objects; a key
 * queued twice before it is handled is handled once; one key is never
 * handled twice at the same time; a failed key comes back after a delay that
 * doubles per failure (5 ms up to 1000 s), on the injected clock.
 */
import type { Clock, Disposable } from '../shared/index.ts';

export class WorkQueue implements Disposable {
  readonly #clock: Clock;
  readonly #handle: (key: string) => Promise<void> | void;
  readonly #queued = new Set<string>();
  readonly #active = new Set<string>();
  /** Keys queued again while being handled. */
  readonly #again = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Map<string, { at: number; cancel: () => void }>();
  #disposed = false;
  #running = false;
  onError: (key: string, err: unknown) => void = (key, err) => console.error(`sync of ${key} failed:`, err);

  constructor(clock: Clock, handle: (key: string) => Promise<void> | void) {
    this.#clock = clock;
    this.#handle = handle;
  }

  add(key: string): void {
    if (this.#disposed) return;
    if (this.#active.has(key)) {
      this.#again.add(key);
      return;
    }
    this.#queued.add(key);
    if (!this.#running) queueMicrotask(() => void this.#drain());
  }

  /** Queues `key` after `ms` of cluster time (a resync, a backoff the controller chose). */
  addAfter(key: string, ms: number): void {
    if (this.#disposed) return;
    const at = this.#clock.now() + ms;
    const pending = this.#timers.get(key);
    // The sooner of two asks wins (a deadline is not pushed back by a later backoff).
    if (pending && pending.at <= at) return;
    pending?.cancel();
    const cancel = this.#clock.setTimeout(() => {
      this.#timers.delete(key);
      this.add(key);
    }, ms);
    this.#timers.set(key, { at, cancel });
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#queued.size && !this.#disposed) {
        const key = this.#queued.values().next().value as string;
        this.#queued.delete(key);
        this.#active.add(key);
        try {
          await this.#handle(key);
          this.#failures.delete(key);
        } catch (err) {
          const n = (this.#failures.get(key) ?? 0) + 1;
          this.#failures.set(key, n);
          this.onError(key, err);
          this.addAfter(key, Math.min(5 * 2 ** (n - 1), 1_000_000));
        } finally {
          this.#active.delete(key);
          if (this.#again.delete(key)) this.#queued.add(key);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  /** Whether the queue was disposed (a sync under way stops at its next step). */
  get disposed(): boolean {
    return this.#disposed;
  }

  dispose(): void {
    this.#disposed = true;
    for (const t of this.#timers.values()) t.cancel();
    this.#timers.clear();
  }
}
