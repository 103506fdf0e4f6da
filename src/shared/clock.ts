/**
 * The clock controllers, kubelets and the scheduler read and wait on. It is
 * injected, so a classroom can run the cluster's timers faster (backoff,
 * eviction, ages) and tests can move time by hand without sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch, in the cluster's time. */
  now(): number;
  /** Calls `fn` once `ms` of the cluster's time have passed; returns the cancel. */
  setTimeout(fn: () => void, ms: number): () => void;
}

/**
 * Wall-clock time, optionally sped up: with `speed` 10, ten cluster seconds
 * pass per real second (a 5-minute backoff takes 30 s). Time starts at the
 * real time of creation and runs `speed` times faster from there.
 */
export class SystemClock implements Clock {
  readonly speed: number;
  readonly #realStart = Date.now();

  constructor(speed = 1) {
    if (!(speed > 0)) throw new RangeError(`clock speed must be positive, got ${speed}`);
    this.speed = speed;
  }

  now(): number {
    return this.#realStart + (Date.now() - this.#realStart) * this.speed;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const t = setTimeout(fn, Math.max(0, ms / this.speed));
    return () => clearTimeout(t);
  }
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** A clock that moves only when told to: deterministic tests. */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Set<Timer>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.#timers.size;
  }

  /**
   * Moves time forward by `ms`, firing each timer that falls due in time
   * order (timers set by a firing timer fire too if they fall within `ms`).
   * Microtasks run between timers, so promise chains a timer starts settle
   * before the next one fires.
   */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      await settle();
      let next: Timer | undefined;
      for (const t of this.#timers) if (t.at <= end && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      if (!next) break;
      this.#timers.delete(next);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = end;
    await settle();
  }
}

/** Lets pending promise callbacks run (a few macrotask turns). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((r) => setTimeout(r, 0));
}

/**
 * Resolves in a later task: the page draws and handles input in between (a
 * long run of work split in steps). Not a timer: a hidden tab slows timers
 * to one a second, not other tasks.
 */
export function nextTask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise<void>((r) => setImmediate(r));
  return new Promise<void>((r) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      r();
    };
    channel.port2.postMessage(undefined);
  });
}
