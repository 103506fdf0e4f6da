import type { KeyValueStore } from './store.ts';

/** The few node:fs/promises calls a directory store needs, passed in so this module stays platform-neutral. */
export interface DirectoryFs {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: boolean }): Promise<void>;
  mkdir(path: string, options: { recursive: boolean }): Promise<unknown>;
  readdir(path: string): Promise<string[]>;
}

/**
 * A store in a directory: one file per key (the key URI-encoded), written to a
 * temporary name and renamed, so a reader never sees half a value.
 */
export class DirectoryStore implements KeyValueStore {
  readonly #dir: string;
  readonly #fs: DirectoryFs;
  #ready: Promise<unknown> | undefined;
  constructor(dir: string, fs: DirectoryFs) {
    this.#dir = dir.replace(/\/+$/, '');
    this.#fs = fs;
  }
  #path(key: string) {
    return `${this.#dir}/${encodeURIComponent(key)}`;
  }
  async get(key: string) {
    try {
      return new Uint8Array(await this.#fs.readFile(this.#path(key)));
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return undefined;
      throw err;
    }
  }
  async set(key: string, value: Uint8Array) {
    await (this.#ready ??= this.#fs.mkdir(this.#dir, { recursive: true }));
    const tmp = `${this.#path(key)}.${Math.random().toString(36).slice(2)}.partial`;
    await this.#fs.writeFile(tmp, value);
    await this.#fs.rename(tmp, this.#path(key));
  }
  /** All or none; meant for keys not yet there (content-addressed blobs), since a failure removes what it placed. */
  async setMany(entries: ReadonlyArray<readonly [string, Uint8Array]>) {
    await (this.#ready ??= this.#fs.mkdir(this.#dir, { recursive: true }));
    const staged: Array<[string, string]> = [];
    const placed: string[] = [];
    try {
      // Every value reaches the disk under a temporary name before any is renamed into place.
      for (const [key, value] of entries) {
        const tmp = `${this.#path(key)}.${Math.random().toString(36).slice(2)}.partial`;
        staged.push([tmp, this.#path(key)]);
        await this.#fs.writeFile(tmp, value);
      }
      for (const [tmp, path] of staged) {
        await this.#fs.rename(tmp, path);
        placed.push(path);
      }
    } catch (err) {
      // Take back what was renamed into place too: all or none.
      await Promise.all([...staged.map(([tmp]) => this.#fs.rm(tmp, { force: true })), ...placed.map((p) => this.#fs.rm(p, { force: true }))]);
      throw err;
    }
  }
  async delete(key: string) {
    await this.#fs.rm(this.#path(key), { force: true });
  }
  async has(key: string) {
    return (await this.get(key)) !== undefined;
  }
  async keys() {
    let names: string[];
    try {
      names = await this.#fs.readdir(this.#dir);
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return [];
      throw err;
    }
    return names.filter((n) => !n.endsWith('.partial')).map(decodeURIComponent).sort();
  }
}
