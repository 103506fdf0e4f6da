/**
 * kube-scheduler's node filters (pkg/scheduler/framework/plugins):
 * NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts and
 * NodeResourcesFit here, InterPodAffinity and PodTopologySpread in their own
 * files, with their upstream names, status codes and reasons.
 */
import type { NodeSelectorTerm } from '../affinity.ts';
import { nodeMatchesTerms, requiredNodeAffinity } from '../affinity.ts';
import { tolerates, type Pod } from '../../api/index.ts';
import { hostPortsOf, podRequests, type NodeInfo, type Resource } from '../node-info.ts';
import { Status, type CycleState } from '../status.ts';
import { interPodAffinityFilter, interPodAffinityPreFilter } from './inter-pod-affinity.ts';
import { spreadFilter, spreadPreFilter } from './topology-spread.ts';

export interface FilterPlugin {
  readonly name: string;
  /**
   * PreFilter: once per cycle, over every node, what the filter needs (kept
   * in the CycleState), so that each node's filter is cheap.
   */
  preFilter?(pod: Pod, all: NodeInfo[], state: CycleState): void;
  /** `all`: every node as the cycle sees it (plugins about other pods count across it; default: this node alone). */
  filter(pod: Pod, node: NodeInfo, all?: NodeInfo[], state?: CycleState): Status;
}

export const NodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(pod, node) {
    if (!node.node.spec?.unschedulable) return Status.success();
    const tolerated = (pod.spec.tolerations ?? []).some((t) => tolerates(t, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }));
    return tolerated ? Status.success() : Status.unresolvable('node(s) were unschedulable');
  },
};

export const NodeName: FilterPlugin = {
  name: 'NodeName',
  filter(pod, node) {
    const want = pod.spec.nodeName;
    return !want || want === node.name ? Status.success() : Status.unresolvable("node(s) didn't match the requested node name");
  },
};

export const TaintToleration: FilterPlugin = {
  name: 'TaintToleration',
  filter(pod, node) {
    const taint = (node.node.spec?.taints ?? []).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !(pod.spec.tolerations ?? []).some((x) => tolerates(x, t)));
    return taint ? Status.unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`) : Status.success();
  },
};

export const NodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  filter(pod, node) {
    const labels = node.node.metadata.labels ?? {};
    const selectorOk = Object.entries(pod.spec.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
    const terms: NodeSelectorTerm[] | undefined = requiredNodeAffinity(pod);
    const affinityOk = !terms || nodeMatchesTerms(terms, node.node);
    return selectorOk && affinityOk ? Status.success() : Status.unresolvable("node(s) didn't match Pod's node affinity/selector");
  },
};

export const NodePorts: FilterPlugin = {
  name: 'NodePorts',
  filter(pod, node) {
    const clash = hostPortsOf(pod).some((p) => node.usedPorts.has(`${p.protocol}/${p.port}`));
    return clash ? Status.unschedulable("node(s) didn't have free ports for the requested pod ports") : Status.success();
  },
};

/** The resources a pod lacks on a node (fitsRequest), in upstream's order: pods, cpu, memory, ephemeral-storage, extended. */
export function insufficient(pod: Pod, node: NodeInfo, requests: Resource = podRequests(pod)): string[] {
  const out: string[] = [];
  if (node.pods.size + 1 > node.allowedPodNumber) out.push('Too many pods');
  const free = (want: number, used: number, has: number) => want > 0 && want > has - used;
  if (free(requests.milliCPU, node.requested.milliCPU, node.allocatable.milliCPU)) out.push('Insufficient cpu');
  if (free(requests.memory, node.requested.memory, node.allocatable.memory)) out.push('Insufficient memory');
  if (free(requests.ephemeralStorage, node.requested.ephemeralStorage, node.allocatable.ephemeralStorage)) out.push('Insufficient ephemeral-storage');
  for (const [name, want] of Object.entries(requests.scalar)) {
    if (free(want, node.requested.scalar[name] ?? 0, node.allocatable.scalar[name] ?? 0)) out.push(`Insufficient ${name}`);
  }
  return out;
}

export const NodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(pod, node) {
    const missing = insufficient(pod, node);
    return missing.length ? Status.unschedulable(...missing) : Status.success();
  },
};

export const InterPodAffinity: FilterPlugin = {
  name: 'InterPodAffinity',
  preFilter: (pod, all, state) => state.write('InterPodAffinity', interPodAffinityPreFilter(pod, all)),
  filter: (pod, node, all, state) => interPodAffinityFilter(pod, node, state?.read('InterPodAffinity') ?? interPodAffinityPreFilter(pod, all ?? [node])),
};
export const PodTopologySpread: FilterPlugin = {
  name: 'PodTopologySpread',
  preFilter: (pod, all, state) => state.write('PodTopologySpread', spreadPreFilter(pod, all)),
  filter: (pod, node, all, state) => spreadFilter(pod, node, state?.read('PodTopologySpread') ?? spreadPreFilter(pod, all ?? [node])),
};

/** The default profile's filters, in its order. */
export const FILTERS: FilterPlugin[] = [NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, InterPodAffinity, PodTopologySpread];
