/**
 * InterPodAffinity (pkg/scheduler/framework/plugins/interpodaffinity): pod
 * affinity and anti-affinity across topology domains. Required terms
 * filter: the pod's affinity needs matching pods in the node's domains (or,
 * for the first pod of a group, to match its own terms); its anti-affinity
 * forbids them; an existing pod's anti-affinity keeps matching pods out of
 * its domain. Preferred terms, and what existing pods ask of this one,
 * score, normalized from the lowest to the highest. Pods without terms of
 * their own only look at the nodes that hold pods with terms.
 */
import type { Plugin } from '../framework.ts';
import type { NodeInfo } from '../node-info.ts';
import { termSelects, type AffinityTerm, type PodInfo, type WeightedAffinityTerm } from '../pod-info.ts';
import { Status } from '../status.ts';
import { MAX_NODE_SCORE } from './normalize.ts';

export const ERR_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
/** The weight an existing pod's required affinity gives a matching pod (hardPodAffinityWeight). */
export const HARD_POD_AFFINITY_WEIGHT = 1;

/** Counts per topology pair, keyed `key\0value`. */
type TopologyCounts = Map<string, number>;
const pair = (key: string, value: string) => `${key}\0${value}`;
const bump = (m: TopologyCounts, key: string, node: NodeInfo, by: number) => {
  const v = node.labels[key];
  if (v !== undefined) m.set(pair(key, v), (m.get(pair(key, v)) ?? 0) + by);
};

interface FilterState {
  existingAnti: TopologyCounts;
  affinity: TopologyCounts;
  anti: TopologyCounts;
}

const selectsAll = (terms: AffinityTerm[], target: PodInfo) => terms.every((t) => termSelects(t, target));

export function interPodAffinity(args: Record<string, unknown> | undefined): Plugin {
  const hardWeight = Number(args?.hardPodAffinityWeight ?? HARD_POD_AFFINITY_WEIGHT);
  const ignoreExisting = !!args?.ignorePreferredTermsOfExistingPods;
  return {
    name: 'InterPodAffinity',
    preFilter(state, pod, snapshot) {
      const s: FilterState = { existingAnti: new Map(), affinity: new Map(), anti: new Map() };
      for (const node of snapshot.havePodsWithRequiredAntiAffinity) {
        for (const other of node.podsWithRequiredAntiAffinity) for (const t of other.requiredAntiAffinity) if (termSelects(t, pod)) bump(s.existingAnti, t.topologyKey, node, 1);
      }
      if (pod.requiredAffinity.length || pod.requiredAntiAffinity.length) {
        for (const node of snapshot.nodes) {
          for (const other of node.pods.values()) {
            if (pod.requiredAffinity.length && selectsAll(pod.requiredAffinity, other)) for (const t of pod.requiredAffinity) bump(s.affinity, t.topologyKey, node, 1);
            for (const t of pod.requiredAntiAffinity) if (termSelects(t, other)) bump(s.anti, t.topologyKey, node, 1);
          }
        }
      } else if (s.existingAnti.size === 0) return Status.skip();
      state.write('InterPodAffinity', s);
      return Status.success();
    },
    filter(state, pod, node) {
      const s = state.read<FilterState>('InterPodAffinity')!;
      const labels = node.labels;
      let podsExist = true;
      for (const t of pod.requiredAffinity) {
        const v = labels[t.topologyKey];
        if (v === undefined) return Status.unresolvable(ERR_AFFINITY);
        if ((s.affinity.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
      }
      // The first pod of a group whose terms select itself may start it anywhere the keys exist.
      if (!podsExist && !(s.affinity.size === 0 && selectsAll(pod.requiredAffinity, pod))) return Status.unresolvable(ERR_AFFINITY);
      for (const t of pod.requiredAntiAffinity) {
        const v = labels[t.topologyKey];
        if (v !== undefined && (s.anti.get(pair(t.topologyKey, v)) ?? 0) > 0) return Status.unschedulable(ERR_ANTI_AFFINITY);
      }
      if (s.existingAnti.size) for (const k in labels) if ((s.existingAnti.get(pair(k, labels[k]!)) ?? 0) > 0) return Status.unschedulable(ERR_EXISTING_ANTI_AFFINITY);
      return Status.success();
    },
    preScore(state, pod, _feasible, snapshot) {
      const hasTerms = pod.preferredAffinity.length + pod.preferredAntiAffinity.length > 0;
      if (ignoreExisting && !hasTerms) return Status.skip();
      const scores: TopologyCounts = new Map();
      const terms = (list: WeightedAffinityTerm[], target: PodInfo, node: NodeInfo, sign: number) => {
        for (const w of list) if (termSelects(w.term, target)) bump(scores, w.term.topologyKey, node, sign * w.weight);
      };
      // Unless the pod has preferred terms of its own, only nodes with pods that have terms matter.
      for (const node of hasTerms ? snapshot.nodes : snapshot.havePodsWithAffinity) {
        const existing = hasTerms ? node.pods.values() : node.podsWithAffinity.values();
        for (const other of existing) {
          terms(pod.preferredAffinity, other, node, 1);
          terms(pod.preferredAntiAffinity, other, node, -1);
          if (hardWeight > 0) for (const t of other.requiredAffinity) if (termSelects(t, pod)) bump(scores, t.topologyKey, node, hardWeight);
          if (!ignoreExisting) {
            terms(other.preferredAffinity, pod, node, 1);
            terms(other.preferredAntiAffinity, pod, node, -1);
          }
        }
      }
      if (scores.size === 0) return Status.skip();
      state.write('InterPodAffinity/score', scores);
      return Status.success();
    },
    score(state, _pod, node) {
      const scores = state.read<TopologyCounts>('InterPodAffinity/score')!;
      let score = 0;
      for (const k in node.labels) score += scores.get(pair(k, node.labels[k]!)) ?? 0;
      return score;
    },
    // (score - min) * 100 / (max - min); all equal: 0.
    normalizeScore(_state, _pod, scores) {
      let max = -Infinity;
      let min = Infinity;
      for (const s of scores) {
        if (s > max) max = s;
        if (s < min) min = s;
      }
      for (let i = 0; i < scores.length; i++) scores[i] = max > min ? Math.trunc((MAX_NODE_SCORE * (scores[i]! - min)) / (max - min)) : 0;
    },
  };
}

