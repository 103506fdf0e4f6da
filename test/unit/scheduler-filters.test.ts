/**
 * kube-scheduler's node filters, table-driven after the upstream plugin
 * tests: fit with requests, init containers, overhead and extended
 * resources; taints against tolerations; node affinity operators; host
 * ports; and the FailedScheduling message they add up to.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Pod, Taint, Toleration } from '../../src/api/index.ts';
import { fitErrorMessage, filterNodes, preemptionNotHelpful } from '../../src/scheduler/diagnosis.ts';
import { NodeInfo } from '../../src/scheduler/node-info.ts';
import { FILTERS, InterPodAffinity, NodeAffinity, NodePorts, NodeResourcesFit, NodeUnschedulable, PodTopologySpread, TaintToleration } from '../../src/scheduler/plugins/filters.ts';
import { PodTopologySpreadScore } from '../../src/scheduler/plugins/scores.ts';

function makeNode(name: string) {
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } },
  };
  const b = {
    label: (k: string, v: string) => ((node.metadata.labels![k] = v), b),
    taint: (key: string, value: string, effect: Taint['effect']) => ((node.spec.taints = [...(node.spec.taints ?? []), { key, value, effect }]), b),
    allocatable: (r: Record<string, string>) => ((node.status!.allocatable = { ...node.status!.allocatable, ...r }), b),
    unschedulable: () => ((node.spec.unschedulable = true), b),
    obj: () => node,
  };
  return b;
}

let uid = 0;
function makePod(name = 'p') {
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, uid: `u${++uid}` }, spec: { containers: [{ name: 'c', image: 'x' }] } };
  const b = {
    req: (r: Record<string, string>) => ((pod.spec.containers[0]!.resources = { requests: r }), b),
    container: (r: Record<string, string>) => ((pod.spec.containers.push({ name: `c${pod.spec.containers.length}`, image: 'x', resources: { requests: r } })), b),
    init: (r: Record<string, string>, sidecar = false) => ((pod.spec.initContainers = [...(pod.spec.initContainers ?? []), { name: `i${pod.spec.initContainers?.length ?? 0}`, image: 'x', resources: { requests: r }, ...(sidecar ? { restartPolicy: 'Always' } : {}) }]), b),
    overhead: (r: Record<string, string>) => ((pod.spec.overhead = r), b),
    label: (k: string, v: string) => ((pod.metadata.labels = { ...pod.metadata.labels, [k]: v }), b),
    spread: (c: Record<string, unknown>) => ((pod.spec.topologySpreadConstraints = [...(pod.spec.topologySpreadConstraints ?? []), c]), b),
    affinity: (a: Record<string, unknown>) => ((pod.spec.affinity = a), b),
    ownedBy: (name: string) => ((pod.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: name, controller: true }]), b),
    toleration: (t: Toleration) => ((pod.spec.tolerations = [...(pod.spec.tolerations ?? []), t]), b),
    selector: (s: Record<string, string>) => ((pod.spec.nodeSelector = s), b),
    required: (...terms: unknown[]) => ((pod.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } }), b),
    hostPort: (port: number) => ((pod.spec.containers[0]!.ports = [{ containerPort: port, hostPort: port }]), b),
    obj: () => pod,
  };
  return b;
}

const info = (node: Node, ...pods: Pod[]) => {
  const n = new NodeInfo(node);
  for (const p of pods) n.addPod(p);
  return n;
};

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
    assert.deepEqual(NodeResourcesFit.filter(pod, info(makeNode('n').obj(), ...existing)).reasons, want, what);
  }
  const gpu = info(makeNode('g').allocatable({ 'example.com/gpu': '2' }).obj());
  assert.ok(NodeResourcesFit.filter(makePod().req({ 'example.com/gpu': '2' }).obj(), gpu).isSuccess());
  const full = info(makeNode('f').allocatable({ pods: '1' }).obj(), makePod().obj());
  assert.deepEqual(NodeResourcesFit.filter(makePod().obj(), full).reasons, ['Too many pods']);
  assert.equal(NodeResourcesFit.filter(makePod().req({ cpu: '3' }).obj(), info(makeNode('n').obj())).code, 'Unschedulable');
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
    const s = TaintToleration.filter(pod, tainted(effect));
    assert.equal(s.isSuccess(), fits, what);
    if (!fits) {
      assert.equal(s.code, 'UnschedulableAndUnresolvable');
      assert.deepEqual(s.reasons, ['node(s) had untolerated taint {dedicated: gpu}']);
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
    const s = NodeAffinity.filter(pod, node);
    assert.equal(s.isSuccess(), fits, what);
    if (!fits) assert.deepEqual(s.reasons, ["node(s) didn't match Pod's node affinity/selector"]);
  }
});

test('NodePorts and NodeUnschedulable', () => {
  const busy = info(makeNode('n').obj(), makePod().hostPort(8080).obj());
  assert.deepEqual(NodePorts.filter(makePod().hostPort(8080).obj(), busy).reasons, ["node(s) didn't have free ports for the requested pod ports"]);
  assert.ok(NodePorts.filter(makePod().hostPort(9090).obj(), busy).isSuccess());
  const cordoned = info(makeNode('n').unschedulable().obj());
  assert.deepEqual(NodeUnschedulable.filter(makePod().obj(), cordoned).reasons, ['node(s) were unschedulable']);
  assert.ok(NodeUnschedulable.filter(makePod().toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }).obj(), cordoned).isSuccess());
});

test('the FailedScheduling message counts each reason over the nodes, sorted as kube-scheduler sorts them', () => {
  const nodes = [
    info(makeNode('gpu').taint('dedicated', 'gpu', 'NoSchedule').obj()),
    info(makeNode('a').obj(), makePod().req({ cpu: '1500m' }).obj()),
    info(makeNode('b').obj(), makePod().req({ cpu: '1800m' }).obj()),
  ];
  const verdicts = filterNodes(makePod().req({ cpu: '1' }).obj(), nodes, FILTERS);
  assert.deepEqual([...verdicts.values()].map((s) => s.plugin), ['TaintToleration', 'NodeResourcesFit', 'NodeResourcesFit']);
  assert.equal(
    fitErrorMessage(3, verdicts, preemptionNotHelpful(3, 3)),
    '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
  );
  assert.equal(fitErrorMessage(0, new Map()), 'no nodes available to schedule pods');
});

test('PodTopologySpread: maxSkew across zones, a node without the key, and the default constraints spreading siblings', () => {
  const zoned = (name: string, zone: string, ...pods: Pod[]) => info(makeNode(name).label('zone', zone).obj(), ...pods);
  const web = () => makePod().label('app', 'web');
  const nodes = [zoned('a1', 'a', web().obj(), web().obj()), zoned('b1', 'b', web().obj()), zoned('c1', 'c')];
  const constraint = { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } };
  const pod = web().spread(constraint).obj();
  const verdict = (n: NodeInfo) => PodTopologySpread.filter(pod, n, nodes);
  assert.deepEqual(nodes.map((n) => verdict(n).isSuccess()), [false, false, true], 'zone c has 0: a (2) and b (1) would exceed skew 1');
  assert.deepEqual(verdict(nodes[0]!).reasons, ["node(s) didn't match pod topology spread constraints"]);
  const bare = info(makeNode('nolabel').obj());
  assert.deepEqual(PodTopologySpread.filter(pod, bare, [...nodes, bare]).reasons, ["node(s) didn't match pod topology spread constraints (missing required label)"]);
  assert.equal(PodTopologySpread.filter(pod, bare, [...nodes, bare]).code, 'UnschedulableAndUnresolvable');
  // minDomains: fewer domains than asked count the smallest as 0.
  const two = [zoned('a1', 'a', web().obj()), zoned('b1', 'b', web().obj())];
  const strict = web().spread({ ...constraint, minDomains: 3 }).obj();
  assert.deepEqual(two.map((n) => PodTopologySpread.filter(strict, n, two).isSuccess()), [false, false]);
  // Defaults: a ReplicaSet's pod scores the node with fewer siblings higher.
  const hosts = [info(makeNode('h1').obj(), web().ownedBy('rs').obj()), info(makeNode('h2').obj())];
  const sibling = web().ownedBy('rs').obj();
  const scores = hosts.map((n) => PodTopologySpreadScore.score(sibling, n, hosts));
  PodTopologySpreadScore.normalize!(scores);
  assert.ok(scores[1]! > scores[0]!, `scores ${scores}`);
});

test('InterPodAffinity: affinity (the first pod of a group may go anywhere), anti-affinity, and existing pods\' anti-affinity', () => {
  const term = (labels: Record<string, string>) => ({ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' });
  const cache = makePod().label('app', 'cache').obj();
  const nodes = [info(makeNode('n1').obj(), cache), info(makeNode('n2').obj())];
  const near = makePod().affinity({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'cache' })] } }).obj();
  assert.deepEqual(nodes.map((n) => InterPodAffinity.filter(near, n, nodes).isSuccess()), [true, false]);
  assert.deepEqual(InterPodAffinity.filter(near, nodes[1]!, nodes).reasons, ["node(s) didn't match pod affinity rules"]);
  const first = makePod().label('app', 'db').affinity({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' })] } }).obj();
  assert.ok(InterPodAffinity.filter(first, nodes[1]!, nodes).isSuccess(), 'no db pod anywhere, and it matches its own term');
  const apart = makePod().affinity({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'cache' })] } }).obj();
  assert.deepEqual(nodes.map((n) => InterPodAffinity.filter(apart, n, nodes).reasons[0] ?? 'ok'), ["node(s) didn't match pod anti-affinity rules", 'ok']);
  const loner = makePod().label('app', 'loner').affinity({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' })] } }).obj();
  const withLoner = [info(makeNode('n1').obj(), loner), info(makeNode('n2').obj())];
  assert.deepEqual(InterPodAffinity.filter(makePod().label('app', 'web').obj(), withLoner[0]!, withLoner).reasons, ["node(s) didn't satisfy existing pods anti-affinity rules"]);
});
