/**
 * The scheduler over a real API store: spreading by LeastAllocated, the
 * simulator's annotations, FailedScheduling in kube-scheduler's words,
 * preemption of lower-priority pods, priority order, scheduling gates, and
 * an unschedulable pod placed once a node that fits appears.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiStore, type ApiStore, type KubeObject, type Pod } from '../../src/api/index.ts';
import { eventRecorder } from '../../src/controllers/index.ts';
import { FILTER_RESULT, FINAL_SCORE_RESULT, SELECTED_NODE, Scheduler, nodesToFind, type SchedulerConfiguration } from '../../src/scheduler/index.ts';
import { ManualClock } from '../../src/shared/index.ts';

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};

function cluster() {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 0));
  const api = createApiStore({ clock });
  const scheduler = new Scheduler(api, eventRecorder(api, 'default-scheduler'), { random: () => 0 });
  return { api, clock, scheduler };
}

function node(api: ApiStore, name: string, extra: { cpu?: string; taints?: unknown[]; labels?: Record<string, string> } = {}): void {
  api.create({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
    spec: extra.taints ? { taints: extra.taints } : {},
    status: {
      allocatable: { cpu: extra.cpu ?? '2', memory: '4Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  } as KubeObject);
}

function pod(name: string, cpu?: string, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'podplay/hello', ...(cpu ? { resources: { requests: { cpu } } } : {}) }], ...extra } };
}

const nodeOf = (api: ApiStore, name: string) => (api.tryGet('Pod', 'default', name) as Pod | undefined)?.spec.nodeName;
const events = (api: ApiStore, name: string) =>
  api
    .list('Event')
    .items.filter((e) => (e.involvedObject as { name: string }).name === name)
    .map((e) => `${e.type} ${e.reason} ${e.message}`);

test('pods spread over identical nodes by LeastAllocated; each decision is written on the pod', async () => {
  const { api, scheduler } = cluster();
  for (const n of ['node-1', 'node-2', 'node-3']) node(api, n);
  await settle();
  for (const p of ['a', 'b', 'c']) api.create(pod(p, '500m'));
  await settle();
  assert.deepEqual(new Set(['a', 'b', 'c'].map((p) => nodeOf(api, p))), new Set(['node-1', 'node-2', 'node-3']));
  const a = api.get('Pod', 'default', 'a') as Pod;
  assert.equal(a.metadata.annotations![SELECTED_NODE], a.spec.nodeName);
  const filters = JSON.parse(a.metadata.annotations![FILTER_RESULT]!);
  assert.deepEqual(filters['node-1'], {
    NodeUnschedulable: 'passed',
    NodeName: 'passed',
    TaintToleration: 'passed',
    NodeResourcesFit: 'passed',
  }, 'NodeAffinity, NodePorts, PodTopologySpread and InterPodAffinity have nothing to check (their PreFilter said Skip)');
  const final = JSON.parse(a.metadata.annotations![FINAL_SCORE_RESULT]!);
  assert.deepEqual(Object.keys(final['node-1']), ['TaintToleration', 'NodeResourcesFit', 'NodeResourcesBalancedAllocation', 'ImageLocality'], 'plugins whose PreScore said Skip do not score');
  assert.equal(final['node-1'].TaintToleration, '300', 'no PreferNoSchedule taints: 100, weight 3');
  assert.deepEqual(a.status!.conditions!.map((c) => `${c.type}=${c.status}`), ['PodScheduled=True']);
  assert.deepEqual(events(api, 'a'), [`Normal Scheduled Successfully assigned default/a to ${a.spec.nodeName}`]);
  scheduler.dispose();
});

test('a pod that fits nowhere: FailedScheduling and PodScheduled=False in kube-scheduler\'s words; placed once a node fits', async () => {
  const { api, clock, scheduler } = cluster();
  node(api, 'gpu', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
  node(api, 'small-1', { cpu: '1' });
  node(api, 'small-2', { cpu: '1' });
  await settle();
  api.create(pod('big', '1500m'));
  await settle();
  const message =
    '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
  assert.deepEqual(events(api, 'big'), [`Warning FailedScheduling ${message}`]);
  const cond = (api.get('Pod', 'default', 'big') as Pod).status!.conditions!.find((c) => c.type === 'PodScheduled')!;
  assert.deepEqual([cond.status, cond.reason, cond.message], ['False', 'Unschedulable', message]);
  assert.equal(scheduler.queue.stats().unschedulable, 1);
  node(api, 'large', { cpu: '4' });
  await settle();
  await clock.advance(1000); // its backoff: 1 s after one failed attempt
  assert.equal(nodeOf(api, 'big'), 'large', 'a new node moved the pod back to the active queue');
  scheduler.dispose();
});

test('preemption: a higher-priority pod evicts the lowest-priority victims it needs, and is placed once they are gone', async () => {
  const { api, clock, scheduler } = cluster();
  api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
  api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'low' }, value: 10 });
  node(api, 'only', { cpu: '2' });
  await settle();
  api.create(pod('low-a', '800m', { priorityClassName: 'low' }));
  api.create(pod('low-b', '800m', { priorityClassName: 'low' }));
  await settle();
  api.create(pod('urgent', '1', { priorityClassName: 'high' }));
  await settle();
  const victims = ['low-a', 'low-b'].filter((n) => api.tryGet('Pod', 'default', n)?.metadata.deletionTimestamp);
  assert.equal(victims.length, 1, 'one victim is enough: the other is reprieved');
  assert.ok(events(api, victims[0]!)[1]!.startsWith('Normal Preempted Preempted by pod '));
  assert.ok(events(api, 'urgent').some((e) => e.startsWith('Warning FailedScheduling 0/1 nodes are available: 1 Insufficient cpu.')));
  // The victim's kubelet would finish it; here it goes at once.
  api.delete('Pod', 'default', victims[0]!, { gracePeriodSeconds: 0 });
  await settle();
  await clock.advance(1000);
  assert.equal(nodeOf(api, 'urgent'), 'only');
  scheduler.dispose();
});

test('a pod waiting on required pod affinity is placed once a bound pod gets the label back (AssignedPodUpdate), 20 times over', async () => {
  for (let round = 0; round < 20; round++) {
    const { api, clock, scheduler } = cluster();
    for (const n of ['node-1', 'node-2', 'node-3']) node(api, n);
    api.create({ ...pod('db'), metadata: { name: 'db', labels: { app: 'db' } } });
    await settle();
    const dbNode = nodeOf(api, 'db')!;
    api.mutate('Pod', 'default', 'db', (p) => void delete p.metadata.labels!.app);
    const affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    api.create(pod('web', undefined, { affinity }));
    await settle();
    assert.equal(nodeOf(api, 'web'), undefined, 'no pod has the label: web waits');
    assert.ok(events(api, 'web').some((e) => e.startsWith("Warning FailedScheduling 0/3 nodes are available: 3 node(s) didn't match pod affinity rules.")), events(api, 'web').join('\n'));
    api.mutate('Pod', 'default', 'db', (p) => void (p.metadata.labels = { ...p.metadata.labels, app: 'db' }));
    await settle();
    await clock.advance(1_000); // past its back-off, not the 5 minutes after which any waiting pod is tried again
    await settle();
    assert.equal(nodeOf(api, 'web'), dbNode, `round ${round}: web joins db once db has the label again`);
    scheduler.dispose();
  }
});

test('the queue: higher priority first; a pod with scheduling gates waits until they are removed', async () => {
  const { api, scheduler } = cluster();
  api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
  node(api, 'one', { cpu: '1' });
  api.create(pod('first-come', '1'));
  api.create(pod('important', '1', { priorityClassName: 'high' }));
  api.create(pod('gated', undefined, { schedulingGates: [{ name: 'example.com/wait' }] }));
  await settle();
  assert.equal(nodeOf(api, 'important'), 'one', 'PrioritySort: the higher priority goes first');
  assert.equal(nodeOf(api, 'first-come'), undefined);
  assert.equal(nodeOf(api, 'gated'), undefined);
  assert.deepEqual(events(api, 'gated'), []);
  api.mutate<Pod>('Pod', 'default', 'gated', (p) => (p.spec.schedulingGates = []));
  await settle();
  assert.equal(nodeOf(api, 'gated'), 'one');
  scheduler.dispose();
});

test('profiles from a KubeSchedulerConfiguration: a bin-packing profile by schedulerName, plugins disabled and weighted; percentageOfNodesToScore', async () => {
  const profilesOf = (config: SchedulerConfiguration) => {
    const api = createApiStore({ clock: new ManualClock(0) });
    const s = new Scheduler(api, eventRecorder(api, 'default-scheduler'), { config });
    s.dispose();
    return [...s.profiles.values()];
  };
  const defaults = profilesOf({})[0]!;
  assert.deepEqual(defaults.score.map((s) => `${s.plugin.name}:${s.weight}`), [
    'TaintToleration:3',
    'NodeAffinity:2',
    'NodeResourcesFit:1',
    'PodTopologySpread:2',
    'InterPodAffinity:2',
    'NodeResourcesBalancedAllocation:1',
    'ImageLocality:1',
  ]);
  const config = {
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    profiles: [
      { schedulerName: 'default-scheduler' },
      {
        schedulerName: 'bin-packer',
        plugins: { score: { disabled: [{ name: '*' }], enabled: [{ name: 'NodeResourcesFit', weight: 5 }] } },
        pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }],
      },
    ],
  };
  assert.deepEqual(profilesOf(config)[1]!.score.map((s) => `${s.plugin.name}:${s.weight}`), ['NodeResourcesFit:5']);
  assert.deepEqual(defaults.filter.map((p) => p.name), ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity']);
  assert.deepEqual([defaults.queueSort.name, ...defaults.preEnqueue.map((p) => p.name), ...defaults.postFilter.map((p) => p.name), ...defaults.bind.map((p) => p.name)], ['PrioritySort', 'SchedulingGates', 'DefaultPreemption', 'DefaultBinder']);
  assert.throws(() => profilesOf({ profiles: [{ plugins: { score: { enabled: [{ name: 'NodeResourcesFitt' }] } } }] }), /plugin "NodeResourcesFitt" does not exist/);
  assert.throws(() => profilesOf({ profiles: [{ plugins: { score: { enabled: [{ name: 'NodePorts' }] } } }] }), /plugin "NodePorts" does not extend score plugin/);
  assert.throws(() => profilesOf({ profiles: [{}, {}] }), /Duplicate value: "default-scheduler"/);

  const clock = new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 0));
  const api = createApiStore({ clock });
  const scheduler = new Scheduler(api, eventRecorder(api, 'default-scheduler'), { config, random: () => 0 });
  for (const n of ['node-1', 'node-2', 'node-3']) node(api, n);
  await settle();
  for (const p of ['p1', 'p2', 'p3']) api.create(pod(p, '500m', { schedulerName: 'bin-packer' }));
  api.create(pod('stray', '100m', { schedulerName: 'someone-else' }));
  await settle();
  assert.equal(new Set(['p1', 'p2', 'p3'].map((p) => nodeOf(api, p))).size, 1, 'MostAllocated packs them on one node');
  assert.equal(nodeOf(api, 'stray'), undefined, 'a pod of another scheduler is left to it');

  assert.deepEqual([nodesToFind(50), nodesToFind(1000), nodesToFind(5000), nodesToFind(10_000), nodesToFind(5000, 30)], [50, 420, 500, 500, 1500]);
  scheduler.dispose();
});
