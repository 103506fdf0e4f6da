/**
 * The build context: the files a build may COPY, as a tree. Where they come
 * from (a directory in Node, the browser's workspace, a tar) is behind
 * {@link ContextSource}; `.dockerignore` is applied with @balena/dockerignore
 * (Docker's pattern semantics: `**`, `!` exceptions, last match wins) before
 * any file is read, and the size cap is checked on the listing first, so
 * an oversized context is refused before it is read.
 */
import ignore from '@balena/dockerignore';
import { PodplayError } from '../shared/index.ts';
import { Vfs } from '../vfs/index.ts';
import { formatBytes } from '../oci/index.ts';

/** One entry of a context, as listed (before its bytes are read). */
export interface ContextEntry {
  /** Relative to the context's root, `/`-separated (`src/main.go`). */
  path: string;
  kind: 'file' | 'dir' | 'symlink';
  /** Permission bits (0o755). */
  mode: number;
  size: number;
  /** ms since the epoch. */
  mtime: number;
  /** A symlink's target. */
  target?: string;
}

/** Where a context's files are. */
export interface ContextSource {
  /** Every entry under the root (directories included), in any order. */
  list(): Promise<ContextEntry[]>;
  read(path: string): Promise<Uint8Array>;
  /** How to name the context in messages (`.`, `/home/app`). */
  readonly name: string;
}

/** The default cap on a context's size (docker build --context-limit has no peer; podplay's own). */
export const DEFAULT_CONTEXT_LIMIT = 512 * 1024 * 1024;

export interface LoadedContext {
  tree: Vfs;
  /** Bytes of the files kept (what BuildKit's "transferring context" counts). */
  bytes: number;
  /** The .dockerignore patterns in use (empty without one). */
  ignored: string[];
}

/** `.dockerignore`'s lines as patterns: comments and blank lines dropped, as Docker reads it. */
export function ignorePatterns(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * Reads the context into a tree, leaving out what `.dockerignore` excludes
 * (an excluded directory's files too, unless an exception names them).
 * The Dockerfile and `.dockerignore` stay out of COPY only if a pattern
 * says so, as in Docker.
 */
export async function loadContext(source: ContextSource, options: { ignore?: string[]; limit?: number } = {}): Promise<LoadedContext> {
  const patterns = options.ignore ?? [];
  const matcher = ignore().add(patterns);
  const listed = (await source.list()).filter((e) => e.path !== '' && e.path !== '.');
  const ignored = (e: ContextEntry) => matcher.ignores(e.kind === 'dir' ? `${e.path}/` : e.path);
  // A directory an exception reaches into (`!dir/keep.txt`) stays, for the entries it holds.
  const keptPaths = new Set<string>();
  for (const e of listed) {
    if (ignored(e)) continue;
    keptPaths.add(e.path);
    for (let i = e.path.lastIndexOf('/'); i > 0; i = e.path.lastIndexOf('/', i - 1)) keptPaths.add(e.path.slice(0, i));
  }
  const kept = listed.filter((e) => keptPaths.has(e.path));
  const bytes = kept.reduce((n, e) => n + (e.kind === 'file' ? e.size : 0), 0);
  const limit = options.limit ?? DEFAULT_CONTEXT_LIMIT;
  if (bytes > limit) {
    throw new PodplayError(
      'ContextTooLarge',
      `the build context ${source.name} holds ${formatBytes(bytes)} of files, more than the ${formatBytes(limit)} a build may read: add what the build does not need to .dockerignore.`,
    );
  }
  const tree = new Vfs();
  kept.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const e of kept) {
    const path = '/' + e.path;
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    tree.mkdirp(parent);
    if (e.kind === 'dir') {
      const dir = tree.lookup(path)?.kind === 'dir' ? tree.dir(path) : tree.mkdir(path, e.mode);
      dir.mode = e.mode;
      dir.mtime = e.mtime;
    } else if (e.kind === 'symlink') {
      tree.symlink(e.target ?? '', path).mtime = e.mtime;
    } else {
      const file = tree.writeFile(path, await source.read(e.path), e.mode);
      file.mtime = e.mtime;
    }
  }
  return { tree, bytes, ignored: patterns };
}

/** A context held in memory (tests, the page's workspace): paths to bytes or text, with optional modes. */
export function memoryContext(files: Record<string, string | Uint8Array | { data: string | Uint8Array; mode?: number }>, name = '.'): ContextSource {
  const enc = new TextEncoder();
  const entries = new Map<string, { data: Uint8Array; mode: number }>();
  for (const [path, v] of Object.entries(files)) {
    const item = typeof v === 'string' || v instanceof Uint8Array ? { data: v } : v;
    entries.set(path.replace(/^\.?\/+/, ''), { data: typeof item.data === 'string' ? enc.encode(item.data) : item.data, mode: (item as { mode?: number }).mode ?? 0o644 });
  }
  return {
    name,
    async list() {
      const dirs = new Set<string>();
      for (const p of entries.keys()) {
        const parts = p.split('/');
        for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
      }
      return [
        ...[...dirs].map((path): ContextEntry => ({ path, kind: 'dir', mode: 0o755, size: 0, mtime: 0 })),
        ...[...entries].map(([path, e]): ContextEntry => ({ path, kind: 'file', mode: e.mode, size: e.data.byteLength, mtime: 0 })),
      ];
    },
    async read(path) {
      const e = entries.get(path);
      if (!e) throw new PodplayError('ENOENT', `open ${path}: no such file or directory`);
      return e.data;
    },
  };
}
