/**
 * The scheduler in Node, in the shape of kube-scheduler's scheduler_perf
 * SchedulingBasic (N nodes, then M pods with requests, default plugins) and
 * one with pod anti-affinity and topology spread constraints. The pods are
 * created through the API store first (timed apart); the figure is pods
 * per second from the first scheduling cycle until every pod is bound
 * through the API (the binding, its watch event and the Scheduled event
 * included), as scheduler_perf's SchedulingThroughput counts scheduled
 * pods. Decisions are not written on the pods (explain: false), as
 * kube-scheduler does not write them.
 */
import { createApiStore, type ApiStore, type KubeObject } from '../src/api/index.ts';
import { eventRecorder } from '../src/controllers/index.ts';
import { Scheduler } from '../src/scheduler/index.ts';
import { SystemClock } from '../src/shared/index.ts';

export interface SchedulerBenchResult {
  name: string;
  nodes: number;
  pods: number;
  podsPerSec: number;
  /** Pods created per second through the API before scheduling starts. */
  createdPerSec: number;
  bound: number;
}

function nodes(api: ApiStore, n: number): void {
  for (let i = 0; i < n; i++) {
    api.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': `zone-${i % 3}` } },
      spec: {},
      status: { allocatable: { cpu: '4', memory: '32Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
    } as KubeObject);
  }
}

async function run(name: string, nodeCount: number, podCount: number, pod: (i: number) => KubeObject): Promise<SchedulerBenchResult> {
  const api = createApiStore({ clock: new SystemClock(), historyLimit: 1000 });
  const scheduler = new Scheduler(api, eventRecorder(api, 'default-scheduler'), { explain: false });
  nodes(api, nodeCount);
  await new Promise((r) => setTimeout(r, 0));
  const bound = new Set<string>();
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const watch = api.watch('Pod', {}, (e) => {
    if (e.type !== 'MODIFIED' || !(e.object.spec as { nodeName?: string }).nodeName) return;
    bound.add(e.object.metadata.name!);
    if (bound.size === podCount) done();
  });
  // Created in one synchronous run: the scheduler's first cycle starts after it.
  const t0 = performance.now();
  for (let i = 0; i < podCount; i++) api.create(pod(i));
  const t1 = performance.now();
  await Promise.race([all, new Promise((r) => setTimeout(r, 600_000))]);
  const ms = performance.now() - t1;
  watch.dispose();
  scheduler.dispose();
  return { name, nodes: nodeCount, pods: podCount, podsPerSec: (bound.size / ms) * 1000, createdPerSec: (podCount / (t1 - t0)) * 1000, bound: bound.size };
}

const basic = (i: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `pod-${i}` },
  spec: { containers: [{ name: 'c', image: 'podplay/hello', resources: { requests: { cpu: '100m', memory: '500Mi' } } }] },
});

const spread = (i: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `pod-${i}`, labels: { app: `app-${i % 50}` } },
  spec: {
    containers: [{ name: 'c', image: 'podplay/hello', resources: { requests: { cpu: '100m', memory: '500Mi' } } }],
    topologySpreadConstraints: [{ maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: `app-${i % 50}` } } }],
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { labelSelector: { matchLabels: { app: `app-${i % 50}` } }, topologyKey: 'kubernetes.io/hostname' } }],
      },
    },
  },
});

export const SHAPES = { basic, spread };

export async function runSchedulerBench(nodeCount = 5000, podCount = 10_000, shapes: Array<keyof typeof SHAPES> = ['basic', 'spread']): Promise<SchedulerBenchResult[]> {
  const names = { basic: 'SchedulingBasic', spread: 'topology spread + anti-affinity' };
  const out: SchedulerBenchResult[] = [];
  for (const shape of shapes) out.push(await run(names[shape], nodeCount, podCount, SHAPES[shape]));
  return out;
}
