/**
 * The cluster map's model and actions in Node: what each pod's chip says
 * (STATUS as kubectl prints it, owner, restarts), where it goes (its node,
 * the Pending lane), what a node counts (requests against allocatable), and
 * the command line behind each button.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Pod } from '../../src/sandbox/index.ts';
import { actionLine } from '../../src/ui/map/actions.ts';
import { splitFitError } from '../../src/ui/map/explain-view.ts';
import { buildMap, podLabel, statusTone } from '../../src/ui/map/model.ts';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

function node(name: string, zone: string | undefined, extra: Partial<Node['spec']> = {}, ready = 'True'): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} },
    spec: { ...extra },
    status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: ready } as never] },
  };
}

function pod(name: string, opts: { node?: string; phase?: string; cpu?: string; owner?: { kind: string; name: string }; waiting?: string; restarts?: number; message?: string; deleting?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: new Date(NOW - 60_000).toISOString(),
      ...(opts.owner ? { ownerReferences: [{ apiVersion: 'v1', kind: opts.owner.kind, name: opts.owner.name, uid: 'x', controller: true }] } : {}),
      ...(opts.deleting ? { deletionTimestamp: new Date(NOW).toISOString() } : {}),
    },
    spec: { nodeName: opts.node, containers: [{ name: 'c', image: 'podplay/hello', resources: opts.cpu ? { requests: { cpu: opts.cpu, memory: '64Mi' } } : undefined }] },
    status: {
      phase: opts.phase ?? (opts.node ? 'Running' : 'Pending'),
      conditions: opts.message ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: opts.message } as never] : [],
      containerStatuses: opts.node
        ? [{ name: 'c', ready: !opts.waiting, restartCount: opts.restarts ?? 0, image: 'podplay/hello', imageID: '', state: opts.phase === 'Succeeded' ? { terminated: { reason: 'Completed', exitCode: 0 } } : opts.waiting ? { waiting: { reason: opts.waiting } } : { running: { startedAt: new Date(NOW).toISOString() } } } as never]
        : [],
    },
  } as Pod;
}

test('STATUS families: the colours follow what kubectl get pods prints', () => {
  const table: Array<[string, string]> = [
    ['Running', 'running'], ['Pending', 'waiting'], ['ContainerCreating', 'waiting'], ['Init:0/1', 'waiting'],
    ['CrashLoopBackOff', 'failing'], ['ImagePullBackOff', 'failing'], ['ErrImagePull', 'failing'],
    ['Error', 'failed'], ['OOMKilled', 'failed'], ['ExitCode:3', 'failed'], ['StartError', 'failed'], ['Evicted', 'failed'],
    ['CreateContainerConfigError', 'failing'], ['Init:CrashLoopBackOff', 'failing'], ['Init:Error', 'failed'], ['PodInitializing', 'waiting'], ['NotReady', 'waiting'], ['Completed', 'done'], ['Terminating', 'terminating'], ['Unknown', 'unknown'],
  ];
  for (const [status, tone] of table) assert.equal(statusTone(status), tone, status);
});

test('nodes are grouped by zone (no zone last), pods sit on their node, unbound ones in the Pending lane with the scheduler message', () => {
  const replicaSets = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5c', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd', controller: true }] } }];
  const model = buildMap(
    {
      nodes: [node('n3', undefined), node('n2', 'zone-b', { unschedulable: true, taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] }), node('n1', 'zone-a', {}, 'False')],
      pods: [
        pod('web-5c-a', { node: 'n1', cpu: '500m', owner: { kind: 'ReplicaSet', name: 'web-5c' } }),
        pod('web-5c-b', { node: 'n1', cpu: '250m', owner: { kind: 'ReplicaSet', name: 'web-5c' }, waiting: 'CrashLoopBackOff', restarts: 3 }),
        pod('job-x', { node: 'n2', phase: 'Succeeded', cpu: '1', owner: { kind: 'Job', name: 'job' } }),
        pod('huge', { message: '0/3 nodes are available: 3 Insufficient cpu.' }),
        pod('gone', { node: 'n9' }),
      ],
      replicaSets,
      deployments: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 2 }, status: { readyReplicas: 1 } }],
    },
    NOW,
  );
  assert.deepEqual(model.zones.map((z) => [z.zone, z.nodes.map((n) => n.name)]), [['zone-a', ['n1']], ['zone-b', ['n2']], ['(no zone)', ['n3']]]);
  const [n1] = model.zones[0]!.nodes;
  assert.equal(n1!.status, 'NotReady');
  assert.equal(n1!.ready, false);
  assert.deepEqual(n1!.requested, { cpuMilli: 750, memoryBytes: 2 * 64 * 1024 * 1024, pods: 2 });
  assert.deepEqual(n1!.allocatable, { cpuMilli: 2000, memoryBytes: 4 * 1024 ** 3, pods: 110 });
  assert.deepEqual(n1!.pods.map((p) => [p.name, p.status, p.restarts, p.owner?.kind, p.owner?.name]), [
    ['web-5c-a', 'Running', 0, 'Deployment', 'web'],
    ['web-5c-b', 'CrashLoopBackOff', 3, 'Deployment', 'web'],
  ]);
  const n2 = model.zones[1]!.nodes[0]!;
  assert.equal(n2.status, 'Ready,SchedulingDisabled');
  assert.deepEqual(n2.taints, ['gpu=yes:NoSchedule']);
  // A finished pod stays drawn but is not counted, as the scheduler does not count it.
  assert.equal(n2.pods[0]!.status, 'Completed');
  assert.equal(n2.requested.cpuMilli, 0);
  assert.deepEqual(model.pending.map((p) => [p.key, p.status, p.message]), [['default/huge', 'Pending', '0/3 nodes are available: 3 Insufficient cpu.']]);
  assert.deepEqual(model.orphans.map((p) => p.key), ['default/gone']);
  assert.deepEqual(model.deployments, [{ namespace: 'default', name: 'web', replicas: 2, ready: 1 }]);
  assert.equal(podLabel(n1!.pods[1]!), 'pod web-5c-b CrashLoopBackOff on n1, Deployment web, 3 restarts');
  assert.equal(podLabel(model.pending[0]!), 'pod huge Pending not scheduled');
});

test('a pod being deleted shows Terminating', () => {
  const model = buildMap({ nodes: [node('n1', 'z')], pods: [pod('p', { node: 'n1', deleting: true })], replicaSets: [] }, NOW);
  assert.equal(model.zones[0]!.nodes[0]!.pods[0]!.status, 'Terminating');
});

test('each map action is the command a learner would type', () => {
  assert.equal(actionLine({ kind: 'cordon', node: 'node-1' }), 'kubectl cordon node-1');
  assert.equal(actionLine({ kind: 'uncordon', node: 'node-1' }), 'kubectl uncordon node-1');
  assert.equal(actionLine({ kind: 'drain', node: 'node-1' }), 'kubectl drain node-1 --ignore-daemonsets');
  assert.equal(actionLine({ kind: 'stop', node: 'node-2' }), 'podplay stop node node-2');
  assert.equal(actionLine({ kind: 'taint', node: 'node-1', taint: 'gpu=yes:NoSchedule' }), 'kubectl taint nodes node-1 gpu=yes:NoSchedule');
  assert.equal(actionLine({ kind: 'untaint', node: 'node-1', taint: 'gpu=yes:NoSchedule' }), 'kubectl taint nodes node-1 gpu:NoSchedule-');
  assert.equal(actionLine({ kind: 'delete-pod', namespace: 'default', pod: 'web-1' }), 'kubectl delete pod web-1');
  assert.equal(actionLine({ kind: 'delete-pod', namespace: 'team a', pod: 'web-1' }), "kubectl delete pod web-1 -n 'team a'");
  assert.equal(actionLine({ kind: 'scale', namespace: 'default', deployment: 'web', replicas: 4, current: 3 }), 'kubectl scale deployment/web --replicas=4 --current-replicas=3');
});

test('the FailedScheduling message splits into the filters part and what preemption found', () => {
  assert.deepEqual(splitFitError('0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.'), {
    filters: '0/3 nodes are available: 3 Insufficient cpu.',
    preemption: '0/3 nodes are available: 3 No preemption victims found for incoming pod.',
  });
  assert.deepEqual(splitFitError(undefined), {});
});

test('every chip colour keeps its white text at WCAG AA (4.5:1)', async () => {
  const { TONES } = await import('../../src/ui/map/map-styles.ts');
  const { contrast } = await import('../../src/ui/terminal-themes.ts');
  for (const [tone, colour] of Object.entries(TONES)) assert.ok(contrast('#ffffff', colour) >= 4.5, `${tone} ${colour}: ${contrast('#ffffff', colour).toFixed(2)}:1`);
});

test('a past moment stays put while the history folds its oldest events away; a folded moment shows the oldest kept one', async () => {
  const { WatchHistory } = await import('../../src/sandbox/index.ts');
  const { indexOf, positionAt } = await import('../../src/ui/map/position.ts');
  const history = new WatchHistory({ startedAt: NOW, maxEvents: 3 });
  const add = (name: string, at: number) => history.record('ADDED', 'Pod', pod(name), NOW + at);
  add('p1', 1);
  add('p2', 2);
  const names = (i: number) => history.stateAt(i).list('Pod').map((p) => p.metadata.name);
  const position = positionAt(history, 1); // after p1 was added
  assert.deepEqual(names(indexOf(history, position).index), ['p1']);
  add('p3', 3);
  add('p4', 4); // p1's event is folded: the kept index of that moment moves back by one
  assert.equal(history.dropped, 1);
  assert.deepEqual(indexOf(history, position), { index: 0, folded: false });
  assert.deepEqual(names(indexOf(history, position).index), ['p1']);
  add('p5', 5);
  assert.deepEqual(indexOf(history, position), { index: 0, folded: true });
  assert.deepEqual(indexOf(history, 'live'), { index: 3, folded: false });
});
