/**
 * Bench page: a Deployment of podplay/hello scaled 0 → N → 0, a fixed
 * number of times, in one `<podplay-sandbox>` (podplay.js, loaded by bench/map.html as a docs
 * page loads it), while requestAnimationFrame records every frame's
 * interval. `?panels=terminal map` draws the cluster map (and records the
 * watch history behind its timeline); `?panels=terminal` is the baseline,
 * the identical churn without it. The page tells bench/run.ts when the
 * measured churn starts and ends (window.benchMark, a binding the runner
 * adds, reads the main thread's busy time over CDP) and leaves its figures
 * in window.benchResult. Between cycles the runner collects garbage in
 * every worker of the page (window.benchCollectWorkers): that time is left out.
 */
import type { SandboxSession } from '../src/cli/index.ts';
import type { Pod } from '../src/sandbox/index.ts';

const params = new URLSearchParams(location.search);
const PANELS = params.get('panels') ?? 'terminal map';
const CYCLES = Number(params.get('cycles') ?? 12);
const REPLICAS = Number(params.get('replicas') ?? 100);
/** Longest wait for one scale to be done before the cycle goes on anyway. */
const STEP_CAP_MS = Number(params.get('stepCapMs') ?? 30_000);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 0
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: hello
        image: podplay/hello
        resources: { requests: { cpu: 10m, memory: 8Mi } }
`;

interface SandboxEl extends HTMLElement {
  ready: Promise<void>;
  session?: SandboxSession;
  exec(line: string): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  apply(yaml: string): Promise<{ lines: string[]; errors: string[] }>;
}

export interface Cycle {
  /** Scale to N until every pod is Running; scale to 0 until every pod is gone (ms). */
  upMs: number;
  downMs: number;
  /** Whether the step got there before {@link STEP_CAP_MS}. */
  upDone: boolean;
  downDone: boolean;
}

export interface MapBenchResult {
  panels: string;
  replicas: number;
  /** requestAnimationFrame intervals over the measured churn (ms). */
  frames: number[];
  /** The same before the Deployment exists: the page's frame interval at rest. */
  idleFrames: number[];
  /** The measured churn's wall time (ms), without {@link pausedMs}. */
  wallMs: number;
  /** Time the churn stood still while the runner collected garbage in the workers (ms). */
  pausedMs: number;
  cycles: Cycle[];
  /** Long tasks (over 50 ms) on the main thread during the churn: how many, their total. */
  longTasks: number;
  longTaskMs: number;
  /** Watch events the session sent from ready to the end (the map's history keeps the last 10,000). */
  events: number;
  mapDrawn: boolean;
  error?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const binding = () => (window as unknown as { benchMark?: (label: string) => Promise<void> }).benchMark;

interface FrameRecorder {
  /** No interval is counted from here to the first frame after {@link resume}. */
  pause(): void;
  resume(): void;
  stop(): number[];
}

/** rAF intervals until `stop()` returns them. */
function recordFrames(): FrameRecorder {
  const frames: number[] = [];
  let last = -1;
  let on = true;
  let paused = false;
  const tick = (t: number) => {
    if (!on) return;
    if (last >= 0 && !paused) frames.push(t - last);
    last = paused ? -1 : t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  return {
    pause: () => void (paused = true),
    resume: () => void (paused = false),
    stop() {
      on = false;
      return frames;
    },
  };
}

async function main(): Promise<MapBenchResult> {
  await customElements.whenDefined('podplay-sandbox');
  document.body.insertAdjacentHTML('beforeend', `<podplay-sandbox id="bench" panels="${PANELS}" nodes="3" node-cpu="64" node-memory="64Gi" height="10rem"></podplay-sandbox>`);
  const el = document.getElementById('bench') as SandboxEl;
  await el.ready;
  const session = el.session!;
  // What the cluster holds, from its watch events: pod name → Running. No polling, so both sides pay the same.
  const pods = new Map<string, boolean>();
  let events = 0;
  let changed: () => void = () => undefined;
  session.onChange((e) => {
    events++;
    if (e.kind !== 'Pod') return;
    const pod = e.object as Pod;
    if (e.type === 'DELETED') pods.delete(pod.metadata.name!);
    else pods.set(pod.metadata.name!, pod.status?.phase === 'Running' && !pod.metadata.deletionTimestamp);
    changed();
  });
  const until = async (done: () => boolean): Promise<boolean> => {
    const deadline = performance.now() + STEP_CAP_MS;
    while (!done()) {
      if (performance.now() > deadline) return false;
      await new Promise<void>((r) => {
        changed = r;
        setTimeout(r, 250);
      });
    }
    return true;
  };
  const scale = async (n: number) => {
    const r = await el.exec(`kubectl scale deployment/web --replicas=${n}`);
    if (r.exitCode !== 0) throw new Error(`kubectl scale exited ${r.exitCode}: ${r.stderr}`);
  };
  const running = () => [...pods.values()].filter(Boolean).length;
  const cycle = async (): Promise<Cycle> => {
    let t = performance.now();
    await scale(REPLICAS);
    const upDone = await until(() => running() >= REPLICAS);
    const upMs = performance.now() - t;
    t = performance.now();
    await scale(0);
    const downDone = await until(() => pods.size === 0);
    const downMs = performance.now() - t;
    await collectWorkers();
    return { upMs, upDone, downMs, downDone };
  };
  // The measured churn, while it runs: its frames, and when it stood still for the workers' garbage collection.
  let measuring: { frames: FrameRecorder; pauses: Array<[number, number]> } | undefined;
  /**
   * The ended containers' wasm memories are given back only when the workers
   * that ran them collect garbage, which idle workers do not: without this,
   * the next 100 pods cannot all get memory (see docs/benchmarks.md). The
   * runner collects in every worker; the churn's figures leave that time out.
   */
  const collectWorkers = async () => {
    const collect = (window as unknown as { benchCollectWorkers?: () => Promise<void> }).benchCollectWorkers;
    if (!collect) return;
    measuring?.frames.pause();
    if (measuring) await binding()?.('pause');
    const from = performance.now();
    await collect();
    measuring?.pauses.push([from, performance.now()]);
    if (measuring) await binding()?.('resume');
    measuring?.frames.resume();
  };

  // Where a reader would look: the map in view, under a short terminal.
  const map = el.shadowRoot!.querySelector<HTMLElement>('[data-testid=map-section], #map-section');
  map?.scrollIntoView({ block: 'start' });
  const idle = recordFrames();
  await sleep(2000);
  const idleFrames = idle.stop();

  const applied = await el.apply(DEPLOYMENT);
  if (applied.errors.length) throw new Error(applied.errors.join('; '));
  // One cycle unmeasured: the image is pulled onto the nodes, the code warms up.
  const warm = await cycle();
  if (!warm.upDone) throw new Error(`the warm-up cycle did not get ${REPLICAS} pods Running in ${STEP_CAP_MS / 1000} s (${running()} were)`);

  const longTasks: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries()));
  observer.observe({ type: 'longtask' });
  await binding()?.('start');
  const t0 = performance.now();
  measuring = { frames: recordFrames(), pauses: [] };
  const cycles: Cycle[] = [];
  while (cycles.length < CYCLES) cycles.push(await cycle());
  const { frames, pauses } = measuring;
  const measured = frames.stop();
  const pausedMs = pauses.reduce((n, [a, b]) => n + b - a, 0);
  const wallMs = performance.now() - t0 - pausedMs;
  await binding()?.('end');
  observer.disconnect();
  const counted = longTasks.filter((e) => !pauses.some(([a, b]) => e.startTime >= a && e.startTime < b));
  return {
    panels: PANELS,
    replicas: REPLICAS,
    frames: measured,
    idleFrames,
    wallMs,
    pausedMs,
    cycles,
    longTasks: counted.length,
    longTaskMs: counted.reduce((s, e) => s + e.duration, 0),
    events,
    mapDrawn: !!el.shadowRoot!.querySelector('[data-node]'),
  };
}

const out = document.getElementById('out')!;
main().then(
  (result) => {
    (window as unknown as { benchResult: unknown }).benchResult = result;
    out.textContent = 'done';
  },
  (err: Error) => {
    (window as unknown as { benchResult: unknown }).benchResult = { error: err.message };
    out.textContent = `failed: ${err.message}`;
  },
);
