/**
 * The scheduler playground scenario (public/examples/scheduler/) on a real
 * sandbox: its three Node manifests become three node workers, and each
 * manifest makes the plugin its comment names visible — where the pods
 * land, and what the scheduler says about those that wait.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { createSession, nodeConfigsFromYaml, type SandboxSession } from '../../src/cli/index.ts';
import { readExplanation, type Pod } from '../../src/sandbox/index.ts';
import { fileFetch, layoutUrl } from '../helpers/layout.ts';

const dir = new URL('../../public/examples/scheduler/', import.meta.url);
const file = (name: string) => readFileSync(new URL(name, dir), 'utf8');

let session: SandboxSession;

before(async () => {
  session = await createSession({ store: { kind: 'memory' }, layoutUrl: layoutUrl(), fetch: fileFetch, nodeConfigs: nodeConfigsFromYaml(file('nodes.yaml'), 'nodes.yaml') });
});
after(() => session?.dispose());

const pods = (app: string) => (session.get('pods') as Pod[]).filter((p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp);
const podNamed = (name: string) => session.get('pods', name) as Pod;
const scheduledMessage = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message;

async function until<T>(what: string, probe: () => T | undefined | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function applyFile(name: string): void {
  const r = session.apply(file(name), name);
  assert.deepEqual(r.errors, [], `${name} applies`);
}

/** Each step starts from a clean slate, as the files say: kubectl delete -f FILE. */
async function deleteFile(name: string): Promise<void> {
  await session.files.write(name, new TextEncoder().encode(file(name)));
  const r = await session.exec(`kubectl delete -f ${name} --wait=false`);
  assert.equal(r.exitCode, 0, r.stderr);
  await until(`the pods of ${name} gone`, () => (session.get('pods') as Pod[]).length === 0, 60_000);
}

test('the Node manifests become three node workers with their capacity, zones, labels and taint', async () => {
  const nodes = (await session.exec('kubectl get nodes -L topology.kubernetes.io/zone,disktype --no-headers')).stdout;
  assert.match(nodes, /^large\s+Ready\s.*zone-c\s+ssd$/m);
  assert.match(nodes, /^medium\s+Ready\s.*zone-b\s+ssd$/m);
  assert.match(nodes, /^small\s+Ready\s.*zone-a\s+hdd$/m);
  const large = (await session.exec("kubectl get node large -o jsonpath='{.status.allocatable.cpu} {.spec.taints[0].key}'")).stdout;
  assert.equal(large, '4 dedicated');
});

test('1-requests: six half-CPU pods fit on small and medium; the seventh waits on Insufficient cpu and the taint', async () => {
  applyFile('1-requests.yaml');
  await session.exec('kubectl scale deployment/fit --replicas=7');
  const waiting = await until('the seventh fit pod to be unschedulable', () => pods('fit').find((p) => scheduledMessage(p)));
  assert.equal(scheduledMessage(waiting), '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.');
  const placed = pods('fit').filter((p) => p.spec.nodeName);
  assert.equal(placed.length, 6);
  assert.deepEqual(new Set(placed.map((p) => p.spec.nodeName)), new Set(['small', 'medium']));
  const explanation = readExplanation(waiting)!;
  assert.match(explanation.nodes.large!.filters.TaintToleration!, /untolerated taint/);
  assert.equal(explanation.nodes.small!.filters.NodeResourcesFit, 'Insufficient cpu');
  await deleteFile('1-requests.yaml');
});

test('2-node-affinity: small is filtered out by NodeAffinity, large by its taint; medium is chosen', async () => {
  applyFile('2-node-affinity.yaml');
  const pod = await until('ssd-only bound', () => (podNamed('ssd-only')?.spec.nodeName ? podNamed('ssd-only') : undefined));
  assert.equal(pod.spec.nodeName, 'medium');
  const e = readExplanation(pod)!;
  assert.equal(e.nodes.small!.filters.NodeAffinity, "node(s) didn't match Pod's node affinity/selector");
  assert.match(e.nodes.large!.filters.TaintToleration!, /untolerated taint\(s\)/);
  assert.equal(e.selectedNode, 'medium');
  await deleteFile('2-node-affinity.yaml');
});

test('3-tolerations: the gpu pods tolerate the taint and select the large node', async () => {
  applyFile('3-tolerations.yaml');
  await until('gpu-work bound', () => pods('gpu-work').length === 2 && pods('gpu-work').every((p) => p.spec.nodeName));
  assert.deepEqual(pods('gpu-work').map((p) => p.spec.nodeName), ['large', 'large']);
  await deleteFile('3-tolerations.yaml');
});

test('4-anti-affinity: one cache pod per node, the fourth waits on the anti-affinity rule', async () => {
  applyFile('4-anti-affinity.yaml');
  const waiting = await until('a cache pod to be unschedulable', () => pods('cache').find((p) => scheduledMessage(p)));
  assert.equal(scheduledMessage(waiting), "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
  assert.deepEqual(new Set(pods('cache').filter((p) => p.spec.nodeName).map((p) => p.spec.nodeName)), new Set(['small', 'medium', 'large']));
  await deleteFile('4-anti-affinity.yaml');
});

test('5-topology-spread: six pods, two in each zone', async () => {
  applyFile('5-topology-spread.yaml');
  await until('spread bound', () => pods('spread').length === 6 && pods('spread').every((p) => p.spec.nodeName));
  const perNode = new Map<string, number>();
  for (const p of pods('spread')) perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(perNode), { small: 2, medium: 2, large: 2 });
  await deleteFile('5-topology-spread.yaml');
});

test('7-host-ports: one pod per node on port 8080, the fourth waits on NodePorts', async () => {
  applyFile('7-host-ports.yaml');
  const waiting = await until('a ports pod to be unschedulable', () => pods('ports').find((p) => scheduledMessage(p)));
  assert.match(scheduledMessage(waiting)!, /^0\/3 nodes are available: 3 node\(s\) didn't have free ports for the requested pod ports\./);
  assert.equal(readExplanation(waiting)!.nodes.small!.filters.NodePorts, "node(s) didn't have free ports for the requested pod ports");
  assert.deepEqual(new Set(pods('ports').filter((p) => p.spec.nodeName).map((p) => p.spec.nodeName)), new Set(['small', 'medium', 'large']));
  await deleteFile('7-host-ports.yaml');
});

test('6-preemption: after 1-requests, the urgent pod evicts lower-priority pods and is nominated, then bound', async () => {
  applyFile('1-requests.yaml');
  await until('fit bound', () => pods('fit').length === 4 && pods('fit').every((p) => p.spec.nodeName));
  applyFile('6-preemption.yaml');
  const pod = await until('urgent bound', () => (podNamed('urgent')?.spec.nodeName ? podNamed('urgent') : undefined), 60_000);
  assert.equal(pod.spec.nodeName, 'medium');
  const events = (await session.exec('kubectl get events --field-selector reason=Preempted -o name')).stdout;
  assert.ok(events.trim().length > 0, 'some pod was preempted');
});
