/**
 * Files kept in memory: the page's workspace (seeded with example
 * manifests, kept in the sandbox's saved state) and tests. Paths are
 * relative to a working directory (`/home` at first; `cd` moves it);
 * directories exist when made (`mkdir`) or when files are under them.
 */
import type { FileEntry, Files } from './io.ts';

/** `a/./b/../c` → `/home/a/c`. */
export function resolvePath(path: string, cwd = '/home'): string {
  const parts: string[] = [];
  for (const p of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (!p || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return '/' + parts.join('/');
}

const fsError = (message: string, code: string) => Object.assign(new Error(message), { code });

export class MemoryFiles implements Files {
  readonly #files = new Map<string, Uint8Array>();
  /** Directories made with mkdir (others are implied by their files). */
  readonly #dirs = new Set<string>();
  #cwd = '/home';
  /** Called after every change (the page saves the workspace then, and its files panel redraws). */
  onChange: (() => void) | undefined;

  constructor(initial: Record<string, string | Uint8Array> = {}) {
    this.replaceAll(initial);
  }

  #path(path: string): string {
    return resolvePath(path, this.#cwd);
  }

  #changed(): void {
    this.onChange?.();
  }

  /** Every file by its full path, and every made directory as `path/` with no bytes (what a saved state keeps). */
  entries(): Record<string, Uint8Array> {
    const out: Record<string, Uint8Array> = Object.fromEntries(this.#files);
    for (const d of this.#dirs) out[`${d}/`] = new Uint8Array(0);
    return out;
  }

  /** Replaces every file (a restored or reset sandbox); a key ending in `/` is a directory. */
  replaceAll(files: Record<string, string | Uint8Array>): void {
    this.#files.clear();
    this.#dirs.clear();
    for (const [path, data] of Object.entries(files)) {
      if (path.endsWith('/')) this.#dirs.add(resolvePath(path));
      else this.#files.set(resolvePath(path), typeof data === 'string' ? new TextEncoder().encode(data) : data);
    }
    if (!this.isDir(this.#cwd)) this.#cwd = '/home';
    this.#changed();
  }

  /** Whether `path` is a directory (made, implied by a file under it, or /home and /). */
  isDir(path: string): boolean {
    const full = this.#path(path);
    if (full === '/' || full === '/home' || this.#dirs.has(full)) return true;
    const prefix = full + '/';
    for (const k of this.#files.keys()) if (k.startsWith(prefix)) return true;
    for (const d of this.#dirs) if (d.startsWith(prefix)) return true;
    return false;
  }

  cwd(): string {
    return this.#cwd;
  }

  chdir(path: string): void {
    const full = this.#path(path);
    if (this.#files.has(full)) throw fsError(`cd: ${path}: Not a directory`, 'ENOTDIR');
    if (!this.isDir(full)) throw fsError(`cd: ${path}: No such file or directory`, 'ENOENT');
    this.#cwd = full;
  }

  async read(path: string): Promise<Uint8Array> {
    const data = this.#files.get(this.#path(path));
    if (!data) throw fsError(`open ${path}: ${this.isDir(path) ? 'is a directory' : 'no such file or directory'}`, this.isDir(path) ? 'EISDIR' : 'ENOENT');
    return data;
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    const full = this.#path(path);
    if (this.isDir(full)) throw fsError(`open ${path}: is a directory`, 'EISDIR');
    const parent = full.slice(0, full.lastIndexOf('/')) || '/';
    if (this.#files.has(parent)) throw fsError(`open ${path}: not a directory`, 'ENOTDIR');
    this.#files.set(full, data);
    this.#changed();
  }

  async list(dir: string): Promise<string[]> {
    const full = this.#path(dir);
    if (!this.isDir(full)) throw fsError(`open ${dir}: not a directory`, 'ENOTDIR');
    const prefix = full === '/' ? '/' : full + '/';
    const names = new Set<string>();
    for (const k of [...this.#files.keys(), ...this.#dirs]) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
    return [...names].sort();
  }

  /** `mkdir [-p]`: an existing path is an error unless `parents`. */
  async mkdir(path: string, parents = false): Promise<void> {
    const full = this.#path(path);
    if (this.#files.has(full)) throw fsError(`mkdir: cannot create directory '${path}': File exists`, 'EEXIST');
    if (this.isDir(full)) {
      if (parents) return;
      throw fsError(`mkdir: cannot create directory '${path}': File exists`, 'EEXIST');
    }
    const parent = full.slice(0, full.lastIndexOf('/')) || '/';
    if (!parents && !this.isDir(parent)) throw fsError(`mkdir: cannot create directory '${path}': No such file or directory`, 'ENOENT');
    // -p makes each missing parent too: each is then a directory of its own, kept when emptied.
    const parts = full.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const d = '/' + parts.slice(0, i).join('/');
      if (!this.isDir(d) || i === parts.length) this.#dirs.add(d);
    }
    this.#changed();
  }

  /** `rm [-r]`: a directory needs `recursive`. */
  async remove(path: string, recursive = false): Promise<void> {
    const full = this.#path(path);
    if (this.#files.delete(full)) return this.#changed();
    if (!this.isDir(full) || full === '/') throw fsError(`rm: cannot remove '${path}': No such file or directory`, 'ENOENT');
    if (!recursive) throw fsError(`rm: cannot remove '${path}': Is a directory`, 'EISDIR');
    const prefix = full + '/';
    for (const k of [...this.#files.keys()]) if (k.startsWith(prefix)) this.#files.delete(k);
    for (const d of [...this.#dirs]) if (d === full || d.startsWith(prefix)) this.#dirs.delete(d);
    if (this.#cwd === full || this.#cwd.startsWith(prefix)) this.#cwd = '/home';
    this.#changed();
  }

  /** `mv`: a file or a directory; into a directory that exists. */
  async rename(from: string, to: string): Promise<void> {
    const src = this.#path(from);
    let dst = this.#path(to);
    if (!this.#files.has(src) && !this.isDir(src)) throw fsError(`mv: cannot stat '${from}': No such file or directory`, 'ENOENT');
    if (this.isDir(dst)) dst = `${dst === '/' ? '' : dst}/${src.split('/').pop()}`;
    if (dst === src) return;
    if (this.#files.has(src)) {
      this.#files.set(dst, this.#files.get(src)!);
      this.#files.delete(src);
    } else {
      if ((dst + '/').startsWith(src + '/')) throw fsError(`mv: cannot move '${from}' to a subdirectory of itself, '${to}'`, 'EINVAL');
      const prefix = src + '/';
      for (const [k, v] of [...this.#files]) if (k.startsWith(prefix)) (this.#files.delete(k), this.#files.set(dst + k.slice(src.length), v));
      for (const d of [...this.#dirs]) if (d === src || d.startsWith(prefix)) (this.#dirs.delete(d), this.#dirs.add(dst + d.slice(src.length)));
      if (!this.#dirs.has(dst)) this.#dirs.add(dst);
    }
    this.#changed();
  }

  async walk(dir: string): Promise<FileEntry[]> {
    const full = this.#path(dir);
    if (!this.isDir(full)) throw fsError(`unable to prepare context: path "${dir}" not found`, 'ENOENT');
    const prefix = full === '/' ? '/' : full + '/';
    const out = new Map<string, FileEntry>();
    const addDirs = (rel: string, self: boolean) => {
      const parts = rel.split('/');
      for (let i = 1; i <= parts.length - (self ? 0 : 1); i++) {
        const d = parts.slice(0, i).join('/');
        if (!out.has(d)) out.set(d, { path: d, kind: 'dir', mode: 0o755, size: 0, mtime: 0 });
      }
    };
    for (const d of this.#dirs) if (d.startsWith(prefix)) addDirs(d.slice(prefix.length), true);
    for (const [k, data] of this.#files) {
      if (!k.startsWith(prefix)) continue;
      const rel = k.slice(prefix.length);
      addDirs(rel, false);
      out.set(rel, { path: rel, kind: 'file', mode: 0o644, size: data.byteLength, mtime: 0 });
    }
    return [...out.values()];
  }
}
