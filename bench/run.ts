/**
 * npm run bench: builds, serves the production build with vite preview, and
 * measures in real Chromium:
 *  - warm start of podplay/hello through podplay vs the same wasm straight
 *    through @wasmer/sdk, interleaved in one page (p50/p95, ratio);
 *  - cold start from IndexedDB: a fresh page whose images are already stored,
 *    from navigation to hello's exit;
 *  - import of an image with a ~21 MB gzip layer into IndexedDB vs raw
 *    DecompressionStream + SHA-256 of the same bytes, and a container's start
 *    from stored layers vs from the cached rootfs (bench/images-bench-page.ts);
 *  - page boot to the first `el.exec('kubectl get nodes')`, first and cached
 *    visit, with the isolation headers and through podplay-sw.js on a plain
 *    static server (bench/boot-bench.ts);
 *  - the JS dist/ ships, raw and gzip, against the bundle before
 *    `<podplay-sandbox>`, and what a page loads of it at boot (bench/js-size.ts);
 *  - the cluster map under churn (`npm run bench -- map`): frame intervals and
 *    the main thread's busy share while a Deployment is scaled 0 → 100 → 0
 *    ten times, against the same churn without the map (bench/map-bench-page.ts),
 *    and in Node the memory of the map's watch history at its cap;
 *  - processes (`npm run bench -- processes`): sh starting hello as a child
 *    process against hello started directly, and a 10-stage pipeline with
 *    child processes against the same pipeline of applets only
 *    (bench/processes-bench.ts);
 *  - the cluster network (`npm run bench -- network`, in Node): API latency
 *    from inside a pod against kubectl's, a 1 MiB response's throughput, and
 *    pod-to-pod HTTP requests per second (bench/network-bench.ts);
 *  - docker build (`npm run bench -- build`, Node and Chromium): the
 *    web-app example cold, warm and with one source changed, and a RUN step
 *    against docker run of the same command (bench/build-bench.ts);
 *  - Go in podplay (`npm run bench -- go`, Node and Chromium): go build in
 *    podplay/golang cold, warm and with main.go changed, against native
 *    go build and the raw compile+link through @wasmer/sdk, with peak
 *    memory (bench/go-bench.ts);
 *  - lessons (`npm run bench -- lessons`): check evaluation per watch event
 *    with 200 pods churning, and the lesson page's reset to ready
 *    (bench/lessons-bench.ts).
 * The bench pages are built into dist-bench/ (vite build --mode bench); the
 * boot page loads podplay.js from a copy of dist/, as a docs site would.
 * Figures, not assertions: speed is never a test here.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from '@playwright/test';
import { runApiBench } from './api-bench.ts';
import { bootRuns, fetchedAtBoot, type BootVisit } from './boot-bench.ts';
import { buildAndBreakDown, type SourceBytes } from './js-breakdown.ts';
import { BASELINE_COMMIT, baselineJsSize, jsFile, jsFiles, sumJs, type JsSize } from './js-size.ts';
import { launchChromium } from './chromium.ts';
import { kb, ms, pct } from './figures.ts';
import { printMapBench } from './map-bench.ts';
import { printProcessesBench } from './processes-bench.ts';
import { printNetworkBench } from './network-bench.ts';
import { printBuildBench } from './build-bench.ts';
import { printGoBench } from './go-bench.ts';
import { printLessonsBench } from './lessons-bench.ts';
import { runSchedulerBench } from './scheduler-bench.ts';
import { staticServer, vitePreview } from './serve.ts';

const PROJECT = fileURLToPath(new URL('../', import.meta.url));
const PORT = 4175;
/** The boot page's copy of dist/: with the isolation headers, and on a plain static server. */
const BOOT_PORT = 4176;
const BOOT_STATIC_PORT = 4177;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const IMAGE_RUNS = Number(process.env.BENCH_IMAGE_RUNS ?? 5);
const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 100);
const BOOT_RUNS = Number(process.env.BENCH_BOOT_RUNS ?? 5);
const base = `http://127.0.0.1:${PORT}`;

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

/** The bench pages (dist-bench/): warm and cold start, image import, rootfs, the runtime. */
async function printBrowserBench(browser: Browser): Promise<void> {
  const server = await vitePreview('dist-bench', PORT);
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
    console.log('');
  } finally {
    server.close();
  }
}

/** dist/ copied to a temporary folder with bench/boot.html as bench/boot.html: podplay-sw.js stays at the site's root. */
function bootSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'podplay-boot-'));
  cpSync(join(PROJECT, 'dist'), dir, { recursive: true });
  mkdirSync(join(dir, 'bench'), { recursive: true });
  copyFileSync(join(PROJECT, 'bench/boot.html'), join(dir, 'bench/boot.html'));
  return dir;
}

/** Boot to the first `kubectl get nodes` on `site` (a copy of dist/); returns the paths of the files a first visit fetched. */
async function printBootBench(browser: Browser, site: string): Promise<string[]> {
  const headers = await vitePreview(site, BOOT_PORT);
  const plain = await staticServer(site, BOOT_STATIC_PORT).catch((err: Error) => {
    headers.close();
    throw err;
  });
  try {
    const page = '/bench/boot.html';
    const atBoot = await fetchedAtBoot(browser, `${headers.url}${page}`);
    const isolated = await bootRuns(browser, `${headers.url}${page}`, BOOT_RUNS, false);
    const sw = await bootRuns(browser, `${plain.url}${page}`, BOOT_RUNS, true);
    const p = (xs: BootVisit[], f: (v: BootVisit) => number, q = 50) => pct(xs.map(f), q);
    const row = (served: string, visit: string, xs: BootVisit[], target: string) =>
      console.log(`| ${served} | ${visit} | ${xs.length} | ${ms(p(xs, (v) => v.ms))} | ${ms(p(xs, (v) => v.ms, 95))} | ${ms(p(xs, (v) => v.readyMs))} | ${target} |`);
    const ready = isolated.stdout.split('\n').filter((l) => /\sReady\s/.test(l)).length;
    console.log(`Page boot: navigation start → first \`el.exec('kubectl get nodes')\` with exit code 0 (bench/boot.html: one \`<podplay-sandbox>\`, ${ready} nodes Ready at the first exec, podplay.js from a copy of dist/)`);
    console.log('');
    console.log('| served | visit | runs | p50 | p95 | element ready, p50 (from its page\'s navigation) | target |');
    console.log('|---|---|---|---|---|---|---|');
    row('vite preview, isolation headers', 'first (fresh browser context)', isolated.first, '');
    row('vite preview, isolation headers', 'cached (same context, new tab)', isolated.cached, '≤ 1 s');
    const before = ms(p(sw.first, (v) => v.ms - v.pageMs));
    const after = ms(p(sw.first, (v) => v.pageMs));
    row('python3 -m http.server, no headers', `first: podplay-sw.js registers and the page reloads once (p50 ${before} before the reload, ${after} after)`, sw.first, '');
    row('python3 -m http.server, no headers', 'cached: served from podplay-sw.js\'s cache', sw.cached, '≤ 1 s');
    console.log('');
    return atBoot;
  } finally {
    headers.close();
    plain.close();
  }
}

/** The JS dist/ ships against the baseline build, and what a first visit loads of it (`atBoot`, from the boot page on `site`). */
function printJsSize(atBoot?: { site: string; paths: string[] }): void {
  const now = jsFiles(join(PROJECT, 'dist'));
  const total = sumJs(now);
  const baseline = baselineJsSize(PROJECT);
  const withoutSdk = (s: JsSize) => {
    const sdk = s.groups["wasmer-sdk/ (the SDK's JS)"] ?? { raw: 0, gzip: 0 };
    return { raw: s.raw - sdk.raw, gzip: s.gzip - sdk.gzip };
  };
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const own = withoutSdk(total);
  const baseOwn = withoutSdk(baseline.size);
  console.log(`JS shipped: every .js/.mjs file of the production build (@wasmer/sdk's JS included, its wasm not), gzip -9 per file, summed; kB = 1,000 bytes`);
  console.log('');
  console.log('| build | files | raw | gzip | gzip vs baseline |');
  console.log('|---|---|---|---|---|');
  const how = baseline.built ? 'built now, playground only' : baseline.note;
  console.log(`| baseline: ${BASELINE_COMMIT}, before \`<podplay-sandbox>\` (${how}) | ${baseline.size.files} | ${kb(baseline.size.raw)} | ${kb(baseline.size.gzip)} | 1.00× |`);
  console.log(`| this build (dist/) | ${total.files} | ${kb(total.raw)} | ${kb(total.gzip)} (target ≤ 250 kB) | ${ratio(total.gzip, baseline.size.gzip)} |`);
  console.log(`| baseline without the SDK's JS | | ${kb(baseOwn.raw)} | ${kb(baseOwn.gzip)} | 1.00× |`);
  console.log(`| this build without the SDK's JS | | ${kb(own.raw)} | ${kb(own.gzip)} | ${ratio(own.gzip, baseOwn.gzip)} |`);
  for (const [group, g] of Object.entries(total.groups)) console.log(`| this build: ${group} | ${g.files} | ${kb(g.raw)} | ${kb(g.gzip)} | |`);
  if (atBoot) {
    const js = atBoot.paths.filter((p) => /\.m?js$/.test(p)).map((p) => jsFile(atBoot.site, p));
    const loaded = sumJs(js);
    console.log(`| loaded at boot: what a first visit to bench/boot.html fetched (page and workers) before its first exec | ${loaded.files} | ${kb(loaded.raw)} | ${kb(loaded.gzip)} | |`);
    console.log('');
    const wasm = atBoot.paths.filter((p) => p.endsWith('.wasm')).map((p) => `${p} (${(jsFile(atBoot.site, p).raw / 1e6).toFixed(1)} MB)`);
    console.log(`Loaded at boot: ${js.map((f) => `${f.path} ${kb(f.gzip)}`).join(', ')}${wasm.length ? `; and ${wasm.join(', ')}` : ''}.`);
  }
  console.log('');
}

/** What takes the bytes of podplay.js and assets/*, by source map. */
function printJsBreakdown(top = 15): void {
  const b = buildAndBreakDown(PROJECT);
  const table = (title: string, rows: SourceBytes[]) => {
    console.log(`| ${title} | minified | share | gzip alone | in |`);
    console.log('|---|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.source} | ${kb(r.bytes)} | ${((100 * r.bytes) / b.total).toFixed(1)}% | ${kb(r.gzipAlone)} | ${r.files.join(', ')} |`);
    console.log('');
  };
  const left = b.unmappedFiles.map((f) => `${f.path}, ${kb(f.bytes)}`).join('; ');
  console.log(`podplay's own JS by source: podplay.js, assets/*, podplay-sw.js (${kb(b.total)} minified, ${kb(b.unmapped)} of it in no source${left ? `; left out, no source map: ${left}` : ''}), from the production build made again with source maps. "gzip alone" compresses a source's bytes by themselves.`);
  console.log('');
  table(`top ${top} sources`, b.sources.slice(0, top));
  table(`top ${top} folders and packages`, b.folders.slice(0, top));
  table('modules and packages', b.modules);
}

async function main() {
  const only = process.argv[2];
  if (only && !['api', 'scheduler', 'boot', 'size', 'map', 'processes', 'network', 'build', 'go', 'lessons'].includes(only)) throw new Error(`unknown bench "${only}": give none (all but the scheduler), api, scheduler, boot (page boot and JS size), size (JS size and what takes it), map (the cluster map under churn), processes (child processes of sh), network (the cluster network and the API inside pods), build (docker build in Node and Chromium), go (go build in podplay/golang, Node and Chromium) or lessons (lesson checks under churn, the lesson page's reset)`);
  if (only === 'network') return printNetworkBench();
  if (only === 'scheduler') return printSchedulerBench();
  if (only === 'size') {
    printJsSize();
    return printJsBreakdown();
  }
  if (only === 'map') return printMapBench(true);
  if (!only || only === 'api') printApiBench();
  if (only === 'api') return;
  const browser = await launchChromium();
  let site: string | undefined;
  try {
    console.log(`podplay bench — Chromium ${browser.version()}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
    console.log('');
    if (!only) await printBrowserBench(browser);
    if (!only || only === 'processes') await printProcessesBench(browser);
    if (only === 'processes') return;
    if (!only || only === 'build') await printBuildBench(browser);
    if (only === 'build') return;
    if (!only || only === 'go') await printGoBench(browser);
    if (only === 'go') return;
    if (!only || only === 'lessons') await printLessonsBench(browser);
    if (only === 'lessons') return;
    if (!only) await printMapBench(false);
    site = bootSite();
    const paths = await printBootBench(browser, site);
    printJsSize({ site, paths });
  } finally {
    await browser.close();
    if (site) rmSync(site, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench failed: ${err.message}`);
  process.exit(1);
});
