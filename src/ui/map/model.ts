/**
 * What the cluster map draws, derived from API objects alone (the live
 * cluster's, or those re-derived from the recorded watch history at a past
 * moment): zones of nodes, each node with its conditions, taints, the
 * requests the scheduler counts against its allocatable, and its pods; pods
 * with the STATUS `kubectl get pods` prints, their restarts and owner; and
 * the Pending pods with the scheduler's message. No DOM here.
 */
import { nodeStatus, podRequestTotals, podState, taintString } from '../../cli/index.ts';
import { milliValue, quantityValue, type KubeObject, type Node, type Pod } from '../../sandbox/index.ts';

const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** Nodes without a zone label are drawn under this heading. */
const NO_ZONE = '(no zone)';

/** How a STATUS is coloured: the families of what `kubectl get pods` shows. */
export type StatusTone = 'running' | 'waiting' | 'failing' | 'done' | 'failed' | 'terminating' | 'unknown';

export interface MapPod {
  /** `namespace/name`: the chip's identity (data-pod). */
  key: string;
  namespace: string;
  name: string;
  uid: string;
  /** The STATUS column's text (data-phase). */
  status: string;
  tone: StatusTone;
  ready: string;
  restarts: number;
  node?: string;
  owner?: { kind: string; name: string };
  /** The PodScheduled condition's message, for a pod not yet bound. */
  message?: string;
  nominatedNode?: string;
}

export interface MapNode {
  name: string;
  zone: string;
  /** `kubectl get nodes` STATUS: Ready, NotReady, Unknown, with SchedulingDisabled when cordoned. */
  status: string;
  ready: boolean;
  unschedulable: boolean;
  taints: string[];
  allocatable: { cpuMilli: number; memoryBytes: number; pods: number };
  requested: { cpuMilli: number; memoryBytes: number; pods: number };
  pods: MapPod[];
}

export interface MapModel {
  zones: Array<{ zone: string; nodes: MapNode[] }>;
  /** Pods not bound to a node (Pending), oldest first. */
  pending: MapPod[];
  /** Pods bound to a node the map does not know (a Node deleted under them). */
  orphans: MapPod[];
  /** Deployments, to scale from the map. */
  deployments: MapDeployment[];
}

export interface MapDeployment {
  namespace: string;
  name: string;
  /** spec.replicas, and the ready ones (as `kubectl get deployments` READY shows them). */
  replicas: number;
  ready: number;
}

export interface MapObjects {
  nodes: readonly Node[];
  pods: readonly Pod[];
  /** ReplicaSets, to name a pod's Deployment. */
  replicaSets: readonly KubeObject[];
  deployments?: readonly KubeObject[];
}

const FAILING = /BackOff$|^ErrImagePull$|^InvalidImageName$|^Create\w*Error$|^RunContainerError$|^ErrImageNeverPull$/;
const FAILED = /^(Error|OOMKilled|StartError|Evicted|DeadlineExceeded|ContainerCannotRun|Failed|OutOf\w+|NodeAffinity|UnexpectedAdmissionError|ExitCode:.*|Signal:.*)$/;

/** What STATUS family a text belongs to (kubectl prints reasons, not phases; `Init:` reasons as their own). */
export function statusTone(status: string): StatusTone {
  const reason = status.startsWith('Init:') ? status.slice('Init:'.length) : status;
  if (status === 'Running') return 'running';
  if (status === 'Completed' || status === 'Succeeded') return 'done';
  if (status === 'Terminating') return 'terminating';
  if (status === 'Unknown' || status === 'NodeLost') return 'unknown';
  if (FAILING.test(reason)) return 'failing';
  if (FAILED.test(reason)) return 'failed';
  return 'waiting';
}

/** The owner a learner recognises: a ReplicaSet's Deployment, else the controller itself. */
function ownerOf(pod: Pod, replicaSets: Map<string, KubeObject>): MapPod['owner'] {
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!ref) return undefined;
  if (ref.kind === 'ReplicaSet') {
    const rs = replicaSets.get(`${pod.metadata.namespace}/${ref.name}`);
    const up = rs?.metadata.ownerReferences?.find((r) => r.controller);
    if (up?.kind === 'Deployment') return { kind: 'Deployment', name: up.name };
  }
  return { kind: ref.kind, name: ref.name };
}

export function mapPod(pod: Pod, now: number, replicaSets: Map<string, KubeObject>): MapPod {
  const state = podState(pod, now);
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  const namespace = pod.metadata.namespace ?? 'default';
  return {
    key: `${namespace}/${pod.metadata.name}`,
    namespace,
    name: pod.metadata.name!,
    uid: pod.metadata.uid ?? '',
    status: state.status,
    tone: statusTone(state.status),
    ready: state.ready,
    restarts: Number.parseInt(state.restarts, 10) || 0,
    node: pod.spec.nodeName || undefined,
    owner: ownerOf(pod, replicaSets),
    message: !pod.spec.nodeName && scheduled?.status === 'False' ? scheduled.message || scheduled.reason : undefined,
    nominatedNode: pod.status?.nominatedNodeName || undefined,
  };
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The map of a set of objects at `now` (ms, the cluster's clock: ages and restarts read from it). */
export function buildMap(objects: MapObjects, now: number): MapModel {
  const replicaSets = new Map(objects.replicaSets.map((rs) => [`${rs.metadata.namespace}/${rs.metadata.name}`, rs]));
  const nodes = new Map<string, MapNode>();
  for (const node of objects.nodes) {
    const alloc = node.status?.allocatable ?? {};
    const status = nodeStatus(node);
    nodes.set(node.metadata.name!, {
      name: node.metadata.name!,
      zone: node.metadata.labels?.[ZONE_LABEL] ?? NO_ZONE,
      status,
      ready: status.split(',')[0] === 'Ready',
      unschedulable: !!node.spec?.unschedulable,
      taints: (node.spec?.taints ?? []).map(taintString),
      allocatable: { cpuMilli: milliValue(alloc.cpu ?? '0'), memoryBytes: quantityValue(alloc.memory ?? '0'), pods: Number(alloc.pods ?? 0) },
      requested: { cpuMilli: 0, memoryBytes: 0, pods: 0 },
      pods: [],
    });
  }
  const pending: MapPod[] = [];
  const orphans: MapPod[] = [];
  const created = (p: Pod) => p.metadata.creationTimestamp ?? '';
  for (const pod of [...objects.pods].sort((a, b) => (created(a) < created(b) ? -1 : created(a) > created(b) ? 1 : 0))) {
    const chip = mapPod(pod, now, replicaSets);
    if (!chip.node) {
      pending.push(chip);
      continue;
    }
    const node = nodes.get(chip.node);
    if (!node) {
      orphans.push(chip);
      continue;
    }
    node.pods.push(chip);
    // As the scheduler counts: every pod bound to the node that has not finished.
    if (pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') {
      const r = podRequestTotals(pod);
      node.requested.cpuMilli += r.cpuMilli;
      node.requested.memoryBytes += r.memoryBytes;
      node.requested.pods++;
    }
  }
  const zones = new Map<string, MapNode[]>();
  for (const n of [...nodes.values()].sort(byName)) zones.set(n.zone, [...(zones.get(n.zone) ?? []), n]);
  return {
    zones: [...zones].sort(([a], [b]) => (a === NO_ZONE ? 1 : b === NO_ZONE ? -1 : a < b ? -1 : a > b ? 1 : 0)).map(([zone, list]) => ({ zone, nodes: list })),
    pending,
    orphans,
    deployments: (objects.deployments ?? [])
      .map((d) => ({
        namespace: d.metadata.namespace ?? 'default',
        name: d.metadata.name!,
        replicas: (d.spec as { replicas?: number } | undefined)?.replicas ?? 1,
        ready: (d.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0,
      }))
      .sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1)),
  };
}

/** The accessible name of a chip: "pod web-5c7d-x2 Running on node-2, Deployment web, 1 restart". */
export function podLabel(p: MapPod): string {
  const where = p.node ? `on ${p.node}` : 'not scheduled';
  const parts = [`pod ${p.name} ${p.status} ${where}`];
  if (p.owner) parts.push(`${p.owner.kind} ${p.owner.name}`);
  if (p.restarts) parts.push(`${p.restarts} restart${p.restarts === 1 ? '' : 's'}`);
  if (p.namespace !== 'default') parts.push(`namespace ${p.namespace}`);
  return parts.join(', ');
}
