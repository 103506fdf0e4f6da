/**
 * The cluster map under churn (`npm run bench -- map`): frame intervals and
 * the main thread's busy share while a Deployment is scaled 0 ↔ 100, with
 * the map and without it (bench/map-bench-page.ts), and in Node the memory
 * of the map's watch history at its cap.
 */
import { cpus, totalmem } from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Browser } from '@playwright/test';
import { KINDS, WatchHistory, createApiStore, type KubeObject, type Pod } from '../src/api/index.ts';
import { Kubelet, type ContainerRuntime, type ImageService } from '../src/controllers/index.ts';
import type { ContainerInfo, ContainerResult } from '../src/runtime/index.ts';
import { defaultNodes, startControlPlane } from '../src/sandbox/index.ts';
import { SystemClock } from '../src/shared/index.ts';
import { launchChromium } from './chromium.ts';
import { ms, pct } from './figures.ts';
import type { Cycle, MapBenchResult } from './map-bench-page.ts';
import { vitePreview } from './serve.ts';

/** The map bench's own vite preview of dist-bench/. */
const MAP_PORT = 4178;
const MAP_CYCLES = Number(process.env.BENCH_MAP_CYCLES ?? 10);
const MAP_REPLICAS = Number(process.env.BENCH_MAP_REPLICAS ?? 100);
const MAP_ROUNDS = Number(process.env.BENCH_MAP_ROUNDS ?? 2);

/** One map bench page in a fresh context: its figures, and from CDP the main thread's busy time over the measured churn and the heap after it. */
interface MapRun extends MapBenchResult {
  /** Performance.getMetrics over the measured churn, its pauses left out (ms): TaskDuration, its script, style and layout parts, and the wall time. */
  busyMs: number;
  scriptMs: number;
  styleMs: number;
  layoutMs: number;
  cdpWallMs: number;
  /** The page's JS heap after the churn, after a full GC (Runtime.getHeapUsage). */
  heapBytes: number;
}

async function mapRun(browser: Browser, url: string, panels: string): Promise<MapRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    // The metrics summed over the measured churn's segments: start or resume to pause or end.
    const measured: Record<string, number> = {};
    let open: Record<string, number> | undefined;
    await page.exposeFunction('benchMark', async (label: string) => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const now = Object.fromEntries(metrics.map((m) => [m.name, m.value]));
      if (label === 'start' || label === 'resume') open = now;
      else if (open) for (const [name, value] of Object.entries(now)) measured[name] = (measured[name] ?? 0) + value - open[name]!;
    });
    // Idle workers do not collect garbage by themselves, and the wasm memories of ended containers go only then (map-bench-page.ts).
    await page.exposeFunction('benchCollectWorkers', async () => {
      await Promise.all(page.workers().map((w) => w.evaluate(() => (globalThis as unknown as { gc?: () => void }).gc?.()).catch(() => undefined)));
    });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${url}/bench/map.html?panels=${encodeURIComponent(panels)}&cycles=${MAP_CYCLES}&replicas=${MAP_REPLICAS}`);
    await page.waitForFunction(() => (window as unknown as { benchResult?: unknown }).benchResult, undefined, { timeout: MAP_CYCLES * 70_000 + 120_000 });
    const r = (await page.evaluate(() => (window as unknown as { benchResult: unknown }).benchResult)) as MapBenchResult;
    if (r.error) throw new Error(`map bench (panels="${panels}"): ${r.error}${errors.length ? ` (page errors: ${errors.join('; ')})` : ''}`);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const d = (name: string) => (measured[name] ?? 0) * 1000;
    return { ...r, busyMs: d('TaskDuration'), scriptMs: d('ScriptDuration'), styleMs: d('RecalcStyleDuration'), layoutMs: d('LayoutDuration'), cdpWallMs: d('Timestamp'), heapBytes: heap.usedSize };
  } finally {
    await context.close();
  }
}

/** A container runtime whose containers run until stopped, doing nothing: the kubelet's status writes without wasm. */
function idleRuntime(): ContainerRuntime {
  const containers = new Map<string, { info: ContainerInfo; end(r: ContainerResult): void; result: Promise<ContainerResult> }>();
  const finish = (id: string) => {
    const c = containers.get(id);
    if (!c || c.info.state === 'exited') return;
    const now = Date.now();
    c.info = { ...c.info, state: 'exited', finishedAt: now, exitCode: 137, reason: 'Killed' };
    c.end({ exitCode: 137, reason: 'Killed', startedAt: c.info.startedAt ?? now, finishedAt: now });
  };
  return {
    async create(spec) {
      let end!: (r: ContainerResult) => void;
      const result = new Promise<ContainerResult>((r) => (end = r));
      const info: ContainerInfo = { id: spec.id, image: spec.image, state: 'created', createdAt: Date.now(), restartCount: 0 };
      containers.set(spec.id, { info, end, result });
      return info;
    },
    async start(id) {
      const c = containers.get(id)!;
      return (c.info = { ...c.info, state: 'running', startedAt: Date.now() });
    },
    wait: (id) => containers.get(id)!.result,
    async stop(id) {
      finish(id);
      return containers.get(id)!.info;
    },
    async kill(id) {
      finish(id);
      return true;
    },
    remove: async (id) => containers.delete(id),
    releaseVolumes: async () => 0,
    exec: async () => ({ exitCode: 0, reason: 'Completed', startedAt: Date.now(), finishedAt: Date.now() }),
  };
}

interface HistoryAtCap {
  events: number;
  podEvents: number;
  dropped: number;
  cycles: number;
  /** What letting go of the history frees (heap, after full GCs); undefined without a GC to call. */
  historyBytes?: number;
  /** Of it: entries, checkpoints, indexes; the Event objects; the other objects (Pods mostly). */
  structureBytes?: number;
  eventObjectBytes?: number;
  otherObjectBytes?: number;
  naiveBytes?: number;
  exportBytes: number;
  naiveChars: number;
}

/**
 * The map's watch history at its cap, in Node: the real control plane
 * (scheduler writing its decisions on each pod, Deployment and ReplicaSet
 * controllers, one kubelet per node over an idle container runtime) churns
 * a Deployment 0 ↔ 100 until the history has folded its oldest events; every
 * watch event is recorded as the element records it. The baseline is a
 * naive recorder: each of the same last events kept as its JSON line.
 */
async function historyAtCap(replicas: number): Promise<HistoryAtCap> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  const heap = () => {
    for (let i = 0; i < 3; i++) gc?.();
    return process.memoryUsage().heapUsed;
  };
  // The recording lives only here: the run's closures reach it through `sink`, which is emptied when the run ends.
  let sink: { history: WatchHistory; naive: string[] } | undefined;
  const run = async () => {
    const clock = new SystemClock();
    const api = createApiStore({ clock });
    const image = { ref: 'podplay/hello:latest', size: 1_630_000, imageId: `sha256:${'ca72'.repeat(16)}` };
    const images: ImageService = {
      present: async () => image,
      pull: async () => image,
      list: async () => [{ names: ['docker.io/podplay/hello:latest', image.imageId], sizeBytes: image.size }],
    };
    const runtime = idleRuntime();
    const kubelets = defaultNodes(3).map((n, i) => new Kubelet({ api, clock, nodeName: n.name, runtime, images, capacity: { cpu: '64', memory: '64Gi' }, labels: n.labels, internalIP: `10.0.0.${i + 2}` }));
    for (const k of kubelets) await k.start();
    sink = { history: new WatchHistory({ base: api.dump(), startedAt: clock.now() }), naive: [] };
    const pods = new Map<string, boolean>();
    const rv = api.resourceVersion;
    const watches = KINDS.map(({ kind }) =>
      api.watch(kind, { resourceVersion: rv }, (e) => {
        if (!sink) return;
        const at = clock.now();
        sink.history.record(e.type, kind, e.object, at);
        sink.naive.push(JSON.stringify({ at, type: e.type, kind, object: e.object }));
        if (sink.naive.length > sink.history.maxEvents) sink.naive.shift();
        if (kind !== 'Pod') return;
        const p = e.object as Pod;
        if (e.type === 'DELETED') pods.delete(p.metadata.name!);
        else pods.set(p.metadata.name!, p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
      }),
    );
    const parts = startControlPlane(api);
    api.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'hello', image: 'podplay/hello', resources: { requests: { cpu: '10m', memory: '8Mi' } } }] } },
      },
    } as KubeObject);
    const until = async (done: () => boolean) => {
      for (const deadline = Date.now() + 60_000; !done(); await new Promise((r) => setTimeout(r, 5))) if (Date.now() > deadline) throw new Error(`the churn in Node stalled (${pods.size} pods)`);
    };
    const scale = (n: number) => api.mutate('Deployment', 'default', 'web', (d) => void ((d.spec as { replicas: number }).replicas = n));
    let cycles = 0;
    while (!sink.history.dropped) {
      scale(replicas);
      await until(() => [...pods.values()].filter(Boolean).length === replicas);
      scale(0);
      await until(() => pods.size === 0);
      cycles++;
    }
    for (const p of [...watches, ...parts, ...kubelets]) p.dispose();
    return { cycles, store: new WeakRef(api) };
  };
  const { cycles, store } = await run();
  let { history, naive } = sink!;
  sink = undefined;
  const kept = [...history.entries()];
  const out = { events: history.length, podEvents: kept.filter((e) => e.kind === 'Pod').length, dropped: history.dropped, cycles, exportBytes: Buffer.byteLength(history.toJsonLines()), naiveChars: naive.reduce((n, l) => n + l.length + 1, 0) };
  // Let the run's timers end: its store must be gone, or objects it shares with the history would be counted for neither.
  await new Promise((r) => setTimeout(r, 100));
  // Released one part at a time: the history's own structures, then its Event objects, then the rest of its objects, then the baseline.
  let objects: KubeObject[] | undefined = [...kept.map((e) => e.object), ...history.stateAt(0)];
  kept.length = 0;
  const all = heap();
  history = undefined as never;
  const objectsOnly = heap();
  objects = objects.filter((o) => o.kind !== 'Event');
  const withoutEvents = heap();
  objects = undefined;
  const none = heap();
  naive = undefined as never;
  const naiveGone = heap();
  // Asked last: a WeakRef read keeps its object alive until the end of the job.
  if (store.deref()) console.warn("map bench: the Node run's API store is still reachable; the history's heap figure leaves out what it shares with the store");
  if (!gc) return out;
  return { ...out, historyBytes: all - none, structureBytes: all - objectsOnly, eventObjectBytes: objectsOnly - withoutEvents, otherObjectBytes: withoutEvents - none, naiveBytes: none - naiveGone };
}

/** Runs the map bench in a browser of its own; `header`: print the machine first (when it runs alone). */
export async function printMapBench(header: boolean): Promise<void> {
  // gc() in every worker: the bench collects garbage in them between cycles (see mapRun).
  const browser = await launchChromium(['--js-flags=--expose-gc']);
  if (header) console.log(`podplay bench — Chromium ${browser.version()}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB\n`);
  const server = await vitePreview('dist-bench', MAP_PORT).catch(async (err: Error) => {
    await browser.close();
    throw err;
  });
  const map: MapRun[] = [];
  const plain: MapRun[] = [];
  try {
    // Interleaved on fresh pages of the same browser, so drift on the machine hits both sides alike.
    for (let i = 0; i < MAP_ROUNDS; i++) {
      map.push(await mapRun(browser, server.url, 'terminal map'));
      plain.push(await mapRun(browser, server.url, 'terminal'));
    }
  } finally {
    server.close();
    await browser.close();
  }
  if (!map.every((r) => r.mapDrawn)) throw new Error('the map page drew no node card');
  const h = await historyAtCap(MAP_REPLICAS);

  const all = <T>(rs: MapRun[], f: (r: MapRun) => T[]) => rs.flatMap(f);
  const sum = (rs: MapRun[], f: (r: MapRun) => number) => rs.reduce((n, r) => n + f(r), 0);
  const idle = pct(all([...map, ...plain], (r) => r.idleFrames), 50);
  const frames = (rs: MapRun[]) => all(rs, (r) => r.frames);
  const late = (rs: MapRun[]) => frames(rs).filter((f) => f > idle * 1.5).length / frames(rs).length;
  const share = (rs: MapRun[], f: (r: MapRun) => number) => sum(rs, f) / sum(rs, (r) => r.cdpWallMs);
  const perCent = (x: number) => `${(100 * x).toFixed(1)}%`;
  const cycles = (rs: MapRun[]) => all(rs, (r) => r.cycles);
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const row = (measure: string, a: string, b: string, ratio: string) => console.log(`| ${measure} | ${a} | ${b} | ${ratio} |`);
  const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const points = (a: number, b: number) => `${a >= b ? '+' : '−'}${Math.abs(100 * (a - b)).toFixed(1)} points`;
  const frameRow = (label: string, p: number, target = '') => {
    const a = pct(frames(map), p);
    const b = pct(frames(plain), p);
    row(`frame interval ${label}${target}`, ms(a), ms(b), times(a, b));
  };

  console.log(
    `Cluster map under churn: Deployment web (podplay/hello, requests 10m / 8Mi) scaled 0 → ${MAP_REPLICAS} → 0 ${MAP_CYCLES} times after one unmeasured cycle, ` +
      `each step until every pod is Running / gone; 3 nodes of 64 CPU / 64Gi; a 1280×900 page, the map in view. Map: \`panels="terminal map"\`; baseline: \`panels="terminal"\`, the same churn; ` +
      `${MAP_ROUNDS} round${MAP_ROUNDS === 1 ? '' : 's'} of each, on fresh pages of one browser. Frame interval: between requestAnimationFrame callbacks (${ms(idle)} at rest); busy: CDP Performance.getMetrics TaskDuration over wall time. ` +
      `Between cycles the churn stands still while the bench collects garbage in every worker (${((sum(map, (r) => r.pausedMs) + sum(plain, (r) => r.pausedMs)) / 1000).toFixed(1)} s in all, left out of every figure): ended containers' wasm memory is freed only then.`,
  );
  console.log('');
  console.log('| measure | figure (map) | baseline (no map) | ratio |');
  console.log('|---|---|---|---|');
  row('frames measured', `${frames(map).length}`, `${frames(plain).length}`, '');
  frameRow('p50', 50);
  frameRow('p95', 95, ' (target ≤ 16 ms)');
  frameRow('p99', 99);
  const maxA = Math.max(...frames(map));
  const maxB = Math.max(...frames(plain));
  row('frame interval max', ms(maxA), ms(maxB), times(maxA, maxB));
  row(`frames late (interval over 1.5× the ${ms(idle)} at rest)`, perCent(late(map)), perCent(late(plain)), points(late(map), late(plain)));
  const busyA = share(map, (r) => r.busyMs);
  const busyB = share(plain, (r) => r.busyMs);
  row('main thread busy share (TaskDuration / wall)', perCent(busyA), perCent(busyB), points(busyA, busyB));
  for (const [name, f] of [['script', (r: MapRun) => r.scriptMs], ['style recalculation', (r: MapRun) => r.styleMs], ['layout', (r: MapRun) => r.layoutMs]] as const) {
    row(`… of which ${name}`, perCent(share(map, f)), perCent(share(plain, f)), points(share(map, f), share(plain, f)));
  }
  const lt = (rs: MapRun[]) => `${sum(rs, (r) => r.longTasks)}, ${(sum(rs, (r) => r.longTaskMs) / 1000).toFixed(1)} s`;
  row('long tasks (over 50 ms): count, total', lt(map), lt(plain), '');
  const wall = (rs: MapRun[]) => sum(rs, (r) => r.wallMs);
  row(`${MAP_CYCLES * MAP_ROUNDS} cycles 0 → ${MAP_REPLICAS} Running → 0: wall time`, `${(wall(map) / 1000).toFixed(1)} s`, `${(wall(plain) / 1000).toFixed(1)} s`, times(wall(map), wall(plain)));
  const step = (rs: MapRun[], f: (c: Cycle) => number) => pct(cycles(rs).map(f), 50);
  const capped = (rs: MapRun[]) => cycles(rs).filter((c) => !c.upDone || !c.downDone).length;
  const steps = (rs: MapRun[]) => `${(step(rs, (c) => c.upMs) / 1000).toFixed(2)} s / ${(step(rs, (c) => c.downMs) / 1000).toFixed(2)} s${capped(rs) ? ` (${capped(rs)} cycles hit the 30 s cap)` : ''}`;
  row(`a step, p50: to ${MAP_REPLICAS} Running / to no pod`, steps(map), steps(plain), `${times(step(map, (c) => c.upMs), step(plain, (c) => c.upMs))} / ${times(step(map, (c) => c.downMs), step(plain, (c) => c.downMs))}`);
  row('watch events since ready (the history keeps the last 10,000)', `${sum(map, (r) => r.events).toLocaleString('en-US')}`, `${sum(plain, (r) => r.events).toLocaleString('en-US')}`, '');
  const heapA = sum(map, (r) => r.heapBytes) / map.length;
  const heapB = sum(plain, (r) => r.heapBytes) / plain.length;
  const capped10k = map.every((r) => r.events > 10_000) ? 'at its cap' : 'not yet at its cap';
  row(`page JS heap after the churn, after GC (the map's history ${capped10k})`, mb(heapA), mb(heapB), `${heapA >= heapB ? '+' : '−'}${mb(Math.abs(heapA - heapB))}`);
  console.log('');
  console.log(
    `Watch history at its cap, in Node ${process.version}: the real control plane and kubelets (idle container runtime) churning the same Deployment 0 ↔ ${MAP_REPLICAS} for ${h.cycles} cycles; ` +
      `${h.events.toLocaleString('en-US')} events kept (${h.podEvents.toLocaleString('en-US')} of them Pod events), ${h.dropped.toLocaleString('en-US')} folded into its base. Heap: what letting go of it frees, after full GCs${h.historyBytes === undefined ? ' (not measured: no gc)' : ''}.`,
  );
  console.log('');
  console.log('| measure | history (WatchHistory) | baseline (each event as its JSON line) | ratio |');
  console.log('|---|---|---|---|');
  if (h.historyBytes !== undefined) {
    row('heap held', mb(h.historyBytes), mb(h.naiveBytes!), times(h.historyBytes, h.naiveBytes!));
    row('… of which its entries, checkpoints (a state every 128 events) and indexes', mb(h.structureBytes!), '', '');
    row(`… of which the Event objects (${(h.events - h.podEvents).toLocaleString('en-US')} events are not Pod events, most of them Events)`, mb(h.eventObjectBytes!), '', '');
    row('… of which the other objects (Pod versions sharing what did not change, and the rest)', mb(h.otherObjectBytes!), '', '');
  }
  row('JSON lines (export; the baseline: its lines)', mb(h.exportBytes), mb(h.naiveChars), times(h.exportBytes, h.naiveChars));
  console.log('');
}
