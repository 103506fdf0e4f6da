/**
 * What takes the bytes of podplay's own JS (podplay.js and assets/*): the
 * production build made again with source maps (bench/sourcemap.config.ts),
 * and every minified byte counted to the source its map segment names.
 * Sources in node_modules are counted per package; podplay's per file and
 * per module folder. "gzip alone" compresses one source's minified bytes by
 * themselves: a rough share, as gzip across a chunk compresses better.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { jsFiles } from './js-size.ts';

export interface SourceBytes {
  /** `src/cli/explain.ts`, or a package: `@xterm/xterm`. */
  source: string;
  bytes: number;
  gzipAlone: number;
  /** The output files it lands in. */
  files: string[];
}

export interface Breakdown {
  /** Minified bytes of the files looked at, and of those no map segment names. */
  total: number;
  unmapped: number;
  /** Built JS files with no source map (not counted above). */
  unmappedFiles: Array<{ path: string; bytes: number }>;
  sources: SourceBytes[];
  /** Per folder (src/cli/kubectl/explain…) and per package. */
  folders: SourceBytes[];
  /** Per module (src/cli, src/ui…) and per package. */
  modules: SourceBytes[];
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Map([...B64].map((c, i) => [c, i]));

/** One line of a source map's `mappings`: its segments as [column, source?] (the other fields are not needed, but are read). */
function decodeLine(line: string, state: number[]): Array<[number, number | undefined]> {
  const out: Array<[number, number | undefined]> = [];
  let column = 0;
  for (const segment of line.split(',')) {
    if (!segment) continue;
    const fields: number[] = [];
    let value = 0;
    let shift = 0;
    for (const c of segment) {
      const digit = B64_VALUE.get(c)!;
      value += (digit & 31) << shift;
      if (digit & 32) shift += 5;
      else {
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
    }
    column += fields[0]!;
    // Source index, line, column and name are relative to the previous segment anywhere in the map.
    for (let i = 1; i < fields.length; i++) state[i - 1]! += fields[i]!;
    out.push([column, fields.length > 1 ? state[0] : undefined]);
  }
  return out;
}

/** `node_modules/@xterm/xterm/lib/xterm.mjs` → `@xterm/xterm`; podplay's files as they are. */
function nameOf(source: string): string {
  const nm = source.lastIndexOf('node_modules/');
  if (nm < 0) return source;
  const parts = source.slice(nm + 'node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** `src/cli/kubectl/explain/schema-pod.ts` → `src/cli/kubectl/explain`; a package stays itself. */
const folderOf = (name: string) => (name.startsWith('src/') ? name.split('/').slice(0, -1).join('/') : name);
/** `src/cli/kubectl/explain/schema-pod.ts` → `src/cli`; a package stays itself. */
const moduleOf = (name: string) => (name.startsWith('src/') ? name.split('/').slice(0, 2).join('/') : name);

/** Sums each source's minified bytes in the built files that have a map. */
export function breakdownOf(root: string, project: string): Breakdown {
  const text = new Map<string, string[]>();
  const files = new Map<string, Set<string>>();
  let total = 0;
  let unmapped = 0;
  const unmappedFiles: Breakdown['unmappedFiles'] = [];
  const add = (name: string, slice: string, file: string) => {
    if (!text.has(name)) text.set(name, []);
    text.get(name)!.push(slice);
    (files.get(name) ?? files.set(name, new Set()).get(name)!).add(file);
  };
  for (const { path, raw } of jsFiles(root)) {
    if (path.startsWith('wasmer-sdk/')) continue;
    if (!existsSync(join(root, `${path}.map`))) {
      unmappedFiles.push({ path, bytes: raw });
      continue;
    }
    const map = JSON.parse(readFileSync(join(root, `${path}.map`), 'utf8')) as { sources: string[]; mappings: string; sourceRoot?: string };
    const mapDir = join(root, path, '..', map.sourceRoot ?? '');
    const names = map.sources.map((s) => nameOf(relative(project, resolve(mapDir, s)).split('\\').join('/')));
    const lines = readFileSync(join(root, path), 'utf8').split('\n');
    const state = [0, 0, 0, 0];
    // A segment runs until the next one, over line ends too (a template literal's lines have none of their own).
    let last: number | undefined;
    map.mappings.split(';').forEach((mapping, i) => {
      const line = lines[i] ?? '';
      const segments = decodeLine(mapping, state);
      let at = 0;
      const take = (end: number, source: number | undefined) => {
        const slice = line.slice(at, end);
        total += Buffer.byteLength(slice);
        if (source === undefined) unmapped += Buffer.byteLength(slice);
        else add(names[source]!, slice, path);
        at = end;
      };
      take(segments[0]?.[0] ?? line.length, last);
      segments.forEach(([, source], k) => take(segments[k + 1]?.[0] ?? line.length, source));
      if (segments.length) last = segments.at(-1)![1];
    });
    // Lines past the mappings (the sourceMappingURL comment).
    for (const line of lines.slice(map.mappings.split(';').length)) {
      total += Buffer.byteLength(line);
      unmapped += Buffer.byteLength(line);
    }
  }
  /** Sources put together by `key`, biggest first. */
  const grouped = (key: (name: string) => string): SourceBytes[] => {
    const groups = new Map<string, { slices: string[]; files: Set<string> }>();
    for (const [name, slices] of text) {
      const k = key(name);
      const g = groups.get(k) ?? groups.set(k, { slices: [], files: new Set() }).get(k)!;
      g.slices.push(...slices);
      for (const file of files.get(name)!) g.files.add(file);
    }
    return [...groups]
      .map(([source, g]) => {
        const all = g.slices.join('');
        return { source, bytes: Buffer.byteLength(all), gzipAlone: gzipSync(all, { level: 9 }).byteLength, files: [...g.files].sort() };
      })
      .sort((a, b) => b.bytes - a.bytes);
  };
  return { total, unmapped, unmappedFiles, sources: grouped((n) => n), folders: grouped(folderOf), modules: grouped(moduleOf) };
}

/** Builds the production build with source maps into a temporary folder and breaks it down. */
export function buildAndBreakDown(project: string): Breakdown {
  const out = mkdtempSync(join(tmpdir(), 'podplay-sourcemap-'));
  try {
    execFileSync('npx', ['vite', 'build', '--config', 'bench/sourcemap.config.ts'], { cwd: project, stdio: 'pipe', env: { ...process.env, BENCH_OUT_DIR: out } });
    return breakdownOf(out, project);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
