/**
 * Go in podplay (`npm run bench -- go`): `go build` in a podplay/golang
 * container, in Node (a Sandbox over a directory store) and in Chromium
 * (bench/go.html, IndexedDB), for three programs: hello (fmt), a module of
 * two packages, and examples/web-app (net/http). Each is built first (an
 * empty build cache), again unchanged, then BENCH_GO_RUNS times with one
 * line added to main.go (main recompiled, linked again). hello goes first
 * in a fresh node worker, so its first build includes compiling the tools'
 * wasm modules (cold); the pull of podplay/golang is printed apart.
 * Side by side, in the same run:
 *  - native `go build` of the same files for the same target
 *    (GOOS=wasip1 GOARCH=wasm) with a build cache that already holds the
 *    standard library, as podplay/golang's precompiled one does;
 *  - the raw compile + link of hello's and web-app's main package straight
 *    through @wasmer/sdk (bench/go-measure.ts): what podplay's go command,
 *    filesystem and cache add.
 * Peak memory: the container's processes at their largest (sampled), and in
 * Node the whole process's RSS. Figures, not assertions.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { Sandbox } from '../src/sandbox/index.ts';
import { fileFetch, layoutUrl } from '../test/helpers/layout.ts';
import { ms, pct } from './figures.ts';
import { buildScript, podplayBuilds, rawBuilds, toolchainFiles, type GoBuild, type GoFiles, type PodplayRun } from './go-measure.ts';
import { vitePreview } from './serve.ts';

const PROJECT = fileURLToPath(new URL('../', import.meta.url));
const GO_PORT = 4181;
const RUNS = Number(process.env.BENCH_GO_RUNS ?? 5);

interface Program {
  name: string;
  what: string;
  files: GoFiles;
}

function programs(): Program[] {
  const web = join(PROJECT, 'examples/web-app');
  return [
    {
      name: 'hello',
      what: 'hello (one file, fmt)',
      files: { 'go.mod': 'module example.com/hello\n\ngo 1.26\n', 'main.go': 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello from Go built in podplay")\n}\n' },
    },
    {
      name: 'greeter',
      what: 'a module of two packages (main + greet, strings)',
      files: {
        'go.mod': 'module example.com/greeter\n\ngo 1.26\n',
        'main.go': 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/greeter/greet"\n)\n\nfunc main() {\n\tfmt.Println(greet.Hello("podplay"))\n}\n',
        'greet/greet.go': '// Package greet makes greetings.\npackage greet\n\nimport "strings"\n\n// Hello greets name.\nfunc Hello(name string) string {\n\treturn "Hello, " + strings.ToUpper(name[:1]) + name[1:] + "!"\n}\n',
      },
    },
    {
      name: 'web-app',
      what: 'examples/web-app (net/http, signals)',
      files: { 'go.mod': readFileSync(join(web, 'go.mod'), 'utf8'), 'main.go': readFileSync(join(web, 'main.go'), 'utf8') },
    },
  ];
}

/** The bench's programs under /src/<name>/ in the container, and the script that builds them in turn. */
function containerFiles(ps: Program[]): { files: Record<string, string>; scripts: string[] } {
  const files: Record<string, string> = {};
  for (const p of ps) for (const [path, text] of Object.entries(p.files)) files[`/src/${p.name}/${path}`] = text;
  return { files, scripts: ps.map((p) => buildScript(`/src/${p.name}`, p.name, 'main.go', RUNS)) };
}

const GO_ENV = { GOOS: 'wasip1', GOARCH: 'wasm', GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '' };

/** The standard library packages `dir`'s main package needs (import paths), by the native go command. */
function stdDeps(dir: string): string[] {
  const out = execFileSync('go', ['list', '-deps', '-f', '{{if .Standard}}{{.ImportPath}}{{end}}', '.'], { cwd: dir, env: { ...process.env, ...GO_ENV }, encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

function writeProgram(root: string, p: Program): string {
  const dir = join(root, p.name);
  for (const [path, text] of Object.entries(p.files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Native `go build` of each program as the container builds it, on a build cache primed with the standard library packages they use. */
function nativeBuilds(ps: Program[]): { builds: GoBuild[]; version: string; deps: Record<string, string[]> } {
  const root = mkdtempSync(join(tmpdir(), 'podplay-go-bench-'));
  const env = { ...process.env, ...GO_ENV, GOCACHE: join(root, 'cache') };
  try {
    const dirs = ps.map((p) => writeProgram(root, p));
    const deps = Object.fromEntries(ps.map((p, i) => [p.name, stdDeps(dirs[i]!)]));
    execFileSync('go', ['build', ...new Set(Object.values(deps).flat())], { cwd: dirs[0], env });
    const builds: GoBuild[] = [];
    const build = (dir: string, label: string) => {
      const t0 = performance.now();
      execFileSync('go', ['build', '-o', join(root, 'out.wasm'), '.'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] });
      builds.push({ label, ms: performance.now() - t0, status: 0 });
    };
    ps.forEach((p, i) => {
      build(dirs[i]!, `${p.name}:first`);
      build(dirs[i]!, `${p.name}:unchanged`);
      for (let n = 1; n <= RUNS; n++) {
        writeFileSync(join(dirs[i]!, 'main.go'), readFileSync(join(dirs[i]!, 'main.go'), 'utf8') + `// change ${n}\n`);
        build(dirs[i]!, `${p.name}:changed`);
      }
    });
    return { builds, version: execFileSync('go', ['version'], { encoding: 'utf8' }).trim(), deps };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** What one side measured: the pull, each container's builds, the raw builds, and memory. */
interface SideFigures {
  pullMs: number;
  runs: PodplayRun[];
  raw: Record<string, { first: number; runs: number[] }>;
  rssPeak?: number;
}

interface Side {
  pullMs: number;
  go(files: Record<string, string>, script: string): Promise<PodplayRun>;
  raw(deps: string[], sources: Record<string, string>, runs: number): Promise<{ first: number; runs: number[] }>;
}

async function measure(side: Side, ps: Program[], deps: Record<string, string[]>): Promise<Omit<SideFigures, 'rssPeak'>> {
  const { files, scripts } = containerFiles(ps);
  const runs: PodplayRun[] = [];
  for (const script of scripts) runs.push(await side.go(files, script));
  const raw: SideFigures['raw'] = {};
  for (const p of ps.filter((x) => x.name !== 'greeter')) {
    // Raw takes main's files only: greeter's second package would need a compile of its own.
    const sources = Object.fromEntries(Object.entries(p.files).filter(([path]) => path.endsWith('.go')));
    raw[p.name] = await side.raw(deps[p.name]!, sources, RUNS);
  }
  return { pullMs: side.pullMs, runs, raw };
}

async function nodeFigures(ps: Program[], deps: Record<string, string[]>): Promise<SideFigures> {
  const root = mkdtempSync(join(tmpdir(), 'podplay-go-bench-store-'));
  let rssPeak = 0;
  const timer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 100);
  const sandbox = await Sandbox.create({ layoutUrl: layoutUrl(), store: { kind: 'directory', root }, fetch: fileFetch, nodeName: 'bench-go' });
  try {
    const t0 = performance.now();
    const image = await sandbox.pull('podplay/golang');
    const side: Side = {
      pullMs: performance.now() - t0,
      go: (files, script) => podplayBuilds(sandbox, files, script),
      raw: async (d, sources, runs) => rawBuilds(await toolchainFiles(sandbox, image, d), sources, runs),
    };
    return { ...(await measure(side, ps, deps)), rssPeak };
  } finally {
    clearInterval(timer);
    await sandbox.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}

function pageSide(page: Page, pullMs: number): Side {
  return {
    pullMs,
    go: (files, script) => page.evaluate((a) => (window as unknown as { benchGo(x: unknown): Promise<PodplayRun> }).benchGo(a), { files, script }),
    raw: (deps, sources, runs) => page.evaluate((a) => (window as unknown as { benchRaw(x: unknown): Promise<{ first: number; runs: number[] }> }).benchRaw(a), { deps, sources, runs }),
  };
}

async function chromiumFigures(browser: Browser, ps: Program[], deps: Record<string, string[]>): Promise<SideFigures> {
  const server = await vitePreview(join(PROJECT, 'dist-bench'), GO_PORT);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${server.url}/bench/go.html`);
    await page.waitForFunction(() => (window as unknown as { benchReady?: unknown }).benchReady, undefined, { timeout: 600_000 });
    const ready = (await page.evaluate(() => (window as unknown as { benchReady: unknown }).benchReady)) as { pullMs: number } | { error: string };
    if ('error' in ready) throw new Error(`go bench page: ${ready.error}`);
    const figures = await measure(pageSide(page, ready.pullMs), ps, deps);
    if (errors.length) throw new Error(`go bench page errors: ${errors.join('; ')}`);
    return figures;
  } finally {
    await context.close();
    server.close();
  }
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const secs = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : ms(x));

function print(where: string, f: SideFigures, ps: Program[], native: GoBuild[]): void {
  const row = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
  const pick = (builds: GoBuild[], label: string) => builds.filter((b) => b.label === label).map((b) => b.ms);
  const p50 = (xs: number[]) => pct(xs, 50);
  console.log(`go build in podplay/golang, ${where}: pull of podplay/golang from the bundled layout ${secs(f.pullMs)} (not in any row)`);
  console.log('');
  row(['program', 'build', 'podplay', 'native go build', 'ratio', 'raw compile+link through @wasmer/sdk', 'podplay / raw', 'container peak memory']);
  console.log('|---|---|---|---|---|---|---|---|');
  ps.forEach((p, i) => {
    const run = f.runs[i]!;
    const raw = f.raw[p.name];
    const line = (build: string, label: string, podplay: number, rawMs?: number) => {
      const nat = p50(pick(native, `${p.name}:${label}`));
      row([p.what, build, secs(podplay), secs(nat), `${(podplay / nat).toFixed(1)}×`, rawMs === undefined ? '' : secs(rawMs), rawMs === undefined ? '' : `${(podplay / rawMs).toFixed(2)}×`, label === 'first' ? mib(run.peakBytes) : '']);
    };
    const first = pick(run.builds, `${p.name}:first`)[0]!;
    line(i === 0 ? 'first, fresh node worker (cold: the tools\' modules compiled), empty build cache' : 'first, empty build cache', 'first', first, i === 0 && raw ? raw.first : undefined);
    line('unchanged (every action cached)', 'unchanged', pick(run.builds, `${p.name}:unchanged`)[0]!);
    const changed = pick(run.builds, `${p.name}:changed`);
    line(`main.go changed (warm), p50 of ${changed.length}`, 'changed', p50(changed), raw ? p50(raw.runs) : undefined);
  });
  console.log('');
  if (f.rssPeak) console.log(`Node process RSS at its peak over the Node side: ${mib(f.rssPeak)}`);
  console.log('');
}

/** Runs the Go bench in Node, then in Chromium when a browser is given, and prints both. */
export async function printGoBench(browser?: Browser): Promise<void> {
  const ps = programs();
  const native = nativeBuilds(ps);
  console.log(`Baseline: ${native.version}, native, GOOS=wasip1 GOARCH=wasm, the same files and edits, build cache primed with the standard library; raw: the first raw run compiles the tools' modules, its figure is the cold row's.`);
  console.log('');
  print('Node (a directory store)', await nodeFigures(ps, native.deps), ps, native.builds);
  if (browser) print('Chromium (IndexedDB, a fresh profile)', await chromiumFigures(browser, ps, native.deps), ps, native.builds);
}
