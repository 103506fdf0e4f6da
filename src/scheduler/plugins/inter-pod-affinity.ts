/**
 * InterPodAffinity (pkg/scheduler/framework/plugins/interpodaffinity): pod
 * affinity and anti-affinity across topology domains. Required terms filter:
 * the pod's affinity needs a matching pod in the node's domain (or, for the
 * first pod of a group, to match its own term); its anti-affinity forbids
 * one; and an existing pod's anti-affinity keeps matching pods out of its
 * domain. Preferred terms (and existing pods' terms about this pod) score,
 * normalized from the lowest to the highest.
 */
import { fromLabelSelector, matches, type LabelSelector, type Pod } from '../../api/index.ts';
import type { NodeInfo } from '../node-info.ts';
import { Status } from '../status.ts';
import { MAX_NODE_SCORE } from './scores.ts';

export interface AffinityTerm {
  labelSelector?: LabelSelector;
  namespaces?: string[];
  topologyKey: string;
}

interface WeightedTerm {
  weight: number;
  podAffinityTerm: AffinityTerm;
}

export const ERR_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
/** The weight an existing pod's required affinity gives a matching pod (hardPodAffinityWeight). */
export const HARD_POD_AFFINITY_WEIGHT = 1;

const spec = (p: Pod) => (p.spec.affinity ?? {}) as { podAffinity?: Record<string, unknown>; podAntiAffinity?: Record<string, unknown> };
const required = (p: Pod, kind: 'podAffinity' | 'podAntiAffinity') => (spec(p)[kind]?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as AffinityTerm[];
const preferred = (p: Pod, kind: 'podAffinity' | 'podAntiAffinity') => (spec(p)[kind]?.preferredDuringSchedulingIgnoredDuringExecution ?? []) as WeightedTerm[];

/** Whether `target` is what `term` (written on `owner`) selects: its labels, in the term's namespaces. */
function termMatches(term: AffinityTerm, owner: Pod, target: Pod): boolean {
  const namespaces = term.namespaces?.length ? term.namespaces : [owner.metadata.namespace ?? 'default'];
  return namespaces.includes(target.metadata.namespace ?? 'default') && matches(fromLabelSelector(term.labelSelector), target.metadata.labels);
}

const domainOf = (n: NodeInfo, key: string) => n.node.metadata.labels?.[key];

function* pods(all: NodeInfo[]): Generator<[Pod, NodeInfo]> {
  for (const n of all) for (const p of n.pods.values()) if (!p.pod.metadata.deletionTimestamp) yield [p.pod, n];
}

export function interPodAffinityFilter(pod: Pod, node: NodeInfo, all: NodeInfo[]): Status {
  // Existing pods' anti-affinity.
  for (const [other, where] of pods(all)) {
    for (const t of required(other, 'podAntiAffinity')) {
      const d = domainOf(where, t.topologyKey);
      if (d !== undefined && d === domainOf(node, t.topologyKey) && termMatches(t, other, pod)) return Status.unschedulable(ERR_EXISTING_ANTI_AFFINITY);
    }
  }
  for (const t of required(pod, 'podAffinity')) {
    const d = domainOf(node, t.topologyKey);
    let anywhere = false;
    let here = false;
    for (const [other, where] of pods(all)) {
      if (!termMatches(t, pod, other)) continue;
      anywhere = true;
      if (d !== undefined && domainOf(where, t.topologyKey) === d) here = true;
    }
    // The first pod of a group that asks for itself may go anywhere the key exists.
    if (!here && !(d !== undefined && !anywhere && termMatches(t, pod, pod))) return Status.unresolvable(ERR_AFFINITY);
  }
  for (const t of required(pod, 'podAntiAffinity')) {
    const d = domainOf(node, t.topologyKey);
    if (d === undefined) continue;
    for (const [other, where] of pods(all)) if (domainOf(where, t.topologyKey) === d && termMatches(t, pod, other)) return Status.unschedulable(ERR_ANTI_AFFINITY);
  }
  return Status.success();
}

export function interPodAffinityScore(pod: Pod, node: NodeInfo, all: NodeInfo[]): number {
  let score = 0;
  const sameDomain = (where: NodeInfo, key: string) => domainOf(node, key) !== undefined && domainOf(node, key) === domainOf(where, key);
  for (const [other, where] of pods(all)) {
    for (const w of preferred(pod, 'podAffinity')) if (sameDomain(where, w.podAffinityTerm.topologyKey) && termMatches(w.podAffinityTerm, pod, other)) score += w.weight;
    for (const w of preferred(pod, 'podAntiAffinity')) if (sameDomain(where, w.podAffinityTerm.topologyKey) && termMatches(w.podAffinityTerm, pod, other)) score -= w.weight;
    // What existing pods ask about this one counts too.
    for (const t of required(other, 'podAffinity')) if (sameDomain(where, t.topologyKey) && termMatches(t, other, pod)) score += HARD_POD_AFFINITY_WEIGHT;
    for (const w of preferred(other, 'podAffinity')) if (sameDomain(where, w.podAffinityTerm.topologyKey) && termMatches(w.podAffinityTerm, other, pod)) score += w.weight;
    for (const w of preferred(other, 'podAntiAffinity')) if (sameDomain(where, w.podAffinityTerm.topologyKey) && termMatches(w.podAffinityTerm, other, pod)) score -= w.weight;
  }
  return score;
}

/** (score - min) * 100 / (max - min); all equal: 0. */
export function interPodAffinityNormalize(scores: number[]): void {
  const max = Math.max(...scores);
  const min = Math.min(...scores);
  for (let i = 0; i < scores.length; i++) scores[i] = max > min ? Math.floor((MAX_NODE_SCORE * (scores[i]! - min)) / (max - min)) : 0;
}
