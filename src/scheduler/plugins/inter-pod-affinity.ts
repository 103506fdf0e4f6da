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

/** PreFilter's state: what each node's filter checks, counted once over every pod of the cluster. */
export interface AffinityState {
  /** `key=value` domains an existing pod's anti-affinity keeps this pod out of. */
  existingAnti: Set<string>;
  /** Per required affinity term: matching pods per domain value, and whether any matches anywhere. */
  affinity: Array<{ term: AffinityTerm; domains: Set<string>; anywhere: boolean; self: boolean }>;
  /** Per required anti-affinity term: domain values holding a matching pod. */
  anti: Array<{ term: AffinityTerm; domains: Set<string> }>;
}

export function interPodAffinityPreFilter(pod: Pod, all: NodeInfo[]): AffinityState {
  const state: AffinityState = {
    existingAnti: new Set(),
    affinity: required(pod, 'podAffinity').map((term) => ({ term, domains: new Set<string>(), anywhere: false, self: termMatches(term, pod, pod) })),
    anti: required(pod, 'podAntiAffinity').map((term) => ({ term, domains: new Set<string>() })),
  };
  for (const [other, where] of pods(all)) {
    for (const t of required(other, 'podAntiAffinity')) {
      const d = domainOf(where, t.topologyKey);
      if (d !== undefined && termMatches(t, other, pod)) state.existingAnti.add(`${t.topologyKey}=${d}`);
    }
    for (const a of state.affinity) {
      if (!termMatches(a.term, pod, other)) continue;
      a.anywhere = true;
      const d = domainOf(where, a.term.topologyKey);
      if (d !== undefined) a.domains.add(d);
    }
    for (const a of state.anti) {
      const d = domainOf(where, a.term.topologyKey);
      if (d !== undefined && termMatches(a.term, pod, other)) a.domains.add(d);
    }
  }
  return state;
}

export function interPodAffinityFilter(pod: Pod, node: NodeInfo, state: AffinityState): Status {
  const labels = node.node.metadata.labels ?? {};
  for (const key of state.existingAnti) {
    const [k, v] = [key.slice(0, key.indexOf('=')), key.slice(key.indexOf('=') + 1)];
    if (labels[k] === v) return Status.unschedulable(ERR_EXISTING_ANTI_AFFINITY);
  }
  for (const a of state.affinity) {
    const d = labels[a.term.topologyKey];
    // The first pod of a group that asks for itself may go anywhere the key exists.
    const ok = d !== undefined && (a.domains.has(d) || (!a.anywhere && a.self));
    if (!ok) return Status.unresolvable(ERR_AFFINITY);
  }
  for (const a of state.anti) {
    const d = labels[a.term.topologyKey];
    if (d !== undefined && a.domains.has(d)) return Status.unschedulable(ERR_ANTI_AFFINITY);
  }
  return Status.success();
}

/** PreScore: the weight each `key=value` domain carries for this pod, summed once over every pod. */
export function interPodAffinityPreScore(pod: Pod, all: NodeInfo[]): Map<string, Map<string, number>> {
  const byKey = new Map<string, Map<string, number>>();
  const add = (key: string, where: NodeInfo, weight: number) => {
    const d = domainOf(where, key);
    if (d === undefined) return;
    let m = byKey.get(key);
    if (!m) byKey.set(key, (m = new Map()));
    m.set(d, (m.get(d) ?? 0) + weight);
  };
  for (const [other, where] of pods(all)) {
    for (const w of preferred(pod, 'podAffinity')) if (termMatches(w.podAffinityTerm, pod, other)) add(w.podAffinityTerm.topologyKey, where, w.weight);
    for (const w of preferred(pod, 'podAntiAffinity')) if (termMatches(w.podAffinityTerm, pod, other)) add(w.podAffinityTerm.topologyKey, where, -w.weight);
    // What existing pods ask about this one counts too.
    for (const t of required(other, 'podAffinity')) if (termMatches(t, other, pod)) add(t.topologyKey, where, HARD_POD_AFFINITY_WEIGHT);
    for (const w of preferred(other, 'podAffinity')) if (termMatches(w.podAffinityTerm, other, pod)) add(w.podAffinityTerm.topologyKey, where, w.weight);
    for (const w of preferred(other, 'podAntiAffinity')) if (termMatches(w.podAffinityTerm, other, pod)) add(w.podAffinityTerm.topologyKey, where, -w.weight);
  }
  return byKey;
}

export function interPodAffinityScore(node: NodeInfo, pre: Map<string, Map<string, number>>): number {
  let score = 0;
  for (const [key, domains] of pre) {
    const d = domainOf(node, key);
    if (d !== undefined) score += domains.get(d) ?? 0;
  }
  return score;
}

/** (score - min) * 100 / (max - min); all equal: 0. */
export function interPodAffinityNormalize(scores: number[]): void {
  const max = Math.max(...scores);
  const min = Math.min(...scores);
  for (let i = 0; i < scores.length; i++) scores[i] = max > min ? Math.floor((MAX_NODE_SCORE * (scores[i]! - min)) / (max - min)) : 0;
}
