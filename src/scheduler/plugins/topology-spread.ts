/**
 * PodTopologySpread (pkg/scheduler/framework/plugins/podtopologyspread):
 * DoNotSchedule constraints filter, ScheduleAnyway constraints score. A
 * domain's count is the pods matching the constraint's selector on the
 * nodes of that domain (nodes the pod's node affinity and selector allow);
 * a node passes when its domain's count, plus one if the pod matches its
 * own selector, minus the smallest count (zero while fewer domains than
 * minDomains exist) is at most maxSkew. A pod with no constraints of its
 * own is spread by the default ones (3 per hostname, 5 per zone, scored
 * only), over the pods of the same ReplicaSet.
 */
import { fromLabelSelector, matches, type LabelSelector, type Pod } from '../../api/index.ts';
import { nodeMatchesTerms, requiredNodeAffinity } from '../affinity.ts';
import type { NodeInfo } from '../node-info.ts';
import { Status } from '../status.ts';
import { MAX_NODE_SCORE } from './scores.ts';

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelector;
  minDomains?: number;
  matchLabelKeys?: string[];
}

/** The system default constraints (ScheduleAnyway only). */
export const DEFAULT_CONSTRAINTS: SpreadConstraint[] = [
  { maxSkew: 3, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
];

export const ERR_SPREAD = "node(s) didn't match pod topology spread constraints";
export const ERR_SPREAD_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";

/** The pod's constraints, each with its selector (matchLabelKeys folded in); defaults take the owner's labels. */
export function constraintsOf(pod: Pod, which: SpreadConstraint['whenUnsatisfiable']): Array<SpreadConstraint & { selector: ReturnType<typeof fromLabelSelector> }> {
  const own = (pod.spec.topologySpreadConstraints ?? []) as unknown as SpreadConstraint[];
  if (own.length) {
    return own
      .filter((c) => c.whenUnsatisfiable === which)
      .map((c) => {
        const selector = fromLabelSelector(c.labelSelector);
        for (const k of c.matchLabelKeys ?? []) if (pod.metadata.labels?.[k] !== undefined) selector.push({ key: k, operator: 'In', values: [pod.metadata.labels[k]!] });
        return { ...c, selector };
      });
  }
  // Defaults: only for pods a ReplicaSet, StatefulSet or ReplicationController owns, spread among their siblings.
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller && ['ReplicaSet', 'StatefulSet', 'ReplicationController'].includes(r.kind));
  if (which !== 'ScheduleAnyway' || !owner || !pod.metadata.labels) return [];
  const selector = Object.entries(pod.metadata.labels).map(([key, v]) => ({ key, operator: 'In' as const, values: [v] }));
  return DEFAULT_CONSTRAINTS.map((c) => ({ ...c, selector }));
}

function allowedBy(pod: Pod, node: NodeInfo): boolean {
  const labels = node.node.metadata.labels ?? {};
  if (Object.entries(pod.spec.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) return false;
  const terms = requiredNodeAffinity(pod);
  return !terms || nodeMatchesTerms(terms, node.node);
}

/** Matching pods per domain of `key`, over the nodes the pod could go to. */
function countByDomain(pod: Pod, nodes: NodeInfo[], key: string, selector: ReturnType<typeof fromLabelSelector>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of nodes) {
    const domain = n.node.metadata.labels?.[key];
    if (domain === undefined || !allowedBy(pod, n)) continue;
    let c = counts.get(domain) ?? 0;
    for (const p of n.pods.values()) if (p.pod.metadata.namespace === pod.metadata.namespace && !p.pod.metadata.deletionTimestamp && matches(selector, p.pod.metadata.labels)) c++;
    counts.set(domain, c);
  }
  return counts;
}

/** PreFilter's state: per DoNotSchedule constraint, the count of each domain and the smallest. */
export interface SpreadState {
  constraints: Array<{ c: SpreadConstraint; counts: Map<string, number>; min: number; self: number }>;
}

export function spreadPreFilter(pod: Pod, all: NodeInfo[]): SpreadState {
  return {
    constraints: constraintsOf(pod, 'DoNotSchedule').map((c) => {
      const counts = countByDomain(pod, all, c.topologyKey, c.selector);
      const min = counts.size < (c.minDomains ?? 1) ? 0 : Math.min(...counts.values());
      return { c, counts, min, self: matches(c.selector, pod.metadata.labels) ? 1 : 0 };
    }),
  };
}

export function spreadFilter(pod: Pod, node: NodeInfo, state: SpreadState): Status {
  for (const { c, counts, min, self } of state.constraints) {
    const domain = node.node.metadata.labels?.[c.topologyKey];
    if (domain === undefined) return Status.unresolvable(ERR_SPREAD_LABEL);
    if ((counts.get(domain) ?? 0) + self - min > c.maxSkew) return Status.unschedulable(ERR_SPREAD);
  }
  return Status.success();
}

/** PreScore's state: per ScheduleAnyway constraint, the count of each domain and its weight log(domains + 2). */
export function spreadPreScore(pod: Pod, all: NodeInfo[]) {
  return constraintsOf(pod, 'ScheduleAnyway').map((c) => {
    const counts = countByDomain(pod, all, c.topologyKey, c.selector);
    return { c, counts, weight: Math.log(counts.size + 2) };
  });
}

/** Raw score: matching pods in the node's domains, weighted by log(domains + 2), plus maxSkew - 1 (lower is better). */
export function spreadScore(pod: Pod, node: NodeInfo, pre: ReturnType<typeof spreadPreScore>): number {
  let score = 0;
  for (const { c, counts, weight } of pre) {
    const domain = node.node.metadata.labels?.[c.topologyKey];
    if (domain === undefined) continue;
    score += (counts.get(domain) ?? 0) * weight + (c.maxSkew - 1);
  }
  return Math.round(score);
}

/** 100 * (max + min - score) / max: the emptiest domain scores highest. */
export function spreadNormalize(scores: number[]): void {
  const max = Math.max(0, ...scores);
  const min = Math.min(...scores);
  for (let i = 0; i < scores.length; i++) scores[i] = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - scores[i]!)) / max);
}
