/**
 * docker build (`npm run bench -- build`): the web-app example
 * (examples/web-app, with BUILD=prebuilt) built in Node (a Sandbox
 * over a directory store) and in Chromium (a Sandbox of dist-bench/'s
 * podplay.js over IndexedDB, bench/build.html):
 *  - cold: a clean store (base images pulled from the bundled layout, every
 *    step run); warm: the same build again, every step CACHED; changed:
 *    main.go edited, so its COPY and the RUN after it run again;
 *  - a RUN step against the same command in a container of the same image
 *    started with docker run (sandbox.run): what building adds to running
 *    (storing the stage's image, the layer tar, gzip and digests), p50s of
 *    RUNS builds with --no-cache and RUNS runs, interleaved.
 * Figures, not assertions.
 */
import { copyFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { memoryContext } from '../src/build/index.ts';
import { Sandbox, type BuildEvent } from '../src/sandbox/index.ts';
import { fileFetch, layoutUrl } from '../test/helpers/layout.ts';
import { ms, pct } from './figures.ts';
import { vitePreview } from './serve.ts';

const PROJECT = fileURLToPath(new URL('../', import.meta.url));
const BUILD_PORT = 4180;
const RUNS = Number(process.env.BENCH_BUILD_RUNS ?? 5);
/** The RUN step of the example's prebuilt stage, and where it runs. */
const RUN_COMMAND = ['/bin/sh', '-c', 'mkdir -p bin && cp /usr/local/bin/web bin/web'];

interface Step {
  name: string;
  ms: number;
  cached: boolean;
}

interface BuildFigure {
  ms: number;
  steps: Step[];
}

/** What a bench side can do: build the example's files, and run a command with docker run. */
interface Side {
  build(files: Record<string, string>, noCache: boolean, tag: string): Promise<BuildFigure>;
  run(image: string, command: string[], workingDir: string): Promise<number>;
}

function exampleFiles(): Record<string, string> {
  const dir = join(PROJECT, 'examples/web-app');
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

async function nodeSide(root: string): Promise<{ side: Side; close(): Promise<void> }> {
  const sandbox = await Sandbox.create({ layoutUrl: layoutUrl(), store: { kind: 'directory', root }, fetch: fileFetch, nodeName: 'bench-build' });
  return {
    side: {
      async build(files, noCache, tag) {
        const steps = new Map<number, Step & { start: number }>();
        const t0 = performance.now();
        await sandbox.build({
          dockerfile: files.Dockerfile!,
          context: memoryContext(files),
          dockerignore: files['.dockerignore'],
          // The prebuilt stage: this bench measures the builder, not Go's compiler.
          buildArgs: { BUILD: 'prebuilt' },
          tags: [tag],
          noCache,
          onEvent: (e: BuildEvent) => {
            if (e.type === 'start') steps.set(e.id, { name: e.name, start: performance.now(), ms: 0, cached: false });
            if (e.type === 'done') Object.assign(steps.get(e.id)!, { ms: performance.now() - steps.get(e.id)!.start, cached: !!e.cached });
          },
        });
        return { ms: performance.now() - t0, steps: [...steps.values()] };
      },
      async run(image, command, workingDir) {
        const t0 = performance.now();
        const h = await sandbox.run(image, { command, args: [], workingDir, timeoutMs: 60_000 });
        const r = await h.result;
        if (r.exitCode !== 0) throw new Error(`${command.join(' ')} exited ${r.exitCode}`);
        return performance.now() - t0;
      },
    },
    close: () => sandbox.dispose(),
  };
}

function pageSide(page: Page): Side {
  return {
    build: (files, noCache, tag) => page.evaluate((a) => (window as unknown as { benchBuild(x: unknown): Promise<BuildFigure> }).benchBuild(a), { files, noCache, tag }),
    async run(image, command, workingDir) {
      const r = await page.evaluate((a) => (window as unknown as { benchRun(x: unknown): Promise<{ ms: number; exitCode: number }> }).benchRun(a), { image, command, workingDir });
      if (r.exitCode !== 0) throw new Error(`${command.join(' ')} exited ${r.exitCode} in the page`);
      return r.ms;
    },
  };
}

interface Figures {
  cold: BuildFigure;
  warm: BuildFigure;
  changed: BuildFigure;
  runStep: number[];
  dockerRun: number[];
}

async function measure(side: Side): Promise<Figures> {
  const files = exampleFiles();
  const cold = await side.build(files, false, 'web-app:bench');
  const warm = await side.build(files, false, 'web-app:bench');
  const changed = await side.build({ ...files, 'main.go': files['main.go']! + '\n// changed\n' }, false, 'web-app:bench');
  const runStep: number[] = [];
  const dockerRun: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const b = await side.build(files, true, 'web-app:bench-nocache');
    const step = b.steps.find((s) => /\] RUN /.test(s.name));
    if (!step) throw new Error('the build ran no RUN step');
    runStep.push(step.ms);
    // The same command in a container of the stage's base image (its cwd exists there: /tmp).
    dockerRun.push(await side.run('podplay/web', RUN_COMMAND, '/tmp'));
  }
  return { cold, warm, changed, runStep, dockerRun };
}

function buildSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'podplay-build-bench-'));
  cpSync(join(PROJECT, 'dist-bench'), dir, { recursive: true });
  copyFileSync(join(PROJECT, 'bench/build.html'), join(dir, 'bench/build.html'));
  return dir;
}

function print(where: string, f: Figures): void {
  const row = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
  const steps = (b: BuildFigure) => {
    const ran = b.steps.filter((s) => /^\[(?!internal)/.test(s.name) && !/\] FROM /.test(s.name));
    return `${ran.filter((s) => !s.cached).length} run, ${ran.filter((s) => s.cached).length} cached (FROM lines not counted)`;
  };
  console.log(`docker build of examples/web-app in ${where}:`);
  console.log('');
  row(['build', 'wall', 'steps', 'ratio to warm']);
  console.log('|---|---|---|---|');
  row(['cold (clean store: base images pulled, every step run)', ms(f.cold.ms), steps(f.cold), `${(f.cold.ms / f.warm.ms).toFixed(1)}×`]);
  row(['warm (everything cached)', ms(f.warm.ms), steps(f.warm), '1.0×']);
  row(['main.go changed (its COPY and the RUN after it rerun)', ms(f.changed.ms), steps(f.changed), `${(f.changed.ms / f.warm.ms).toFixed(1)}×`]);
  console.log('');
  const step = pct(f.runStep, 50);
  const run = pct(f.dockerRun, 50);
  row(['RUN `mkdir -p bin && cp /usr/local/bin/web bin/web`', 'p50', 'p95', 'ratio (p50)']);
  console.log('|---|---|---|---|');
  row([`as a build step (--no-cache, ${f.runStep.length} builds)`, ms(step), ms(pct(f.runStep, 95)), `${(step / run).toFixed(2)}×`]);
  row([`docker run of the same command (${f.dockerRun.length} runs)`, ms(run), ms(pct(f.dockerRun, 95)), '1.00×']);
  console.log('');
}

/** Runs the build bench in Node, then in Chromium when a browser is given, and prints both. */
export async function printBuildBench(browser?: Browser): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'podplay-build-bench-store-'));
  const node = await nodeSide(root);
  try {
    print('Node (a directory store)', await measure(node.side));
  } finally {
    await node.close();
    rmSync(root, { recursive: true, force: true });
  }
  if (!browser) return;
  const site = buildSite();
  const server = await vitePreview(site, BUILD_PORT);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${server.url}/bench/build.html`);
    await page.waitForFunction(() => (window as unknown as { benchReady?: unknown }).benchReady, undefined, { timeout: 120_000 });
    const ready = (await page.evaluate(() => (window as unknown as { benchReady: unknown }).benchReady)) as true | { error: string };
    if (ready !== true) throw new Error(`build bench page: ${ready.error}`);
    print('Chromium (IndexedDB, a fresh profile)', await measure(pageSide(page)));
    if (errors.length) throw new Error(`build bench page errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
    server.close();
    rmSync(site, { recursive: true, force: true });
  }
}
