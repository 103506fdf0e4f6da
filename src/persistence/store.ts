/**
 * A namespace of byte values by string key. Blobs (by digest) and metadata
 * (refs, as JSON bytes) each live in one. Implementations: memory, IndexedDB
 * (the browser), a directory (Node). All pass one conformance suite.
 */
export interface KeyValueStore {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, value: Uint8Array): Promise<void>;
  /** Writes every entry or, when it fails, none of them (one IndexedDB transaction). */
  setMany(entries: ReadonlyArray<readonly [string, Uint8Array]>): Promise<void>;
  delete(key: string): Promise<void>;
  has(key: string): Promise<boolean>;
  keys(): Promise<string[]>;
}

/** A store kept in this thread's memory; gone when the thread is. */
export class MemoryStore implements KeyValueStore {
  readonly #map = new Map<string, Uint8Array>();
  async get(key: string) {
    return this.#map.get(key);
  }
  async set(key: string, value: Uint8Array) {
    this.#map.set(key, value.slice());
  }
  async setMany(entries: ReadonlyArray<readonly [string, Uint8Array]>) {
    for (const [k, v] of entries) this.#map.set(k, v.slice());
  }
  async delete(key: string) {
    this.#map.delete(key);
  }
  async has(key: string) {
    return this.#map.has(key);
  }
  async keys() {
    return [...this.#map.keys()].sort();
  }
}
