/**
 * kube-scheduler's score plugins and DefaultPreemption, table-driven after
 * the upstream plugin tests: raw and normalized scores of NodeResourcesFit
 * (LeastAllocated, MostAllocated, RequestedToCapacityRatio),
 * NodeResourcesBalancedAllocation, TaintToleration, NodeAffinity,
 * InterPodAffinity, PodTopologySpread and ImageLocality; preemption
 * choosing the node whose victims matter least.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiStore, type Pod } from '../../src/api/index.ts';
import { NodeInfo, snapshotOf, Status, podInfo, type Handle } from '../../src/scheduler/index.ts';
import { findCandidate } from '../../src/scheduler/plugins/default-preemption.ts';
import { ImageLocality } from '../../src/scheduler/plugins/image-locality.ts';
import { interPodAffinity } from '../../src/scheduler/plugins/inter-pod-affinity.ts';
import { NodeAffinity, TaintToleration } from '../../src/scheduler/plugins/node-basics.ts';
import { NodeResourcesBalancedAllocation, nodeResourcesFit } from '../../src/scheduler/plugins/resources-fit.ts';
import { podTopologySpread } from '../../src/scheduler/plugins/topology-spread.ts';
import { SystemClock } from '../../src/shared/index.ts';
import { info, makeNode, makePod, runFilter, runScores } from '../helpers/scheduler.ts';

// Upstream's "nothing scheduled, resources requested, differently sized nodes": 3000m and 5000 bytes asked of 4000m/10000 and 6000m/10000.
const sized = () => [info(makeNode('node1').allocatable({ cpu: '4', memory: '10000' }).obj()), info(makeNode('node2').allocatable({ cpu: '6', memory: '10000' }).obj())];
const asking = () => makePod().req({ cpu: '1', memory: '2000' }).container({ cpu: '2', memory: '3000' }).obj();

test('NodeResourcesFit scoring strategies and BalancedAllocation, with upstream figures', () => {
  const cases: Array<[string, Parameters<typeof runScores>[0], number[]]> = [
    ['LeastAllocated', nodeResourcesFit(undefined), [37, 50]],
    ['MostAllocated', nodeResourcesFit({ scoringStrategy: { type: 'MostAllocated' } }), [62, 50]],
    ['BalancedAllocation', NodeResourcesBalancedAllocation, [87, 100]],
    // utilization 75% and 50% on node1 (scores 2.5 and 5 of 10), 50% and 50% on node2.
    ['RequestedToCapacityRatio, the default shape', nodeResourcesFit({ scoringStrategy: { type: 'RequestedToCapacityRatio' } }), [38, 50]],
    ['LeastAllocated, memory weighs 3', nodeResourcesFit({ scoringStrategy: { resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 3 }] } }), [43, 50]],
  ];
  for (const [what, plugin, want] of cases) assert.deepEqual(runScores(plugin, asking(), sized())!.normalized, want, what);
  assert.equal(runScores(NodeResourcesBalancedAllocation, makePod().obj(), sized()), undefined, 'a pod that asks for nothing: BalancedAllocation skips');
  assert.throws(() => nodeResourcesFit({ scoringStrategy: { type: 'Random' } }), /Unsupported value: "Random"/);
});

test('TaintToleration scores: the more intolerable PreferNoSchedule taints, the lower; tolerated ones do not count', () => {
  const nodes = [
    info(makeNode('none').obj()),
    info(makeNode('one').taint('cpu-type', 'arm64', 'PreferNoSchedule').obj()),
    info(makeNode('two').taint('cpu-type', 'arm64', 'PreferNoSchedule').taint('disk-type', 'ssd', 'PreferNoSchedule').obj()),
    info(makeNode('hard').taint('foo', 'bar', 'NoSchedule').obj()),
  ];
  assert.deepEqual(runScores(TaintToleration, makePod().obj(), nodes)!, { raw: [0, 1, 2, 0], normalized: [100, 50, 0, 100] });
  const tolerant = makePod().toleration({ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' }).obj();
  assert.deepEqual(runScores(TaintToleration, tolerant, nodes)!.normalized, [100, 100, 0, 100]);
  const noSchedule = makePod().toleration({ key: 'cpu-type', operator: 'Exists', effect: 'NoSchedule' }).obj();
  assert.deepEqual(runScores(TaintToleration, noSchedule, nodes)!.raw, [0, 1, 2, 0], 'a toleration of another effect does not count');
});

test('NodeAffinity scores the weights of the preferred terms a node matches', () => {
  const term = (key: string, value: string) => ({ matchExpressions: [{ key, operator: 'In', values: [value] }] });
  const pod = makePod().preferred({ weight: 2, preference: term('foo', 'bar') }, { weight: 4, preference: term('key', 'value') }, { weight: 5, preference: term('az', 'az1') }).obj();
  const nodes = [
    info(makeNode('n1').label('foo', 'bar').obj()),
    info(makeNode('n2').label('foo', 'bar').label('key', 'value').obj()),
    info(makeNode('n3').label('foo', 'bar').label('key', 'value').label('az', 'az1').obj()),
    info(makeNode('n4').obj()),
  ];
  assert.deepEqual(runScores(NodeAffinity, pod, nodes)!, { raw: [2, 6, 11, 0], normalized: [18, 54, 100, 0] });
  assert.equal(runScores(NodeAffinity, makePod().obj(), nodes), undefined, 'no preferred terms: Skip');
});

test('InterPodAffinity scores: preferred affinity and anti-affinity, both ways, and required affinity of existing pods', () => {
  const term = (weight: number, labels: Record<string, string>) => ({ weight, podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' } });
  const plugin = interPodAffinity(undefined);
  const cache = makePod().label('app', 'cache').obj();
  const nodes = () => [info(makeNode('n1').obj(), cache), info(makeNode('n2').obj())];
  const near = makePod().affinity({ podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [term(5, { app: 'cache' })] } }).obj();
  assert.deepEqual(runScores(plugin, near, nodes()), { raw: [5, 0], normalized: [100, 0] });
  const apart = makePod().affinity({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [term(5, { app: 'cache' })] } }).obj();
  assert.deepEqual(runScores(plugin, apart, nodes()), { raw: [-5, 0], normalized: [0, 100] });
  // An existing pod's preferred anti-affinity keeps a matching newcomer away (symmetry).
  const shy = makePod().label('app', 'shy').affinity({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [term(10, { app: 'web' })] } }).obj();
  const withShy = [info(makeNode('n1').obj(), shy), info(makeNode('n2').obj())];
  assert.deepEqual(runScores(plugin, makePod().label('app', 'web').obj(), withShy)!.raw, [-10, 0]);
  // An existing pod's required affinity draws a matching pod by hardPodAffinityWeight (1).
  const needy = makePod().affinity({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } }).obj();
  assert.deepEqual(runScores(plugin, makePod().label('app', 'web').obj(), [info(makeNode('n1').obj(), needy), info(makeNode('n2').obj())])!.raw, [1, 0]);
  assert.equal(runScores(plugin, makePod().obj(), nodes()), undefined, 'no terms on either side: Skip');
  // Terms select pods in the owner's namespace unless they name others.
  const other = makePod().namespace('other').label('app', 'cache').obj();
  assert.deepEqual(runScores(plugin, near, [info(makeNode('n1').obj(), other), info(makeNode('n2').obj())]), undefined, 'a pod of another namespace is not selected');
});

test('PodTopologySpread ScheduleAnyway: count × log(domains + 2) + maxSkew - 1, lower is better', () => {
  const web = () => makePod().label('app', 'web');
  const nodes = [info(makeNode('a').obj(), web().obj(), web().obj()), info(makeNode('b').obj(), web().obj()), info(makeNode('x').obj()), info(makeNode('y').obj(), web().obj(), web().obj(), web().obj())];
  const pod = web().spread({ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }).obj();
  // log(4 + 2) = 1.79: raw 2→4, 1→2, 0→0, 3→5; normalized 100 × (5 + 0 - raw) / 5.
  assert.deepEqual(runScores(podTopologySpread(undefined), pod, nodes), { raw: [4, 2, 0, 5], normalized: [20, 60, 100, 0] });
  // DoNotSchedule with maxSkew 2: a (2) and y (3) against the minimum 0.
  const strict = web().spread({ maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }).obj();
  assert.deepEqual(nodes.map((n) => runFilter(podTopologySpread(undefined), strict, n, nodes).isSuccess()), [false, true, true, false]);
  // nodeAffinityPolicy Honor (the default): nodes the pod may not go to do not count toward the minimum.
  const labelled = [info(makeNode('a').label('pool', 'x').obj(), web().obj()), info(makeNode('b').label('pool', 'x').obj(), web().obj(), web().obj()), info(makeNode('c').obj())];
  const honor = web().selector({ pool: 'x' }).spread({ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }).obj();
  assert.deepEqual(labelled.slice(0, 2).map((n) => runFilter(podTopologySpread(undefined), honor, n, labelled).isSuccess()), [true, false], 'minimum 1 (node c is not counted)');
  const ignore = web().selector({ pool: 'x' }).spread({ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', nodeAffinityPolicy: 'Ignore', labelSelector: { matchLabels: { app: 'web' } } }).obj();
  assert.deepEqual(labelled.slice(0, 2).map((n) => runFilter(podTopologySpread(undefined), ignore, n, labelled).isSuccess()), [false, false], 'minimum 0 (node c counts)');
});

test('ImageLocality: an image a node holds, by its size and how widely it is spread', () => {
  const MB = 1024 * 1024;
  const nodes = [info(makeNode('has').image('docker.io/library/nginx:latest', 250 * MB).obj()), info(makeNode('lacks').obj())];
  // 250 MB × 1/2 of the nodes = 125 MB; (125 - 23) / (1000 - 23) of 100.
  assert.deepEqual(runScores(ImageLocality, makePod().image('nginx').obj(), nodes)!.raw, [10, 0]);
  const both = [info(makeNode('a').image('podplay/hello:latest', 600 * MB).obj()), info(makeNode('b').image('podplay/hello:latest', 600 * MB).obj())];
  assert.deepEqual(runScores(ImageLocality, makePod().image('podplay/hello').obj(), both)!.raw, [59, 59]);
  assert.deepEqual(runScores(ImageLocality, makePod().image('podplay/hello:v2').obj(), both)!.raw, [0, 0], 'another tag is another image');
});

test('DefaultPreemption picks the node whose most important victim matters least, then the fewest victims', () => {
  const big = (name: string, priority: number, cpu = '2') => makePod(name).req({ cpu }).priority(priority).obj();
  const api = createApiStore({ clock: new SystemClock() });
  const nodes = [
    info(makeNode('n1').obj(), big('p10', 10)),
    info(makeNode('n2').obj(), big('p5', 5)),
    info(makeNode('n3').obj(), makePod('a3').req({ cpu: '1' }).priority(3).obj(), makePod('b3').req({ cpu: '1' }).priority(3).obj()),
    info(makeNode('n4').obj(), big('p200', 200)),
  ];
  const fit = nodeResourcesFit(undefined);
  const handle = { api, runFilters: (p, n) => runFilter(fit, p.pod, n) } as Partial<Handle> as Handle;
  const urgent = podInfo(big('urgent', 100));
  const verdicts = new Map(nodes.map((n) => [n.name, Status.unschedulable('Insufficient cpu')]));
  const pick = (ns: NodeInfo[]) => findCandidate(handle, urgent, snapshotOf(ns), verdicts);
  const best = pick(nodes).candidate!;
  assert.deepEqual([best.node, best.victims.map((v) => v.pod.metadata.name)], ['n3', ['a3', 'b3']], 'highest victim priority 3 beats 5 and 10; 200 is not lower');
  assert.deepEqual(pick(nodes.slice(0, 2)).candidate!.node, 'n2', 'then 5 beats 10');
  assert.equal(pick([nodes[3]!]).message, '0/1 nodes are available: 1 No preemption victims found for incoming pod.');
  const never = podInfo({ ...big('polite', 100), spec: { ...big('polite', 100).spec, preemptionPolicy: 'Never' } } as Pod);
  assert.equal(findCandidate(handle, never, snapshotOf(nodes), verdicts).message, 'not eligible due to preemptionPolicy=Never.');
});
