import { createStore, del, get, keys, promisifyRequest, setMany, type UseStore } from 'idb-keyval';
import { PodplayError } from '../shared/index.ts';
import type { KeyValueStore } from './store.ts';

/** Values from this size on are kept as Blobs: Chromium writes a Blob value about 2.5× faster than the same bytes as an array (measured with 21 MiB). */
const BLOB_FROM = 64 * 1024;

function stored(value: Uint8Array): Uint8Array | Blob {
  return value.byteLength >= BLOB_FROM ? new Blob([value as Uint8Array<ArrayBuffer>]) : value.slice();
}

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
    const v = await get<Uint8Array | ArrayBuffer | Blob>(key, this.#store);
    if (v instanceof Blob) return new Uint8Array(await v.arrayBuffer());
    return v instanceof ArrayBuffer ? new Uint8Array(v) : v;
  }
  async set(key: string, value: Uint8Array) {
    const v = stored(value);
    await this.#store('readwrite', (s) => {
      s.put(v, key);
      // Committed now, not when the event loop next turns: a page that is unloading (a save in pagehide) still gets it written.
      s.transaction.commit?.();
      return promisifyRequest(s.transaction);
    });
  }
  async setMany(entries: ReadonlyArray<readonly [string, Uint8Array]>) {
    // idb-keyval writes them in one readwrite transaction: a quota error aborts it whole.
    await setMany(entries.map(([k, v]) => [k, stored(v)]), this.#store);
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

/**
 * Whether this thread may use IndexedDB (a frame of another site is refused
 * it where the browser blocks third-party storage): opens the store `name`
 * as {@link IdbStore} does. Rejects with code `StorageRefused` and the
 * browser's reason.
 */
export async function checkIndexedDb(name: string): Promise<void> {
  try {
    await new IdbStore(name).has('');
  } catch (err) {
    throw new PodplayError('StorageRefused', `the browser refused IndexedDB (${(err as Error).message})`, { cause: err });
  }
}
