/**
 * `podplay explain pod` and `podplay stop node` through podplay's shell
 * against a real cluster in Node (node workers on worker threads), and
 * kubectl scale's preconditions, which the cluster map relies on. Output
 * that does not depend on the scheduler's random tie-break is kept in
 * golden files (test/golden/podplay/).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Node, Pod } from '../../src/api/index.ts';
import { complete } from '../../src/cli/index.ts';
import { explainPod } from '../../src/cli/podplay/explain.ts';
import { FILTER_RESULT, POSTFILTER_RESULT, PREFILTER_RESULT_STATUS, SELECTED_NODE } from '../../src/scheduler/index.ts';
import { until } from '../helpers/cluster.ts';
import { golden, startCliCluster, type CliCluster } from '../helpers/cli.ts';

const pod = (name: string, extra: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${extra}  containers:
  - name: hello
    image: podplay/hello
    resources:
      requests: {cpu: ${name === 'big' ? '"64"' : '500m'}, memory: 256Mi}
`;

let c: CliCluster;
before(async () => {
  c = await startCliCluster({
    files: {
      'big.yaml': pod('big', ''),
      'placed.yaml': pod('placed', `  affinity:
    nodeAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 50
        preference:
          matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [zone-b]}]
`),
      'by-hand.yaml': pod('by-hand', '  nodeName: node-1\n'),
    },
  });
});
after(() => c.close());

const api = () => c.cluster.api;
const getPod = (name: string) => api().get<Pod>('Pod', 'default', name);
const tried = (name: string) => until(`${name} scheduled or refused`, () => !!getPod(name).status?.conditions?.some((x) => x.type === 'PodScheduled'));
/** Wrapped prose as one line. */
const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
const pods = (selector: string) => api().list<Pod>('Pod', { labelSelector: selector }).items;

/** The rows of the Score table under its header: each cell by the header's column offsets. */
function scoreTable(text: string): Array<Record<string, string>> {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('  SELECTED '));
  assert.ok(at >= 0, text);
  const header = lines[at]!;
  const columns = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], start: m.index! }));
  const rows: Array<Record<string, string>> = [];
  for (const line of lines.slice(at + 1)) {
    if (!/^ {2}(\*| ) /.test(line) || line.slice(0, columns[1]!.start).trim().length > 1) break;
    rows.push(Object.fromEntries(columns.map((col, i) => [col.name, line.slice(col.start, columns[i + 1]?.start).trim()])));
  }
  return rows;
}

test('a pod that fits nowhere: Pending, every node rejected by NodeResourcesFit, what preemption found', async () => {
  assert.equal((await c.sh('kubectl apply -f big.yaml')).stdout, 'pod/big created\n');
  await tried('big');
  const r = await c.sh('podplay explain pod big');
  assert.equal(r.code, 0, r.stderr);
  for (const node of ['node-1', 'node-2', 'node-3']) assert.match(r.stdout, new RegExp(`^  ${node} +NodeResourcesFit: Insufficient cpu$`, 'm'));
  assert.match(r.stdout, /^Message: +0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\.$/m);
  await golden('podplay/explain-pending.txt', r.stdout);
  // The other ways to name it.
  for (const line of ['podplay explain pod/big', 'podplay explain po big', 'podplay explain pods big -n default']) assert.equal((await c.sh(line)).stdout, r.stdout, line);
  assert.equal((await c.sh('kubectl delete pod big --now')).code, 0);
});

test('a tainted node rejected by TaintToleration; the preferred node chosen by its scores', async () => {
  assert.equal((await c.sh('kubectl taint nodes node-3 dedicated=gpu:NoSchedule')).stdout, 'node/node-3 tainted\n');
  await c.sh('kubectl apply -f placed.yaml');
  await until('placed bound', () => !!getPod('placed').spec.nodeName);
  assert.equal(getPod('placed').spec.nodeName, 'node-2');
  const r = await c.sh('podplay explain pod placed');
  assert.match(r.stdout, /^ {2}node-3 +TaintToleration: node\(s\) had untolerated taint\(s\)$/m);
  await golden('podplay/explain-scheduled.txt', r.stdout);
  await golden('podplay/explain-scheduled-wide.txt', (await c.sh('podplay explain pod placed -o wide')).stdout);
  const rows = scoreTable(r.stdout);
  assert.deepEqual(rows.map((x) => [x.SELECTED, x.NODE]), [['*', 'node-2'], ['', 'node-1']]);
  assert.ok(Number(rows[0]!.AFFINITY) > Number(rows[1]!.AFFINITY));
  assert.equal((await c.sh('kubectl taint nodes node-3 dedicated=gpu:NoSchedule-')).stdout, 'node/node-3 untainted\n');
});

test("a Deployment's pod: every node listed, the chosen node marked, TOTAL the sum of the weighted scores", async () => {
  await c.sh('kubectl create deployment web --image=podplay/hello --replicas=3');
  await until('web bound', () => pods('app=web').filter((p) => p.spec.nodeName).length === 3);
  for (const p of pods('app=web')) {
    const r = await c.sh(`podplay explain pod ${p.metadata.name}`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Node: +${p.spec.nodeName}$`, 'm'));
    for (const node of ['node-1', 'node-2', 'node-3']) assert.match(r.stdout, new RegExp(`^  ${node} +passed$`, 'm'));
    const rows = scoreTable(r.stdout);
    assert.deepEqual(rows.map((x) => x.NODE).sort(), ['node-1', 'node-2', 'node-3']);
    assert.deepEqual(rows.filter((x) => x.SELECTED === '*').map((x) => x.NODE), [p.spec.nodeName]);
    assert.ok(rows.every((x) => Number(x.TOTAL) <= Number(rows[0]!.TOTAL)), 'best first');
    for (const row of rows) {
      const weighted = Object.entries(row).filter(([k]) => !['SELECTED', 'NODE', 'TOTAL'].includes(k)).map(([, v]) => Number(v));
      assert.equal(Number(row.TOTAL), weighted.reduce((a, b) => a + b, 0), JSON.stringify(row));
    }
    assert.match(flat(r.stdout), /TAINT: TaintToleration \(weight 3\), FIT: NodeResourcesFit \(weight 1\), SPREAD: PodTopologySpread \(weight 2\)/);
    // -o wide: each plugin's normalized score times its weight, and their sum.
    const wide = (await c.sh(`podplay explain pod/${p.metadata.name} -o wide`)).stdout;
    let sum = 0;
    for (const line of wide.split('\n')) {
      const m = /(\w+) +(\d+) +(\d+) +(\d+) +(\d+)$/.exec(line);
      if (m && m[1] !== 'TOTAL') {
        assert.equal(Number(m[5]), Number(m[3]) * Number(m[4]), line);
        sum += Number(m[5]);
      }
      const t = /^ +TOTAL +(\d+)$/.exec(line);
      if (t) {
        assert.equal(Number(t[1]), sum, line);
        sum = 0;
      }
    }
  }
});

test('a pod the scheduler never saw, and mistakes, in kubectl\'s words', async () => {
  await c.sh('kubectl apply -f by-hand.yaml');
  const r = await c.sh('podplay explain pod by-hand');
  assert.equal(r.code, 0);
  assert.match(flat(r.stdout), /No scheduling explanation for pod default\/by-hand: it runs on node-1, but the scheduler did not record how it got there\./);
  await c.sh('kubectl delete pod by-hand --now');
  await golden('podplay/errors.txt', [
    await c.sh('podplay explain pod nope'),
    await c.sh('podplay explain pod nope -n kube-system'),
    await c.sh('podplay stop node nope'),
    await c.sh('podplay frob'),
    await c.sh('podplay explian pod x'),
    await c.sh('podplay explain --frobnicate'),
    await c.sh('podplay explain'),
    await c.sh('podplay explain pod'),
    await c.sh('podplay explain flurbs x'),
    await c.sh('podplay explain deployment web'),
    await c.sh('podplay explain pod web -o json'),
    await c.sh('podplay stop'),
    await c.sh('podplay stop pod/x'),
  ].map((x) => `${x.code}\n${x.stdout}${x.stderr}`).join('---\n'));
  await golden('podplay/help.txt', [(await c.sh('podplay --help')).stdout, (await c.sh('podplay explain -h')).stdout, (await c.sh('podplay stop --help')).stdout].join('---\n'));
});

test('completion: subcommands, pod and node names', async () => {
  const words = async (line: string) => (await complete(line, c.env)).candidates;
  assert.ok((await words('')).includes('podplay'));
  assert.deepEqual(await words('podplay '), ['explain', 'stop']);
  assert.deepEqual(await words('podplay explain '), ['pod']);
  const web = pods('app=web').map((p) => p.metadata.name!);
  const all = api().list<Pod>('Pod', { namespace: 'default' }).items.map((p) => p.metadata.name!);
  assert.deepEqual(await words('podplay explain pod '), all);
  assert.ok(web.every((n) => all.includes(n)));
  assert.deepEqual(await words('podplay explain pod/w'), all.map((n) => `pod/${n}`));
  assert.deepEqual(await words('podplay stop '), ['node']);
  assert.deepEqual(await words('podplay stop node '), ['node-1', 'node-2', 'node-3']);
  assert.deepEqual(await words('podplay explain pod x -o '), ['wide']);
});

test('kubectl scale: --current-replicas and --resource-version preconditions, with kubectl\'s errors', async () => {
  await until('web available', () => (api().get('Deployment', 'default', 'web').status as { availableReplicas?: number }).availableReplicas === 3);
  assert.deepEqual(await c.sh('kubectl scale deployment/web --replicas=2 --current-replicas=5'), { code: 1, stdout: '', stderr: 'error: Expected replicas to be 5, was 3\n' });
  assert.equal((api().get('Deployment', 'default', 'web').spec as { replicas: number }).replicas, 3);
  const rv = api().get('Deployment', 'default', 'web').metadata.resourceVersion!;
  assert.deepEqual(await c.sh(`kubectl scale deployment/web --replicas=2 --resource-version=1${rv}`), { code: 1, stdout: '', stderr: `error: Expected resource version to be 1${rv}, was ${rv}\n` });
  assert.deepEqual(await c.sh('kubectl scale deployment web --replicas=2 --current-replicas=-2'), { code: 1, stdout: '', stderr: 'error: The --current-replicas must specify an integer of -1 or greater\n' });
  assert.deepEqual(await c.sh('kubectl scale deployment web --replicas=-3'), { code: 1, stdout: '', stderr: 'error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n' });
  await c.sh('kubectl create deployment other --image=podplay/hello --replicas=0');
  assert.deepEqual(await c.sh(`kubectl scale deployment web other --replicas=1 --resource-version=${rv}`), { code: 1, stdout: '', stderr: 'error: cannot use --resource-version with multiple resources\n' });
  const now = api().get('Deployment', 'default', 'web').metadata.resourceVersion!;
  assert.deepEqual(await c.sh(`kubectl scale deployment/web --replicas=3 --current-replicas=3 --resource-version=${now}`), { code: 0, stdout: 'deployment.apps/web scaled\n', stderr: '' });
  assert.deepEqual(await c.sh('kubectl scale deployment/web --replicas=3 --current-replicas=3'), { code: 0, stdout: 'deployment.apps/web scaled\n', stderr: '' });
  await c.sh('kubectl delete deployment other');
});

test('stop node: its worker ends, the node goes NotReady, its pods are evicted and recreated elsewhere; a second stop is refused', async () => {
  const worker = c.cluster.nodes.get('node-3');
  const onNode3 = pods('app=web').filter((p) => p.spec.nodeName === 'node-3').length;
  const r = await c.sh('podplay stop node node-3');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^node\/node-3 stopped\n/);
  assert.match(flat(r.stdout), /Its node worker was ended, as a crash ends a machine\. Once the worker is found dead \(at its next heartbeat ping, within 2s\), its kubelet stops and posts no more heartbeats; after 50s without one, the node controller marks node-3 NotReady and taints it node\.kubernetes\.io\/unreachable \(NoSchedule, NoExecute\)\./);
  const fate = onNode3 === 1 ? 'Its 1 pod is evicted after 300s (the default toleration of that taint). Its controller recreates it on the other nodes.' : `Its ${onNode3} pods are evicted after 300s (the default toleration of that taint). Their controllers recreate them on the other nodes.`;
  assert.ok(flat(r.stdout).endsWith(onNode3 ? fate : 'No pods run there.'), r.stdout);
  assert.equal(worker.stopped, true);
  await until('node-3 worker lost', () => worker.condition === 'NotReady');
  assert.deepEqual(await c.sh('podplay stop node/node-3'), { code: 1, stdout: '', stderr: `error: node/node-3 is already stopped: its node worker has ended (${worker.failure!.reason})\n` });
  // The node controller's grace period, then taint-based eviction after the pods' 300 s toleration.
  await c.clock.advance(61_000);
  const ready = () => api().get<Node>('Node', undefined, 'node-3').status?.conditions?.find((x) => x.type === 'Ready')?.status;
  assert.equal(ready(), 'Unknown');
  assert.match((await c.sh('kubectl get node node-3')).stdout, /node-3 +NotReady/);
  await c.clock.advance(301_000);
  const live = () => pods('app=web').filter((p) => !p.metadata.deletionTimestamp);
  await until('web recreated off node-3', () => live().length === 3 && live().every((p) => p.spec.nodeName && p.spec.nodeName !== 'node-3'));
});

test('explanations the cluster above does not show: a PreFilter rejection, a nomination, a single feasible node', () => {
  const made = (annotations: Record<string, unknown>, status: Pod['status'] = {}, nodeName?: string): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', annotations: Object.fromEntries(Object.entries(annotations).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])) },
    spec: { containers: [{ name: 'c', image: 'podplay/hello' }], ...(nodeName ? { nodeName } : {}) },
    status,
  });
  const pending = (message: string, nominatedNodeName?: string): Pod['status'] => ({
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }],
    ...(nominatedNodeName ? { nominatedNodeName } : {}),
  });
  const pre = explainPod(made({ [PREFILTER_RESULT_STATUS]: { NodeAffinity: 'boom' }, [FILTER_RESULT]: { 'node-1': {}, 'node-2': {} }, [SELECTED_NODE]: '' }, pending('0/2 nodes are available: 2 boom.')), false);
  assert.match(pre, /^ {2}node-1 +NodeAffinity \(PreFilter\): boom$/m);
  assert.match(pre, /PreFilter NodeAffinity rejected the pod before any node was filtered: boom/);
  const rejected = { NodeUnschedulable: 'passed', NodeName: 'passed', TaintToleration: 'passed', NodeResourcesFit: 'Insufficient cpu' };
  const nominated = explainPod(
    made({ [FILTER_RESULT]: { 'node-1': rejected, 'node-2': rejected }, [POSTFILTER_RESULT]: { 'node-2': { DefaultPreemption: 'preemption victims deleted' } }, [SELECTED_NODE]: '' }, pending('0/2 nodes are available: 2 Insufficient cpu.', 'node-2')),
    false,
  );
  assert.match(nominated, /^Nominated: +node-2$/m);
  assert.match(flat(nominated), /Preemption: .* DefaultPreemption nominated node-2: preemption victims deleted\. The pod waits for them to go, then is scheduled again\.$/);
  const passedAll = { NodeUnschedulable: 'passed', NodeName: 'passed', TaintToleration: 'passed', NodeResourcesFit: 'passed' };
  const single = explainPod(made({ [FILTER_RESULT]: { 'node-1': passedAll, 'node-2': rejected }, [SELECTED_NODE]: 'node-1' }, { phase: 'Running' }, 'node-1'), true);
  assert.match(flat(single), /Only node-1 passed the filters, so it was chosen without scoring/);
  assert.doesNotMatch(single, /Preemption/);
  const none = explainPod(made({}, pending('')), false);
  assert.match(flat(none), /No scheduling explanation for pod default\/p yet: the scheduler has not tried to place it\./);
});
