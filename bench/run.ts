/**
 * npm run bench: builds, serves the production build with vite preview, and
 * measures in real Chromium:
 *  - warm start of podplay/hello through podplay vs the same wasm straight
 *    through @wasmer/sdk, interleaved in one page (p50/p95, ratio);
 *  - cold start from IndexedDB: a fresh page whose images are already stored,
 *    from navigation to hello's exit;
 *  - import of an image with a ~21 MB gzip layer into IndexedDB vs raw
 *    DecompressionStream + SHA-256 of the same bytes, and a container's start
 *    from stored layers vs from the cached rootfs (bench/images-bench-page.ts).
 * Figures, not assertions: speed is never a test here.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { chromium, type BrowserContext } from '@playwright/test';
import { runApiBench } from './api-bench.ts';
import { runSchedulerBench } from './scheduler-bench.ts';

const PORT = 4175;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const IMAGE_RUNS = Number(process.env.BENCH_IMAGE_RUNS ?? 5);
const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 100);
const base = `http://127.0.0.1:${PORT}`;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Opens one bench page, waits for the window.benchResult it sets, and closes it; a page's error fails the bench. */
async function benchPage<T>(context: BrowserContext, path: string): Promise<T> {
  const page = await context.newPage();
  await page.goto(`${base}/${path}`);
  await page.waitForFunction(() => (window as unknown as { benchResult?: unknown }).benchResult, undefined, { timeout: 600_000 });
  const result = (await page.evaluate(() => (window as unknown as { benchResult: unknown }).benchResult)) as T & { error?: string };
  await page.close();
  if (result.error) throw new Error(result.error);
  return result;
}

function printApiBench(): void {
  const a = runApiBench(Number(process.env.BENCH_PODS ?? 10_000));
  const ops = (n: number) => `${Math.round(n).toLocaleString('en-US')} ops/s`;
  console.log(`API store in Node ${process.version}: ${a.pods.toLocaleString('en-US')} pods`);
  console.log('');
  console.log('| measure | figure | baseline (plain Map / Array.filter of the same pods) | ratio |');
  console.log('|---|---|---|---|');
  console.log(`| create through the API (defaults, validation, resourceVersion, watch history) | ${ops(a.createPerSec)} | ${ops(a.baselineCreatePerSec)} | ${(a.createPerSec / a.baselineCreatePerSec).toFixed(2)}× |`);
  console.log(`| list with a label selector (\`app=db,shard in (0,2)\`, ${a.labelMatches} match) | ${ms(a.labelListMs)} (${ops(1000 / a.labelListMs)}) | ${ms(a.baselineLabelListMs)} | ${(a.baselineLabelListMs / a.labelListMs).toFixed(2)}× |`);
  console.log(`| list with a field selector (\`spec.nodeName=node-1\`, ${a.fieldMatches} match) | ${ms(a.fieldListMs)} (${ops(1000 / a.fieldListMs)}) | ${ms(a.baselineFieldListMs)} | ${(a.baselineFieldListMs / a.fieldListMs).toFixed(2)}× |`);
  console.log('');
}

async function printSchedulerBench(): Promise<void> {
  const nodes = Number(process.env.BENCH_NODES ?? 5000);
  const pods = Number(process.env.BENCH_PODS ?? 10_000);
  console.log(`Scheduler in Node ${process.version}: ${nodes.toLocaleString('en-US')} nodes, ${pods.toLocaleString('en-US')} pods, default plugins`);
  console.log('');
  console.log('| shape | scheduled pods/s | pods created/s before (API store) | kube-scheduler scheduler_perf threshold (5000Nodes_10000Pods) | target |');
  console.log('|---|---|---|---|---|');
  for (const r of await runSchedulerBench(nodes, pods)) {
    const perSec = (x: number) => Math.round(x).toLocaleString('en-US');
    console.log(`| ${r.name} | ${perSec(r.podsPerSec)}${r.bound < r.pods ? ` (only ${r.bound} bound)` : ''} | ${perSec(r.createdPerSec)} | 680 | ${r.name === 'SchedulingBasic' ? '≥ 10,000' : ''} |`);
  }
  console.log('');
}

async function main() {
  const only = process.argv[2];
  if (only && only !== 'api' && only !== 'scheduler') throw new Error(`unknown bench "${only}": give none (all but the scheduler), api or scheduler`);
  if (only === 'scheduler') return printSchedulerBench();
  printApiBench();
  if (only === 'api') return;
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'pipe', detached: true });
  await new Promise<void>((resolve) => server.stdout!.on('data', (d: Buffer) => d.toString().includes(String(PORT)) && resolve()));
  const executablePath = [process.env.PODPLAY_CHROMIUM, '/usr/bin/chromium'].find((p) => p && existsSync(p));
  const browser = await chromium.launch({
    executablePath,
    // ForceEagerMeasureMemory: measureUserAgentSpecificMemory answers at once instead of at the next GC.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-blink-features=ForceEagerMeasureMemory'],
  });
  try {
    const context = await browser.newContext();
    const r = await benchPage<{ podplay: number[]; raw: number[]; firstRunMs: number; fsCallsPerRun: number }>(context, `bench/bench.html?runs=${RUNS}`);
    const ir = await benchPage<{ imports: number[]; raw: number[]; gzBytes: number; tarBytes: number; first: number[]; second: number[] }>(
      context,
      `bench/images.html?runs=${IMAGE_RUNS}`,
    );
    const rr = await benchPage<{
      perCallUs: number[]; compileMs: number[]; tickerBytes: number; callsPerRead: number; containers: number; nodes: number;
      allOutputMs: number; killAllMs: number; killed: number; memoryPerContainer?: number; linearMemoryPerContainer: number; cpuMsPerContainer: number;
    }>(context, `bench/runtime.html?containers=${CONTAINERS}`);

    const cold: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      const p = await context.newPage();
      const imageFetches: string[] = [];
      p.on('request', (req) => new URL(req.url()).pathname.startsWith('/images/') && imageFetches.push(req.url()));
      await p.goto(`${base}/`);
      await p.waitForFunction(() => performance.getEntriesByName('podplay-first-run-done').length > 0, undefined, { timeout: 120_000 });
      cold.push(await p.evaluate(() => performance.getEntriesByName('podplay-first-run-done')[0]!.startTime));
      if (imageFetches.length) throw new Error(`cold start fetched image files: ${imageFetches.join(', ')}`);
      await p.close();
    }

    const p50 = pct(r.podplay, 50);
    const b50 = pct(r.raw, 50);
    console.log(`podplay bench — Chromium ${browser.version()}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
    console.log('');
    console.log('| measure | runs | p50 | p95 | ratio (p50) |');
    console.log('|---|---|---|---|---|');
    console.log(`| warm start, podplay/hello through podplay (${r.fsCallsPerRun.toFixed(0)} host-filesystem calls per run) | ${r.podplay.length} | ${ms(p50)} | ${ms(pct(r.podplay, 95))} | ${(p50 / b50).toFixed(2)}× (target ≤ 1.2×) |`);
    console.log(`| warm start, same wasm through @wasmer/sdk alone | ${r.raw.length} | ${ms(b50)} | ${ms(pct(r.raw, 95))} | 1.00× |`);
    console.log(`| first run in the bench page (SDK warm-up, rootfs build, compile) | 1 | ${ms(r.firstRunMs)} | | |`);
    console.log(`| cold start from IndexedDB, fresh page → hello exited | ${cold.length} | ${ms(pct(cold, 50))} | ${ms(pct(cold, 95))} | |`);
    const mbs = (bytes: number, t: number) => `${(bytes / 1e6 / (t / 1000)).toFixed(0)} MB/s`;
    const i50 = pct(ir.imports, 50);
    const r50 = pct(ir.raw, 50);
    const layer = `${(ir.gzBytes / 1e6).toFixed(1)} MB gzip layer (${(ir.tarBytes / 1e6).toFixed(1)} MB tar)`;
    console.log(`| import of a ${layer} into IndexedDB: verify, expand, diff ID, apply, commit | ${ir.imports.length} | ${ms(i50)} (${mbs(ir.gzBytes, i50)}) | ${ms(pct(ir.imports, 95))} | ${(r50 / i50).toFixed(2)}× of raw throughput (target ≥ 0.5×) |`);
    console.log(`| raw DecompressionStream + SHA-256 of the same bytes | ${ir.raw.length} | ${ms(r50)} (${mbs(ir.gzBytes, r50)}) | ${ms(pct(ir.raw, 95))} | 1.00× |`);
    const f50 = pct(ir.first, 50);
    const s50 = pct(ir.second, 50);
    console.log(`| container start, rootfs built from the stored layers (fresh node worker) | ${ir.first.length} | ${ms(f50)} | ${ms(pct(ir.first, 95))} | 1.00× |`);
    console.log(`| container start, second container of the image (rootfs cached by chain ID) | ${ir.second.length} | ${ms(s50)} | ${ms(pct(ir.second, 95))} | ${(s50 / f50).toFixed(2)}× |`);
    console.log(`| ${rr.containers} ticker containers over ${rr.nodes} node workers: until every one has written a line | 1 | ${ms(rr.allOutputMs)} | | |`);
    const mib = rr.memoryPerContainer === undefined ? 'not measurable here' : `${(rr.memoryPerContainer / 2 ** 20).toFixed(1)} MiB (target ≤ 16 MiB)`;
    console.log(`| memory per running ticker container (whole page, running vs the same pool idle) | 1 | ${mib} | | |`);
    console.log(`| per ticker, as the runtime reports it (kubectl top's source): linear memory; CPU time since start | ${rr.containers} | ${(rr.linearMemoryPerContainer / 2 ** 20).toFixed(1)} MiB; ${ms(rr.cpuMsPerContainer)} | | |`);
    console.log(`| kill all ${rr.containers} (${rr.killed} ended Killed) | 1 | ${ms(rr.killAllMs)} | | |`);
    console.log(`| compiling the ${(rr.tickerBytes / 1e6).toFixed(1)} MB ticker module (done once per page, not once per node) | ${rr.compileMs.length} | ${ms(pct(rr.compileMs, 50))} | ${ms(pct(rr.compileMs, 95))} | |`);
    console.log(`| host-filesystem bridge, per call (300 reads vs none, ${rr.callsPerRead.toFixed(1)} calls per read) | ${rr.perCallUs.length} | ${pct(rr.perCallUs, 50).toFixed(0)} µs | ${pct(rr.perCallUs, 95).toFixed(0)} µs | |`);
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
}

main().catch((err) => {
  console.error(`bench failed: ${err.message}`);
  process.exit(1);
});
