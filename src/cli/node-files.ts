/** The files `-f`, `> FILE`, `docker save -o` and `docker load -i` name, on Node: the real filesystem, relative to the working directory. */
import { lstat, mkdir, readFile, readdir, readlink, rename, rm, stat, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileEntry, Files } from './io.ts';

export class NodeFiles implements Files {
  #cwd: string;

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

  cwd(): string {
    return this.#cwd;
  }

  chdir(path: string): void {
    const full = resolve(this.#cwd, path);
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      throw Object.assign(new Error(`cd: ${path}: No such file or directory`), { code: 'ENOENT' });
    }
    if (!isDir) throw Object.assign(new Error(`cd: ${path}: Not a directory`), { code: 'ENOTDIR' });
    this.#cwd = full;
  }

  async mkdir(path: string, parents = false): Promise<void> {
    try {
      await mkdir(resolve(this.#cwd, path), { recursive: parents });
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw Object.assign(new Error(`mkdir: cannot create directory '${path}': ${code === 'EEXIST' ? 'File exists' : 'No such file or directory'}`), { code });
    }
  }

  async remove(path: string, recursive = false): Promise<void> {
    const full = resolve(this.#cwd, path);
    const st = await lstat(full).catch(() => undefined);
    if (!st) throw Object.assign(new Error(`rm: cannot remove '${path}': No such file or directory`), { code: 'ENOENT' });
    if (st.isDirectory() && !recursive) throw Object.assign(new Error(`rm: cannot remove '${path}': Is a directory`), { code: 'EISDIR' });
    await rm(full, { recursive });
  }

  async rename(from: string, to: string): Promise<void> {
    const src = resolve(this.#cwd, from);
    let dst = resolve(this.#cwd, to);
    if (!(await lstat(src).catch(() => undefined))) throw Object.assign(new Error(`mv: cannot stat '${from}': No such file or directory`), { code: 'ENOENT' });
    if ((await stat(dst).catch(() => undefined))?.isDirectory()) dst = resolve(dst, src.split('/').pop()!);
    await rename(src, dst);
  }

  async walk(dir: string): Promise<FileEntry[]> {
    const root = resolve(this.#cwd, dir);
    if (!(await stat(root)).isDirectory()) throw Object.assign(new Error(`unable to prepare context: path "${dir}" not found`), { code: 'ENOTDIR' });
    const out: FileEntry[] = [];
    const visit = async (rel: string) => {
      for (const name of (await readdir(resolve(root, rel))).sort()) {
        const path = rel ? `${rel}/${name}` : name;
        const st = await lstat(resolve(root, path));
        const mode = st.mode & 0o7777;
        if (st.isSymbolicLink()) out.push({ path, kind: 'symlink', mode, size: 0, mtime: st.mtimeMs, target: await readlink(resolve(root, path)) });
        else if (st.isDirectory()) {
          out.push({ path, kind: 'dir', mode, size: 0, mtime: st.mtimeMs });
          await visit(path);
        } else if (st.isFile()) out.push({ path, kind: 'file', mode, size: st.size, mtime: st.mtimeMs });
      }
    };
    await visit('');
    return out;
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
