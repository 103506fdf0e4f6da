/**
 * Builders and plugin runners for scheduler tests, after kube-scheduler's
 * st.MakePod()/st.MakeNode(): a plugin's PreFilter and Filter on one node,
 * or its PreScore, Score and NormalizeScore over nodes, as a cycle runs them.
 */
import type { Node, Pod, Taint, Toleration } from '../../src/api/index.ts';
import { CycleState, NodeInfo, Status, podInfo, snapshotOf, type Plugin } from '../../src/scheduler/index.ts';

export function makeNode(name: string) {
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
    image: (name: string, sizeBytes: number) => ((node.status!.images = [...(node.status!.images ?? []), { names: [name], sizeBytes }]), b),
    unschedulable: () => ((node.spec.unschedulable = true), b),
    obj: () => node,
  };
  return b;
}

let uid = 0;
export function makePod(name = 'p') {
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `u${++uid}` }, spec: { containers: [{ name: 'c', image: 'x' }] } };
  const b = {
    req: (r: Record<string, string>) => ((pod.spec.containers[0]!.resources = { requests: r }), b),
    container: (r: Record<string, string>) => (pod.spec.containers.push({ name: `c${pod.spec.containers.length}`, image: 'x', resources: { requests: r } }), b),
    init: (r: Record<string, string>, sidecar = false) => ((pod.spec.initContainers = [...(pod.spec.initContainers ?? []), { name: `i${pod.spec.initContainers?.length ?? 0}`, image: 'x', resources: { requests: r }, ...(sidecar ? { restartPolicy: 'Always' } : {}) }]), b),
    overhead: (r: Record<string, string>) => ((pod.spec.overhead = r), b),
    image: (image: string) => ((pod.spec.containers[0]!.image = image), b),
    label: (k: string, v: string) => ((pod.metadata.labels = { ...pod.metadata.labels, [k]: v }), b),
    namespace: (ns: string) => ((pod.metadata.namespace = ns), b),
    priority: (p: number) => ((pod.spec.priority = p), b),
    spread: (c: Record<string, unknown>) => ((pod.spec.topologySpreadConstraints = [...(pod.spec.topologySpreadConstraints ?? []), c]), b),
    affinity: (a: Record<string, unknown>) => ((pod.spec.affinity = a), b),
    ownedBy: (name: string) => ((pod.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: name, controller: true }]), b),
    toleration: (t: Toleration) => ((pod.spec.tolerations = [...(pod.spec.tolerations ?? []), t]), b),
    selector: (s: Record<string, string>) => ((pod.spec.nodeSelector = s), b),
    required: (...terms: unknown[]) => ((pod.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } }), b),
    preferred: (...terms: Array<{ weight: number; preference: unknown }>) => ((pod.spec.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } }), b),
    hostPort: (port: number) => ((pod.spec.containers[0]!.ports = [{ containerPort: port, hostPort: port }]), b),
    obj: () => Object.freeze(pod),
  };
  return b;
}

/** A NodeInfo with pods on it. */
export const info = (node: Node, ...pods: Pod[]) => {
  const n = new NodeInfo(node);
  for (const p of pods) n.addPod(p);
  return n;
};

/** PreFilter (a Skip passes) then Filter on one node; `all` is the cluster the PreFilter sees. */
export function runFilter(plugin: Plugin, pod: Pod, node: NodeInfo, all: NodeInfo[] = [node]): Status {
  const state = new CycleState();
  const p = podInfo(pod);
  const pre = plugin.preFilter?.(state, p, snapshotOf(all)) ?? Status.success();
  if (pre.code === 'Skip') return Status.success();
  if (!pre.isSuccess()) return pre;
  return plugin.filter!(state, p, node);
}

/** PreScore (a Skip gives undefined), then raw and normalized scores of the nodes. */
export function runScores(plugin: Plugin, pod: Pod, nodes: NodeInfo[], all: NodeInfo[] = nodes): { raw: number[]; normalized: number[] } | undefined {
  const state = new CycleState();
  const p = podInfo(pod);
  const pre = plugin.preScore?.(state, p, nodes, snapshotOf(all)) ?? Status.success();
  if (pre.code === 'Skip') return undefined;
  const raw = nodes.map((n) => plugin.score!(state, p, n));
  const normalized = raw.slice();
  plugin.normalizeScore?.(state, p, normalized);
  return { raw, normalized };
}
