import { createStore, del, get, keys, promisifyRequest, set, setMany, type UseStore } from 'idb-keyval';
import type { KeyValueStore } from './store.ts';

/**
 * A store in IndexedDB: one database holding one object store, opened through
 * idb-keyval. Works on the page and in workers of the same origin, which is
 * how the page pulls and a node worker reads the same blobs.
 */
export class IdbStore implements KeyValueStore {
  readonly #store: UseStore;
  constructor(dbName: string, storeName = 'kv') {
    this.#store = createStore(dbName, storeName);
  }
  async get(key: string) {
    const v = await get<Uint8Array | ArrayBuffer>(key, this.#store);
    return v instanceof ArrayBuffer ? new Uint8Array(v) : v;
  }
  async set(key: string, value: Uint8Array) {
    await set(key, value, this.#store);
  }
  async setMany(entries: ReadonlyArray<readonly [string, Uint8Array]>) {
    // idb-keyval writes them in one readwrite transaction: a quota error aborts it whole.
    await setMany(entries as Array<[string, Uint8Array]>, this.#store);
  }
  async delete(key: string) {
    await del(key, this.#store);
  }
  async has(key: string) {
    // count() answers without reading the (possibly megabytes of) value.
    return (await this.#store('readonly', (s) => promisifyRequest(s.count(key)))) > 0;
  }
  async keys() {
    return ((await keys(this.#store)) as string[]).sort();
  }
}
