/**
 * Processes (`npm run bench -- processes`): what the toolbox's sh costs when
 * it starts a program of the container as a child process (WASIX
 * proc_spawn3), in Chromium, on bench/processes.html (a Sandbox of
 * dist-bench/'s podplay.js):
 *  - spawn cost: a container running `sh -c '/usr/local/bin/hello -once'`
 *    (podplay/hello, entrypoint overridden to sh) against one running
 *    `hello -once` directly, interleaved; beside them `sh -c true` (sh's own
 *    start, no child) and sh starting hello 5 times in a loop (what one more
 *    child costs);
 *  - pipeline throughput: a 10-stage pipeline where 4 stages are child
 *    processes (a copy of the toolbox at /tmp/cat, which sh cannot run
 *    in-process) against the same pipeline of applets only, interleaved in one
 *    container.
 * Figures, not assertions.
 */
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { ms, pct } from './figures.ts';
import { vitePreview } from './serve.ts';

const PROJECT = fileURLToPath(new URL('../', import.meta.url));
/** The processes bench's own vite preview of a copy of dist-bench/. */
const PROCESSES_PORT = 4179;
const SPAWN_RUNS = Number(process.env.BENCH_SPAWN_RUNS ?? 30);
const SPAWN_WARMUP = 3;
const PIPELINE_MIB = Number(process.env.BENCH_PIPELINE_MIB ?? 24);
const PIPELINE_ROUNDS = Number(process.env.BENCH_PIPELINE_ROUNDS ?? 3);

/** What bench/processes.html's window.benchRun answers: a container run to its end. */
interface Run {
  /** From the run call to its result, on the page's clock. */
  ms: number;
  exitCode: number;
  reason: string;
  /** Stdout's lines, each with the node worker's Date.now() when the chunk ending it was read. */
  lines: { text: string; time: number }[];
  stderr: string;
  /** Host-filesystem calls the node served during the run. */
  fsCalls: number;
}

interface RunRequest {
  image: string;
  command?: string[];
  args?: string[];
  timeoutMs: number;
}

async function run(page: Page, req: RunRequest): Promise<Run> {
  const r = await page.evaluate((q) => (window as unknown as { benchRun(q: RunRequest): Promise<Run> }).benchRun(q), req);
  if (r.exitCode !== 0) throw new Error(`${[...(req.command ?? []), ...(req.args ?? [])].join(' ')} in ${req.image} ended ${r.reason} (${r.exitCode}): ${r.stderr.trim()}`);
  return r;
}

/** dist-bench/ copied to a temporary folder with bench/processes.html beside the built bench pages. */
function processesSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'podplay-processes-'));
  cpSync(join(PROJECT, 'dist-bench'), dir, { recursive: true });
  copyFileSync(join(PROJECT, 'bench/processes.html'), join(dir, 'bench/processes.html'));
  return dir;
}

/** How many children the loop run starts one after the other. */
const SPAWN_LOOP = 5;

/** Start to exit (ms) and host-filesystem calls of each measured run of one kind. */
interface Runs {
  ms: number[];
  fsCalls: number[];
}

interface SpawnFigures {
  viaSh: Runs;
  direct: Runs;
  shAlone: Runs;
  loop: Runs;
}

/** Start to exit of podplay/hello run by sh as a child, run directly, sh alone, and sh running hello in a loop; interleaved after a warm-up. */
async function spawnCost(page: Page): Promise<SpawnFigures> {
  const hello = '/usr/local/bin/hello';
  const sh = (script: string): RunRequest => ({ image: 'podplay/hello', command: ['sh'], args: ['-c', script], timeoutMs: 30_000 });
  const kinds = {
    viaSh: sh(`${hello} -once`),
    direct: { image: 'podplay/hello', command: [hello], args: ['-once'], timeoutMs: 30_000 },
    shAlone: sh('true'),
    loop: sh(`for i in $(seq ${SPAWN_LOOP}); do ${hello} -once; done`),
  } satisfies Record<keyof SpawnFigures, RunRequest>;
  const f: SpawnFigures = { viaSh: { ms: [], fsCalls: [] }, direct: { ms: [], fsCalls: [] }, shAlone: { ms: [], fsCalls: [] }, loop: { ms: [], fsCalls: [] } };
  const said = (r: Run) => r.lines.map((l) => l.text);
  for (let i = 0; i < SPAWN_WARMUP + SPAWN_RUNS; i++) {
    const runs = {} as Record<keyof SpawnFigures, Run>;
    for (const kind of Object.keys(kinds) as (keyof SpawnFigures)[]) runs[kind] = await run(page, kinds[kind]);
    // The same program doing the same work on both sides: two lines, the same greeting.
    const [a, b] = [said(runs.viaSh), said(runs.direct)];
    if (a.length !== 2 || a.join('\n') !== b.join('\n')) throw new Error(`hello through sh said ${JSON.stringify(a)}, directly ${JSON.stringify(b)}`);
    if (said(runs.loop).length !== 2 * SPAWN_LOOP) throw new Error(`sh's loop of ${SPAWN_LOOP} hellos printed ${said(runs.loop).length} lines`);
    if (i < SPAWN_WARMUP) continue;
    for (const kind of Object.keys(kinds) as (keyof SpawnFigures)[]) {
      f[kind].ms.push(runs[kind].ms);
      f[kind].fsCalls.push(runs[kind].fsCalls);
    }
  }
  return f;
}

interface PipelineFigures {
  bytes: number;
  /** Wall time of each measured pipeline (ms): with child processes, and applets only. */
  children: number[];
  applets: number[];
  /** The first pipeline of each kind, warm-up size, after the copy of the toolbox (ms). */
  firstChildrenMs: number;
  firstAppletsMs: number;
  warmupBytes: number;
}

/**
 * The two pipelines, interleaved in one podplay/toolbox container: `yes` of a
 * 1 KiB line through `head -n`, 7 copying stages, `wc -c`. In one, 4 of the
 * copying stages are /tmp/cat, a copy of the toolbox: sh runs in-process only
 * what leads to a file named toolbox, so each is a child process, and the
 * toolbox picks its cat applet by the name it is run as. Each pipeline is timed
 * from its start marker to its end marker, as the node worker read them.
 */
async function pipelineThroughput(page: Page): Promise<PipelineFigures> {
  const line = 'x'.repeat(1023);
  const lines = PIPELINE_MIB * 1024;
  const warmupLines = 1024;
  const children = (n: number) => `yes $L | head -n ${n} | /tmp/cat | cat | /tmp/cat | cat | /tmp/cat | cat | /tmp/cat | wc -c`;
  const applets = (n: number) => `yes $L | head -n ${n} | cat | cat | cat | cat | cat | cat | cat | wc -c`;
  const timed = (name: string, pipeline: string) => `echo @start ${name}; ${pipeline}; echo @end`;
  const script = [
    'cp /bin/toolbox /tmp/cat',
    `L=${line}`,
    timed('warm-children', children(warmupLines)),
    timed('warm-applets', applets(warmupLines)),
    ...Array.from({ length: PIPELINE_ROUNDS }, () => [timed('children', children(lines)), timed('applets', applets(lines))]).flat(),
  ].join('\n');
  const timeoutMs = 60_000 + PIPELINE_ROUNDS * PIPELINE_MIB * 2_000;
  const r = await run(page, { image: 'podplay/toolbox', command: ['sh'], args: ['-c', script], timeoutMs });
  const out = r.lines;
  const f: PipelineFigures = { bytes: lines * 1024, children: [], applets: [], firstChildrenMs: 0, firstAppletsMs: 0, warmupBytes: warmupLines * 1024 };
  for (let i = 0; i < out.length; i += 3) {
    const [start, count, end] = [out[i], out[i + 1], out[i + 2]];
    const name = start?.text.replace(/^@start /, '');
    if (!start?.text.startsWith('@start ') || end?.text !== '@end') throw new Error(`the pipelines printed ${JSON.stringify(out.slice(i, i + 3).map((l) => l.text))}`);
    const wall = end.time - start.time;
    const expected = name!.startsWith('warm-') ? f.warmupBytes : f.bytes;
    if (Number(count!.text.trim()) !== expected) throw new Error(`pipeline ${name} counted ${count!.text.trim()} bytes, not ${expected}`);
    if (name === 'warm-children') f.firstChildrenMs = wall;
    else if (name === 'warm-applets') f.firstAppletsMs = wall;
    else f[name as 'children' | 'applets'].push(wall);
  }
  if (f.children.length !== PIPELINE_ROUNDS || f.applets.length !== PIPELINE_ROUNDS) throw new Error(`${f.children.length} + ${f.applets.length} pipelines measured, not ${PIPELINE_ROUNDS} of each`);
  return f;
}

/** Runs both parts on a fresh page of `browser` and prints their figures. */
export async function printProcessesBench(browser: Browser): Promise<void> {
  const t0 = performance.now();
  const site = processesSite();
  const server = await vitePreview(site, PROCESSES_PORT).catch((err: Error) => {
    rmSync(site, { recursive: true, force: true });
    throw err;
  });
  let spawn: SpawnFigures;
  let pipe: PipelineFigures;
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${server.url}/bench/processes.html`);
    await page.waitForFunction(() => (window as unknown as { benchReady?: unknown }).benchReady, undefined, { timeout: 120_000 });
    const ready = (await page.evaluate(() => (window as unknown as { benchReady: unknown }).benchReady)) as true | { error: string };
    if (ready !== true) throw new Error(`processes bench page: ${ready.error}`);
    spawn = await spawnCost(page);
    pipe = await pipelineThroughput(page);
    if (errors.length) throw new Error(`processes bench page errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
    server.close();
    rmSync(site, { recursive: true, force: true });
  }
  const took = (performance.now() - t0) / 1000;

  const row = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
  const p50 = (xs: number[]) => pct(xs, 50);
  console.log(
    `Processes (${took.toFixed(0)} s in all): the toolbox's sh starting a program of the container as a child process (WASIX proc_spawn3), on a Sandbox of dist-bench/'s podplay.js. ` +
      `Spawn cost: start to exit of a podplay/hello container, command and args overridden (the page's run call to its result), ${SPAWN_RUNS} runs of each after ${SPAWN_WARMUP} unmeasured, interleaved.`,
  );
  console.log('');
  row(['container runs', 'runs', 'p50', 'p95', 'host-filesystem calls per run', 'ratio (p50)']);
  console.log('|---|---|---|---|---|---|');
  const spawnRow = (what: string, r: Runs, ratio: string) => row([what, `${r.ms.length}`, ms(p50(r.ms)), ms(pct(r.ms, 95)), `${p50(r.fsCalls)}`, ratio]);
  const ratio = p50(spawn.viaSh.ms) / p50(spawn.direct.ms);
  spawnRow("`sh -c '/usr/local/bin/hello -once'` (hello a child of sh)", spawn.viaSh, `${ratio.toFixed(2)}× (target ≤ 1.3×, ${ratio <= 1.3 ? 'met' : 'not met'})`);
  spawnRow('`/usr/local/bin/hello -once`', spawn.direct, '1.00×');
  spawnRow('`sh -c true` (sh alone: `true` is an applet, no child)', spawn.shAlone, `${(p50(spawn.shAlone.ms) / p50(spawn.direct.ms)).toFixed(2)}×`);
  spawnRow(`\`sh -c 'for i in $(seq ${SPAWN_LOOP}); do /usr/local/bin/hello -once; done'\` (${SPAWN_LOOP} children, one after the other)`, spawn.loop, `${(p50(spawn.loop.ms) / p50(spawn.direct.ms)).toFixed(2)}×`);
  const perChild = (p50(spawn.loop.ms) - p50(spawn.shAlone.ms)) / SPAWN_LOOP;
  const callsPerChild = (p50(spawn.loop.fsCalls) - p50(spawn.shAlone.fsCalls)) / SPAWN_LOOP;
  row([`one more child, start to exit: (loop − sh alone) / ${SPAWN_LOOP}, p50s`, '', ms(perChild), '', callsPerChild.toFixed(0), `${(perChild / p50(spawn.direct.ms)).toFixed(2)}× a whole container of hello`]);
  console.log('');

  const mbs = (t: number) => pipe.bytes / 1e6 / (t / 1000);
  const best = (xs: number[]) => Math.min(...xs);
  console.log(
    `Pipeline throughput: \`yes <1 KiB line> | head -n ${PIPELINE_MIB * 1024} | … 7 copying stages … | wc -c\`, ${PIPELINE_MIB} MiB (${(pipe.bytes / 1e6).toFixed(1)} MB) through 10 stages, ` +
      `timed from a marker echoed before it to one echoed after it (as the node worker read them); ${PIPELINE_ROUNDS} rounds, interleaved in one podplay/toolbox container after one unmeasured ${pipe.warmupBytes / 2 ** 20} MiB round of each. ` +
      `Children: 4 of the 7 copying stages are \`/tmp/cat\` (a copy of the toolbox, which sh starts as a child process); applets: all 10 stages in sh's process.`,
  );
  console.log('');
  row(['pipeline', 'rounds', 'wall, p50', 'throughput, p50', 'best round', 'ratio (throughput, p50)']);
  console.log('|---|---|---|---|---|---|');
  const pipeRow = (what: string, xs: number[], ratio: string) => row([what, `${xs.length}`, ms(p50(xs)), `${mbs(p50(xs)).toFixed(1)} MB/s`, `${mbs(best(xs)).toFixed(1)} MB/s`, ratio]);
  pipeRow('`yes \\| head \\| /tmp/cat \\| cat \\| /tmp/cat \\| cat \\| /tmp/cat \\| cat \\| /tmp/cat \\| wc -c` (4 child processes)', pipe.children, `${(p50(pipe.applets) / p50(pipe.children)).toFixed(2)}×`);
  pipeRow('`yes \\| head \\| cat \\| cat \\| cat \\| cat \\| cat \\| cat \\| cat \\| wc -c` (applets only)', pipe.applets, '1.00×');
  row([`first round (${pipe.warmupBytes / 2 ** 20} MiB, unmeasured): children / applets`, '1', `${ms(pipe.firstChildrenMs)} / ${ms(pipe.firstAppletsMs)}`, '', '', '']);
  console.log('');
}
