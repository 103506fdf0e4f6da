/**
 * What the scheduler needs of a pod, computed once per version of the pod
 * (framework.PodInfo): its requests, host ports, tolerations, node
 * affinity, and its pod (anti-)affinity terms with their selectors and
 * namespaces resolved. Stored pods are frozen, so a pod object's info is
 * kept for as long as the object lives.
 */
import { fromLabelSelector, matches, type LabelSelector, type Pod, type Toleration } from '../api/index.ts';
import { preferredNodeAffinity, requiredNodeAffinity, type NodeSelectorTerm, type PreferredTerm } from './affinity.ts';
import { podRequests, type Resource } from './resources.ts';

/** A pod (anti-)affinity term, ready to match pods. */
export interface AffinityTerm {
  topologyKey: string;
  /** The namespaces it selects pods in (the owner's own when it names none). */
  namespaces: Set<string>;
  selector: ReturnType<typeof fromLabelSelector>;
}

export interface WeightedAffinityTerm {
  weight: number;
  term: AffinityTerm;
}

export interface PodInfo {
  readonly pod: Pod;
  readonly uid: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly priority: number;
  readonly requests: Resource;
  readonly nonZero: Resource;
  /** `protocol/port` of each host port the pod asks for. */
  readonly hostPorts: string[];
  readonly tolerations: Toleration[];
  readonly nodeSelector: Array<[string, string]>;
  readonly requiredNodeAffinity?: NodeSelectorTerm[];
  readonly preferredNodeAffinity: PreferredTerm[];
  readonly requiredAffinity: AffinityTerm[];
  readonly requiredAntiAffinity: AffinityTerm[];
  readonly preferredAffinity: WeightedAffinityTerm[];
  readonly preferredAntiAffinity: WeightedAffinityTerm[];
  readonly images: string[];
  readonly terminating: boolean;
}

interface RawTerm {
  labelSelector?: LabelSelector;
  namespaces?: string[];
  topologyKey: string;
}

function compile(raw: RawTerm, namespace: string): AffinityTerm {
  return { topologyKey: raw.topologyKey, namespaces: new Set(raw.namespaces?.length ? raw.namespaces : [namespace]), selector: fromLabelSelector(raw.labelSelector) };
}

/** Whether `term` (of some pod) selects `target`: its labels, in the term's namespaces. */
export const termSelects = (term: AffinityTerm, target: PodInfo): boolean => term.namespaces.has(target.namespace) && matches(term.selector, target.labels);

const cache = new WeakMap<Pod, PodInfo>();

function compute(pod: Pod): PodInfo {
  const namespace = pod.metadata.namespace ?? 'default';
  const affinity = (pod.spec.affinity ?? {}) as { podAffinity?: Record<string, unknown>; podAntiAffinity?: Record<string, unknown> };
  const required = (kind: 'podAffinity' | 'podAntiAffinity') => ((affinity[kind]?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as RawTerm[]).map((t) => compile(t, namespace));
  const preferred = (kind: 'podAffinity' | 'podAntiAffinity') =>
    ((affinity[kind]?.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Array<{ weight: number; podAffinityTerm: RawTerm }>).map((w) => ({ weight: w.weight, term: compile(w.podAffinityTerm, namespace) }));
  const containers = [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])];
  return {
    pod,
    uid: pod.metadata.uid ?? '',
    namespace,
    labels: pod.metadata.labels ?? {},
    priority: pod.spec.priority ?? 0,
    requests: podRequests(pod),
    nonZero: podRequests(pod, true),
    hostPorts: containers.flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort).map((p) => `${p.protocol ?? 'TCP'}/${p.hostPort}`)),
    tolerations: pod.spec.tolerations ?? [],
    nodeSelector: Object.entries(pod.spec.nodeSelector ?? {}),
    requiredNodeAffinity: requiredNodeAffinity(pod),
    preferredNodeAffinity: preferredNodeAffinity(pod),
    requiredAffinity: required('podAffinity'),
    requiredAntiAffinity: required('podAntiAffinity'),
    preferredAffinity: preferred('podAffinity'),
    preferredAntiAffinity: preferred('podAntiAffinity'),
    images: containers.map((c) => c.image ?? ''),
    terminating: !!pod.metadata.deletionTimestamp,
  };
}

/** The pod's info; kept for frozen (stored) pods, computed afresh for a pod that may still change. */
export function podInfo(pod: Pod): PodInfo {
  let info = cache.get(pod);
  if (!info) {
    info = compute(pod);
    if (Object.isFrozen(pod)) cache.set(pod, info);
  }
  return info;
}

/** Whether the pod has pod (anti-)affinity terms of any kind (NodeInfo.PodsWithAffinity). */
export const hasAffinity = (p: PodInfo) => p.requiredAffinity.length + p.requiredAntiAffinity.length + p.preferredAffinity.length + p.preferredAntiAffinity.length > 0;
