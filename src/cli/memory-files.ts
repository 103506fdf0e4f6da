/**
 * Files kept in memory, for the page's shell (seeded with example
 * manifests) and for tests: paths relative to a working directory `/home`,
 * directories implied by the files under them.
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

export class MemoryFiles implements Files {
  readonly #files = new Map<string, Uint8Array>();

  constructor(initial: Record<string, string | Uint8Array> = {}) {
    this.replaceAll(initial);
  }

  /** Every file, by its full path. */
  entries(): Record<string, Uint8Array> {
    return Object.fromEntries(this.#files);
  }

  /** Replaces every file (a restored or reset sandbox). */
  replaceAll(files: Record<string, string | Uint8Array>): void {
    this.#files.clear();
    for (const [path, data] of Object.entries(files)) this.#files.set(resolvePath(path), typeof data === 'string' ? new TextEncoder().encode(data) : data);
  }

  async read(path: string): Promise<Uint8Array> {
    const data = this.#files.get(resolvePath(path));
    if (!data) throw Object.assign(new Error(`open ${path}: no such file or directory`), { code: 'ENOENT' });
    return data;
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    const full = resolvePath(path);
    if ([...this.#files.keys()].some((k) => k.startsWith(full + '/'))) throw Object.assign(new Error(`open ${path}: is a directory`), { code: 'EISDIR' });
    this.#files.set(full, data);
  }

  async list(dir: string): Promise<string[]> {
    const full = resolvePath(dir);
    const prefix = full === '/' ? '/' : full + '/';
    const names = new Set<string>();
    for (const k of this.#files.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
    if (!names.size) throw Object.assign(new Error(`open ${dir}: not a directory`), { code: 'ENOTDIR' });
    return [...names].sort();
  }

  async walk(dir: string): Promise<FileEntry[]> {
    const full = resolvePath(dir);
    const prefix = full === '/' ? '/' : full + '/';
    const out = new Map<string, FileEntry>();
    for (const [k, data] of this.#files) {
      if (!k.startsWith(prefix)) continue;
      const rel = k.slice(prefix.length);
      const parts = rel.split('/');
      for (let i = 1; i < parts.length; i++) {
        const d = parts.slice(0, i).join('/');
        if (!out.has(d)) out.set(d, { path: d, kind: 'dir', mode: 0o755, size: 0, mtime: 0 });
      }
      out.set(rel, { path: rel, kind: 'file', mode: 0o644, size: data.byteLength, mtime: 0 });
    }
    if (out.size === 0 && !this.#files.has(full) && full !== '/home') throw Object.assign(new Error(`unable to prepare context: path "${dir}" not found`), { code: 'ENOENT' });
    return [...out.values()];
  }
}
