/**
 * kube-scheduler's filter plugins, table-driven after the upstream plugin
 * tests: fit with requests, init containers, overhead and extended
 * resources; taints against tolerations; node affinity operators; host
 * ports; topology spread; inter-pod affinity; and the FailedScheduling
 * message they add up to.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiStore, type Pod, type Taint, type Toleration } from '../../src/api/index.ts';
import { fitErrorMessage, type NodeInfo, type Status } from '../../src/scheduler/index.ts';
import { interPodAffinity } from '../../src/scheduler/plugins/inter-pod-affinity.ts';
import { NodeAffinity, NodeName, NodePorts, NodeUnschedulable, TaintToleration } from '../../src/scheduler/plugins/node-basics.ts';
import { nodeResourcesFit } from '../../src/scheduler/plugins/resources-fit.ts';
import { podTopologySpread } from '../../src/scheduler/plugins/topology-spread.ts';
import { SystemClock } from '../../src/shared/index.ts';
import { info, makeNode, makePod, runFilter, runScores } from '../helpers/scheduler.ts';

const NodeResourcesFit = nodeResourcesFit(undefined);
const InterPodAffinity = interPodAffinity(undefined);
const PodTopologySpread = podTopologySpread(undefined);
/** The default profile's filters, in its order. */
const FILTERS = [NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, PodTopologySpread, InterPodAffinity];

test('NodeResourcesFit: requests, init containers, sidecars, overhead, extended resources, pod count', () => {
  const cases: Array<[string, Pod, Pod[], string[]]> = [
    ['fits', makePod().req({ cpu: '1', memory: '1Gi' }).obj(), [], []],
    ['cpu', makePod().req({ cpu: '1500m' }).obj(), [makePod().req({ cpu: '1' }).obj()], ['Insufficient cpu']],
    ['cpu and memory', makePod().req({ cpu: '3', memory: '5Gi' }).obj(), [], ['Insufficient cpu', 'Insufficient memory']],
    ['exactly full', makePod().req({ cpu: '1' }).obj(), [makePod().req({ cpu: '1' }).obj()], []],
    ['containers add up', makePod().req({ cpu: '1' }).container({ cpu: '1500m' }).obj(), [], ['Insufficient cpu']],
    ['the largest init container counts when larger', makePod().req({ cpu: '500m' }).init({ cpu: '2500m' }).obj(), [], ['Insufficient cpu']],
    ['init containers do not add up', makePod().req({ cpu: '1' }).init({ cpu: '1500m' }).init({ cpu: '1500m' }).obj(), [], []],
    ['a sidecar runs alongside', makePod().req({ cpu: '1500m' }).init({ cpu: '1' }, true).obj(), [], ['Insufficient cpu']],
    ['overhead counts', makePod().req({ cpu: '1900m' }).overhead({ cpu: '200m' }).obj(), [], ['Insufficient cpu']],
    ['extended resource missing', makePod().req({ 'example.com/gpu': '1' }).obj(), [], ['Insufficient example.com/gpu']],
    ['no requests always fit cpu', makePod().obj(), [makePod().req({ cpu: '2' }).obj()], []],
  ];
  for (const [what, pod, existing, want] of cases) {
    assert.deepEqual(runFilter(NodeResourcesFit, pod, info(makeNode('n').obj(), ...existing)).reasons, want, what);
  }
  const gpu = info(makeNode('g').allocatable({ 'example.com/gpu': '2' }).obj());
  assert.ok(runFilter(NodeResourcesFit, makePod().req({ 'example.com/gpu': '2' }).obj(), gpu).isSuccess());
  const full = info(makeNode('f').allocatable({ pods: '1' }).obj(), makePod().obj());
  assert.deepEqual(runFilter(NodeResourcesFit, makePod().obj(), full).reasons, ['Too many pods']);
  assert.equal(runFilter(NodeResourcesFit, makePod().req({ cpu: '3' }).obj(), info(makeNode('n').obj())).code, 'Unschedulable');
});

test('TaintToleration: NoSchedule and NoExecute need a toleration, PreferNoSchedule does not; Exists and Equal', () => {
  const tainted = (effect: Taint['effect']) => info(makeNode('n').taint('dedicated', 'gpu', effect).obj());
  const cases: Array<[string, Taint['effect'], Toleration | undefined, boolean]> = [
    ['untolerated NoSchedule', 'NoSchedule', undefined, false],
    ['untolerated NoExecute', 'NoExecute', undefined, false],
    ['PreferNoSchedule only scores', 'PreferNoSchedule', undefined, true],
    ['Equal with the value', 'NoSchedule', { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, true],
    ['Equal with another value', 'NoSchedule', { key: 'dedicated', operator: 'Equal', value: 'cpu', effect: 'NoSchedule' }, false],
    ['Exists on the key', 'NoSchedule', { key: 'dedicated', operator: 'Exists' }, true],
    ['Exists on everything', 'NoExecute', { operator: 'Exists' }, true],
    ['another effect', 'NoExecute', { key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }, false],
  ];
  for (const [what, effect, toleration, fits] of cases) {
    const pod = toleration ? makePod().toleration(toleration).obj() : makePod().obj();
    const s = runFilter(TaintToleration, pod, tainted(effect));
    assert.equal(s.isSuccess(), fits, what);
    if (!fits) {
      assert.equal(s.code, 'UnschedulableAndUnresolvable');
      assert.deepEqual(s.reasons, ['node(s) had untolerated taint(s)']);
    }
  }
});

test('NodeAffinity: nodeSelector and required terms with In, NotIn, Exists, DoesNotExist, Gt, Lt', () => {
  const node = info(makeNode('n1').label('zone', 'a').label('cores', '8').obj());
  const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
  const cases: Array<[string, Pod, boolean]> = [
    ['no rules', makePod().obj(), true],
    ['selector matches', makePod().selector({ zone: 'a' }).obj(), true],
    ['selector does not', makePod().selector({ zone: 'b' }).obj(), false],
    ['In', makePod().required(expr('zone', 'In', ['a', 'b'])).obj(), true],
    ['NotIn', makePod().required(expr('zone', 'NotIn', ['a'])).obj(), false],
    ['Exists', makePod().required(expr('zone', 'Exists')).obj(), true],
    ['DoesNotExist', makePod().required(expr('gpu', 'DoesNotExist')).obj(), true],
    ['Gt', makePod().required(expr('cores', 'Gt', ['4'])).obj(), true],
    ['Lt', makePod().required(expr('cores', 'Lt', ['4'])).obj(), false],
    ['Gt on a non-number', makePod().required(expr('zone', 'Gt', ['1'])).obj(), false],
    ['terms are ORed', makePod().required(expr('zone', 'In', ['b']), expr('zone', 'In', ['a'])).obj(), true],
    ['an empty term matches nothing', makePod().required({}).obj(), false],
    ['matchFields on the name', makePod().required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }).obj(), true],
  ];
  for (const [what, pod, fits] of cases) {
    const s = runFilter(NodeAffinity, pod, node);
    assert.equal(s.isSuccess(), fits, what);
    if (!fits) assert.deepEqual(s.reasons, ["node(s) didn't match Pod's node affinity/selector"]);
  }
});

test('NodePorts and NodeUnschedulable', () => {
  const busy = info(makeNode('n').obj(), makePod().hostPort(8080).obj());
  assert.deepEqual(runFilter(NodePorts, makePod().hostPort(8080).obj(), busy).reasons, ["node(s) didn't have free ports for the requested pod ports"]);
  assert.ok(runFilter(NodePorts, makePod().hostPort(9090).obj(), busy).isSuccess());
  const cordoned = info(makeNode('n').unschedulable().obj());
  assert.deepEqual(runFilter(NodeUnschedulable, makePod().obj(), cordoned).reasons, ['node(s) were unschedulable']);
  assert.ok(runFilter(NodeUnschedulable, makePod().toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }).obj(), cordoned).isSuccess());
});

test('the FailedScheduling message counts each reason over the nodes, sorted as kube-scheduler sorts them', () => {
  const nodes = [
    info(makeNode('gpu').taint('dedicated', 'gpu', 'NoSchedule').obj()),
    info(makeNode('a').obj(), makePod().req({ cpu: '1500m' }).obj()),
    info(makeNode('b').obj(), makePod().req({ cpu: '1800m' }).obj()),
  ];
  const pod = makePod().req({ cpu: '1' }).obj();
  const verdicts = new Map<string, Status>();
  for (const n of nodes) {
    const failed = FILTERS.map((f) => [f.name, runFilter(f, pod, n, nodes)] as const).find(([, s]) => !s.isSuccess());
    if (failed) verdicts.set(n.name, failed[1].withPlugin(failed[0]));
  }
  assert.deepEqual([...verdicts.values()].map((s) => s.plugin), ['TaintToleration', 'NodeResourcesFit', 'NodeResourcesFit']);
  assert.equal(
    fitErrorMessage(3, verdicts, '0/3 nodes are available: 3 Preemption is not helpful for scheduling.'),
    '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
  );
  assert.equal(fitErrorMessage(0, new Map()), 'no nodes available to schedule pods');
});

test('PodTopologySpread: maxSkew across zones, a node without the key, and the default constraints spreading siblings', () => {
  const zoned = (name: string, zone: string, ...pods: Pod[]) => info(makeNode(name).label('zone', zone).obj(), ...pods);
  const web = () => makePod().label('app', 'web');
  const nodes = [zoned('a1', 'a', web().obj(), web().obj()), zoned('b1', 'b', web().obj()), zoned('c1', 'c')];
  const constraint = { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } };
  const pod = web().spread(constraint).obj();
  const verdict = (n: NodeInfo) => runFilter(PodTopologySpread, pod, n, nodes);
  assert.deepEqual(nodes.map((n) => verdict(n).isSuccess()), [false, false, true], 'zone c has 0: a (2) and b (1) would exceed skew 1');
  assert.deepEqual(verdict(nodes[0]!).reasons, ["node(s) didn't match pod topology spread constraints"]);
  const bare = info(makeNode('nolabel').obj());
  assert.deepEqual(runFilter(PodTopologySpread, pod, bare, [...nodes, bare]).reasons, ["node(s) didn't match pod topology spread constraints (missing required label)"]);
  assert.equal(runFilter(PodTopologySpread, pod, bare, [...nodes, bare]).code, 'UnschedulableAndUnresolvable');
  // minDomains: fewer domains than asked count the smallest as 0.
  const two = [zoned('a1', 'a', web().obj()), zoned('b1', 'b', web().obj())];
  const strict = web().spread({ ...constraint, minDomains: 3 }).obj();
  assert.deepEqual(two.map((n) => runFilter(PodTopologySpread, strict, n, two).isSuccess()), [false, false]);
  // Defaults: a ReplicaSet's pod (selected by the ReplicaSet's selector) scores the node with fewer siblings higher.
  const api = createApiStore({ clock: new SystemClock() });
  api.create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
  const hosts = [info(makeNode('h1').obj(), web().ownedBy('rs').obj()), info(makeNode('h2').obj())];
  const sibling = web().ownedBy('rs').obj();
  const scores = runScores(podTopologySpread(undefined, api), sibling, hosts)!;
  assert.ok(scores.normalized[1]! > scores.normalized[0]!, `scores ${scores.normalized}`);
  assert.equal(runScores(podTopologySpread(undefined, api), makePod().label('app', 'web').obj(), hosts), undefined, 'no Service or controller selects a bare pod: no default constraints (Skip)');
});

test('InterPodAffinity: affinity (the first pod of a group may go anywhere), anti-affinity, and existing pods\' anti-affinity', () => {
  const term = (labels: Record<string, string>) => ({ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' });
  const cache = makePod().label('app', 'cache').obj();
  const nodes = [info(makeNode('n1').obj(), cache), info(makeNode('n2').obj())];
  const near = makePod().affinity({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'cache' })] } }).obj();
  assert.deepEqual(nodes.map((n) => runFilter(InterPodAffinity, near, n, nodes).isSuccess()), [true, false]);
  assert.deepEqual(runFilter(InterPodAffinity, near, nodes[1]!, nodes).reasons, ["node(s) didn't match pod affinity rules"]);
  const first = makePod().label('app', 'db').affinity({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' })] } }).obj();
  assert.ok(runFilter(InterPodAffinity, first, nodes[1]!, nodes).isSuccess(), 'no db pod anywhere, and it matches its own term');
  const apart = makePod().affinity({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'cache' })] } }).obj();
  assert.deepEqual(nodes.map((n) => runFilter(InterPodAffinity, apart, n, nodes).reasons[0] ?? 'ok'), ["node(s) didn't match pod anti-affinity rules", 'ok']);
  const loner = makePod().label('app', 'loner').affinity({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' })] } }).obj();
  const withLoner = [info(makeNode('n1').obj(), loner), info(makeNode('n2').obj())];
  assert.deepEqual(runFilter(InterPodAffinity, makePod().label('app', 'web').obj(), withLoner[0]!, withLoner).reasons, ["node(s) didn't satisfy existing pods anti-affinity rules"]);
});
