/**
 * The framework's extension points with out-of-tree plugins from a
 * Registry, over a real API store: Reserve and Unreserve, Permit's Wait
 * allowed by another pod's arrival (a gang of two) or timing out, a
 * rejecting PreBind; the explanation readable back from the pod; pods
 * nominated by preemption keeping their room; terminating pods still
 * counted until they are gone.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiStore, type ApiStore, type KubeObject, type Pod } from '../../src/api/index.ts';
import { eventRecorder } from '../../src/controllers/index.ts';
import { Scheduler, Status, readExplanation, type Plugin, type Registry, type SchedulerOptions } from '../../src/scheduler/index.ts';
import { ManualClock } from '../../src/shared/index.ts';

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};

function node(api: ApiStore, name: string, cpu = '2'): void {
  api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: {}, status: { allocatable: { cpu, memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } } as KubeObject);
}

const pod = (name: string, cpu: string, extra: { labels?: Record<string, string>; priorityClassName?: string; schedulerName?: string } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: extra.labels ?? {} },
  spec: { containers: [{ name: 'c', image: 'podplay/hello', resources: { requests: { cpu } } }], ...(extra.priorityClassName ? { priorityClassName: extra.priorityClassName } : {}), ...(extra.schedulerName ? { schedulerName: extra.schedulerName } : {}) },
});

/** An API store on a manual clock, and a scheduler over it. */
function start(options: SchedulerOptions = {}) {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 0));
  const api = createApiStore({ clock });
  const scheduler = new Scheduler(api, eventRecorder(api, 'default-scheduler'), { random: () => 0, ...options });
  return { clock, api, scheduler };
}

const nodeOf = (api: ApiStore, name: string) => (api.tryGet('Pod', 'default', name) as Pod | undefined)?.spec.nodeName;
const warnings = (api: ApiStore, name: string) =>
  api
    .list('Event')
    .items.filter((e) => (e.involvedObject as { name: string }).name === name && e.type === 'Warning')
    .map((e) => `${e.reason} ${e.message}`);

/** A gang of `size`: each member waits at Permit until the whole gang is waiting, then all go. */
function gang(size: number, log: string[]): Registry {
  return new Map([
    [
      'Gang',
      (_args, handle) =>
        ({
          name: 'Gang',
          reserve: (_s, p, node) => (log.push(`reserve ${p.pod.metadata.name} ${node}`), Status.success()),
          unreserve: (_s, p) => void log.push(`unreserve ${p.pod.metadata.name}`),
          permit(_s, p) {
            const group = p.labels.gang;
            const waiting: string[] = [];
            handle.iterateOverWaitingPods((w) => w.pod.metadata.labels?.gang === group && waiting.push(w.pod.metadata.uid!));
            if (waiting.length + 1 < size) return { status: Status.wait(), timeoutMs: 10_000 };
            for (const uid of waiting) handle.getWaitingPod(uid)!.allow('Gang');
            return { status: Status.success() };
          },
          postBind: (_s, p, node) => void log.push(`bound ${p.pod.metadata.name} ${node}`),
        }) satisfies Plugin,
    ],
  ]);
}

const gangConfig = { profiles: [{ schedulerName: 'default-scheduler' }, { schedulerName: 'gang-scheduler', plugins: { multiPoint: { enabled: [{ name: 'Gang' }] } } }] };

test('Reserve, Permit Wait and PostBind: a gang of two binds only when both have a place', async () => {
  const log: string[] = [];
  const { api, scheduler } = start({ config: gangConfig, registry: gang(2, log) });
  node(api, 'n1');
  node(api, 'n2');
  await settle();
  api.create(pod('g1', '1500m', { labels: { gang: 'a' }, schedulerName: 'gang-scheduler' }));
  await settle();
  assert.equal(nodeOf(api, 'g1'), undefined, 'waiting at Permit');
  assert.deepEqual(scheduler.waitingPods().map((w) => [w.pod.metadata.name, w.nodeName, w.pending()]), [['g1', 'n1', ['Gang']]]);
  api.create(pod('g2', '1500m', { labels: { gang: 'a' }, schedulerName: 'gang-scheduler' }));
  await settle();
  assert.deepEqual([nodeOf(api, 'g1'), nodeOf(api, 'g2')], ['n1', 'n2'], 'g1 held its room on n1 while it waited');
  assert.deepEqual(log, ['reserve g1 n1', 'reserve g2 n2', 'bound g2 n2', 'bound g1 n1']);
  scheduler.dispose();
});

test('a Permit Wait that times out: Unreserve, FailedScheduling, and the room is free again', async () => {
  const log: string[] = [];
  const { clock, api, scheduler } = start({ config: gangConfig, registry: gang(3, log) });
  node(api, 'n1');
  await settle();
  api.create(pod('lonely', '1500m', { labels: { gang: 'b' }, schedulerName: 'gang-scheduler' }));
  await settle();
  await clock.advance(10_000);
  await settle();
  assert.equal(nodeOf(api, 'lonely'), undefined);
  assert.deepEqual(log, ['reserve lonely n1', 'unreserve lonely']);
  assert.deepEqual(warnings(api, 'lonely'), ['FailedScheduling rejected due to timeout after waiting 10s at plugin Gang']);
  api.create(pod('other', '1500m'));
  await settle();
  assert.equal(nodeOf(api, 'other'), 'n1', 'the room the waiting pod held is free');
  scheduler.dispose();
});

test('a PreBind that fails: the pod is not bound, Unreserve runs, and it is tried again after its backoff', async () => {
  let volumesReady = false;
  const registry: Registry = new Map([['VolumeReady', () => ({ name: 'VolumeReady', preBind: () => (volumesReady ? Status.success() : Status.error('volume not attached yet')) }) satisfies Plugin]]);
  const { clock, api, scheduler } = start({ config: { profiles: [{ plugins: { preBind: { enabled: [{ name: 'VolumeReady' }] } } }] }, registry });
  node(api, 'n1');
  await settle();
  api.create(pod('db', '1'));
  await settle();
  assert.equal(nodeOf(api, 'db'), undefined);
  assert.deepEqual(warnings(api, 'db'), ['FailedScheduling volume not attached yet']);
  volumesReady = true;
  await clock.advance(1000);
  await settle();
  assert.equal(nodeOf(api, 'db'), 'n1');
  scheduler.dispose();
});

test('the explanation reads back: filter verdicts per node, and raw, normalized and weighted scores', async () => {
  const { api, scheduler } = start();
  node(api, 'small', '1');
  node(api, 'big', '4');
  node(api, 'bigger', '8');
  await settle();
  api.create(pod('web', '1500m'));
  await settle();
  const why = readExplanation(api.get('Pod', 'default', 'web') as Pod)!;
  assert.equal(why.selectedNode, 'bigger');
  assert.equal(why.nodes.small!.filters.NodeResourcesFit, 'Insufficient cpu');
  assert.deepEqual(Object.keys(why.nodes.small!.scores), [], 'a node that failed a filter is not scored');
  assert.deepEqual(why.preFilter, { NodeAffinity: 'skip', NodePorts: 'skip', NodeResourcesFit: 'success', PodTopologySpread: 'skip', InterPodAffinity: 'skip' });
  const fit = why.nodes.bigger!.scores.NodeResourcesFit!;
  // cpu (8000 - 1500) / 8000 → 81, memory (4Gi - 200Mi) / 4Gi → 95: 88; weight 1.
  assert.deepEqual(fit, { raw: 88, normalized: 88, weighted: 88 });
  assert.deepEqual(why.nodes.bigger!.scores.TaintToleration, { raw: 0, normalized: 100, weighted: 300 });
  assert.ok(why.nodes.bigger!.total! > why.nodes.big!.total!);
  scheduler.dispose();
});

test('a pod nominated by preemption keeps its room from lower-priority pods; a terminating pod counts until it is gone', async () => {
  const { clock, api, scheduler } = start();
  api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
  node(api, 'only');
  await settle();
  api.create(pod('victim', '2'));
  await settle();
  // The victim is on its node and a kubelet would stop it gracefully: it is marked, not gone.
  api.mutate<Pod>('Pod', 'default', 'victim', (p) => void (p.metadata.finalizers = ['example.com/slow']));
  api.create(pod('urgent', '2', { priorityClassName: 'high' }));
  await settle();
  const urgent = api.get('Pod', 'default', 'urgent') as Pod;
  assert.equal(urgent.status?.nominatedNodeName, 'only');
  const victim = api.get('Pod', 'default', 'victim') as Pod;
  assert.ok(victim.metadata.deletionTimestamp, 'preempted');
  assert.deepEqual(victim.status?.conditions?.filter((c) => c.type === 'DisruptionTarget').map((c) => `${c.type} ${c.reason} ${c.message}`), ['DisruptionTarget PreemptionByScheduler default-scheduler: preempting to accommodate a higher priority pod']);
  api.create(pod('sneaky', '1'));
  await clock.advance(1000);
  await settle();
  assert.equal(nodeOf(api, 'sneaky'), undefined, 'the terminating victim still holds its cpu');
  // Its kubelet has stopped it: the finalizer goes and the pod with it.
  api.mutate<Pod>('Pod', 'default', 'victim', (p) => void (p.metadata.finalizers = []));
  api.delete('Pod', 'default', 'victim', { gracePeriodSeconds: 0 });
  await clock.advance(10_000);
  await settle();
  assert.deepEqual([nodeOf(api, 'urgent'), nodeOf(api, 'sneaky')], ['only', undefined], 'the nominated pod goes first; the lower-priority one may not take its room');
  scheduler.dispose();
});

test('filtering counts pods nominated to a node first, if they matter at least as much', async () => {
  const { decide } = await import('../../src/scheduler/algorithm.ts');
  const { info, makeNode, makePod } = await import('../helpers/scheduler.ts');
  const api = createApiStore({ clock: new ManualClock(0) });
  const scheduler = new Scheduler(api, eventRecorder(api, 'default-scheduler'));
  const profile = scheduler.profiles.get('default-scheduler')!;
  const nodes = [info(makeNode('n1').obj())];
  const { podInfo, snapshotOf } = await import('../../src/scheduler/index.ts');
  const nominee = podInfo(makePod('nominee').req({ cpu: '2' }).priority(100).obj());
  const run = (priority: number) =>
    decide(profile, podInfo(makePod('p').req({ cpu: '1' }).priority(priority).obj()), snapshotOf(nodes), { start: 0, percentageOfNodesToScore: 0, random: () => 0, nominated: () => [nominee], keepFiltered: false });
  assert.deepEqual([...run(10).rejected.values()].map((s) => s.reasons), [['Insufficient cpu']], 'a less important pod may not take the room');
  assert.equal(run(1000).chosen?.name, 'n1', 'a more important one may');
  scheduler.dispose();
});
