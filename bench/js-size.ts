/**
 * The JavaScript a build ships: every `.js`/`.mjs` file of a build folder
 * (@wasmer/sdk's JS included, its wasm not), raw and gzip (node:zlib level 9
 * per file, summed). The baseline is the bundle as it was before
 * `<podplay-sandbox>` (commit {@link BASELINE_COMMIT}), built at bench time
 * from a `git archive` of that commit in a temporary folder, playground only
 * (its bench pages left out), so that both figures come from the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** "One kubectlKind for kubectl's kind words…": the last commit before the element and podplay.js. */
export const BASELINE_COMMIT = '6a26a7c';

/**
 * Measured once, on 2026-12-07, from `vite build` of {@link BASELINE_COMMIT}'s
 * playground alone (as {@link baselineJsSize} does), for when that build cannot
 * be made here (no git history, say).
 */
const BASELINE_FALLBACK: JsSize = {
  files: 22,
  raw: 1_581_064,
  gzip: 429_935,
  groups: {
    'assets/ (chunks, node worker)': { files: 5, raw: 1_076_631, gzip: 314_820 },
    "wasmer-sdk/ (the SDK's JS)": { files: 17, raw: 504_433, gzip: 115_115 },
  },
};

export interface JsFile {
  /** Path in the build folder, with `/`. */
  path: string;
  raw: number;
  gzip: number;
}

export interface JsSize {
  files: number;
  raw: number;
  gzip: number;
  /** By part of the build: podplay.js, assets/, wasmer-sdk/, podplay-sw.js… */
  groups: Record<string, { files: number; raw: number; gzip: number }>;
}

const isJs = (path: string) => path.endsWith('.js') || path.endsWith('.mjs');

function filesUnder(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(root, path) : [relative(root, path).split(sep).join('/')];
  });
}

/** One file's figures. */
export function jsFile(root: string, path: string): JsFile {
  const bytes = readFileSync(join(root, path));
  return { path, raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
}

/** The part of the build a file belongs to, for the breakdown. */
function groupOf(path: string): string {
  if (path.startsWith('wasmer-sdk/')) return "wasmer-sdk/ (the SDK's JS)";
  if (path.startsWith('assets/')) return 'assets/ (chunks, node worker)';
  return path;
}

/** Totals over some files of a build. */
export function sumJs(files: JsFile[]): JsSize {
  const groups: JsSize['groups'] = {};
  for (const f of files) {
    const g = (groups[groupOf(f.path)] ??= { files: 0, raw: 0, gzip: 0 });
    g.files++;
    g.raw += f.raw;
    g.gzip += f.gzip;
  }
  return { files: files.length, raw: files.reduce((n, f) => n + f.raw, 0), gzip: files.reduce((n, f) => n + f.gzip, 0), groups };
}

/** Every JS file a build folder ships. */
export function jsFiles(root: string): JsFile[] {
  return filesUnder(root).filter(isJs).sort().map((path) => jsFile(root, path));
}

/**
 * Builds {@link BASELINE_COMMIT}'s playground in a temporary folder (the
 * commit's files, this project's node_modules) and measures its JS; the
 * fallback figures when that fails, with the reason.
 */
export function baselineJsSize(project: string): { size: JsSize; built: boolean; note?: string } {
  const dir = mkdtempSync(join(tmpdir(), 'podplay-baseline-'));
  try {
    const tar = join(dir, 'src.tar');
    // public/ (the bundled images) and wasm/ (Go sources) hold no JS of the bundle.
    execFileSync('git', ['archive', '--format=tar', '-o', tar, BASELINE_COMMIT, '--', '.', ':!public', ':!wasm'], { cwd: project, stdio: 'pipe' });
    const tree = join(dir, 'tree');
    mkdirSync(tree);
    execFileSync('tar', ['-xf', tar, '-C', tree], { stdio: 'pipe' });
    symlinkSync(join(project, 'node_modules'), join(tree, 'node_modules'), 'dir');
    // The commit's own config, with the playground as the only input: its bench pages are not part of what it shipped.
    writeFileSync(
      join(tree, 'vite.baseline.config.ts'),
      `import config from './vite.config.ts';\n` +
        `export default { ...config, logLevel: 'warn', build: { ...config.build, outDir: 'dist', rollupOptions: { ...config.build?.rollupOptions, input: { main: new URL('./index.html', import.meta.url).pathname } } } };\n`,
    );
    execFileSync('npx', ['vite', 'build', '--config', 'vite.baseline.config.ts'], { cwd: tree, stdio: 'pipe' });
    return { size: sumJs(jsFiles(join(tree, 'dist'))), built: true };
  } catch (err) {
    const e = err as Error & { stderr?: Buffer };
    const why = (e.stderr?.toString().trim() || e.message).split('\n').slice(-3).join(' ');
    return { size: BASELINE_FALLBACK, built: false, note: `could not build ${BASELINE_COMMIT} here (${why}); figures measured earlier` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
