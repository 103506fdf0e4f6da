/**
 * A readers-writer lock over one image store. Pulls commit under a shared
 * hold and garbage collection sweeps under an exclusive one, so a sweep never
 * removes a blob that a pull in flight is about to reference. In a browser it
 * is a Web Lock, which every tab and worker of the origin shares; elsewhere
 * it is kept in this thread.
 */
export interface StoreLock {
  run<T>(mode: 'shared' | 'exclusive', fn: () => Promise<T>): Promise<T>;
}

interface LockManagerLike {
  request<T>(name: string, options: { mode: 'shared' | 'exclusive' }, fn: () => Promise<T>): Promise<T>;
}

const threadLocks = new Map<string, ThreadLock>();

/** The lock named `name`: a Web Lock where there are Web Locks, else one lock per name in this thread (separate processes do not share it). */
export function storeLock(name: string): StoreLock {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (locks) return { run: (mode, fn) => locks.request(name, { mode }, fn) };
  let lock = threadLocks.get(name);
  if (!lock) threadLocks.set(name, (lock = new ThreadLock()));
  return lock;
}

/** The same contract within one thread: writers wait for readers to finish, and new readers queue behind a waiting writer. */
export class ThreadLock implements StoreLock {
  #readers = 0;
  #writer = false;
  readonly #queue: Array<{ mode: 'shared' | 'exclusive'; wake: () => void }> = [];

  async run<T>(mode: 'shared' | 'exclusive', fn: () => Promise<T>): Promise<T> {
    if (this.#queue.length === 0 && this.#canEnter(mode)) this.#enter(mode);
    else await new Promise<void>((wake) => this.#queue.push({ mode, wake })); // #drain enters for it
    try {
      return await fn();
    } finally {
      if (mode === 'shared') this.#readers--;
      else this.#writer = false;
      this.#drain();
    }
  }

  #canEnter(mode: 'shared' | 'exclusive'): boolean {
    return mode === 'shared' ? !this.#writer : !this.#writer && this.#readers === 0;
  }

  #enter(mode: 'shared' | 'exclusive'): void {
    if (mode === 'shared') this.#readers++;
    else this.#writer = true;
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#canEnter(this.#queue[0]!.mode)) {
      const next = this.#queue.shift()!;
      // Counted now, so the loop does not admit a writer beside it.
      this.#enter(next.mode);
      next.wake();
      if (next.mode === 'exclusive') break;
    }
  }
}

/** Asks the browser to keep this origin's storage under pressure (navigator.storage.persist); false where it cannot or will not. */
export async function requestPersistentStorage(): Promise<boolean> {
  const storage = (globalThis.navigator as { storage?: { persist?: () => Promise<boolean> } } | undefined)?.storage;
  try {
    return (await storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}
