/** The files `-f`, `> FILE`, `docker save -o` and `docker load -i` name, on Node: the real filesystem, relative to the working directory. */
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Files } from './io.ts';

export class NodeFiles implements Files {
  readonly #cwd: string;

  constructor(cwd = process.cwd()) {
    this.#cwd = cwd;
  }

  async read(path: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(resolve(this.#cwd, path)));
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    const full = resolve(this.#cwd, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, data);
  }

  async list(dir: string): Promise<string[]> {
    const full = resolve(this.#cwd, dir);
    if (!(await stat(full)).isDirectory()) throw Object.assign(new Error(`${dir}: not a directory`), { code: 'ENOTDIR' });
    return (await readdir(full)).sort();
  }
}

/** Reads `file:` URLs from disk (the bundled layout, layouts given as paths); anything else goes to fetch(). */
export async function fileFetch(url: string, init?: RequestInit): Promise<Response> {
  if (!url.startsWith('file:')) return fetch(url, init);
  try {
    return new Response(await readFile(fileURLToPath(url)));
  } catch {
    return new Response('not found', { status: 404 });
  }
}
