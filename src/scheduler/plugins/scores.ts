/**
 * kube-scheduler's scoring plugins of the default profile, with their
 * default weights: TaintToleration (3), NodeAffinity (2), NodeResourcesFit
 * (1, LeastAllocated over cpu and memory), PodTopologySpread (2),
 * InterPodAffinity (2), NodeResourcesBalancedAllocation (1) and
 * ImageLocality (1). Scores are 0–100 (framework.MaxNodeScore) after
 * NormalizeScore.
 */
import { tolerates, type Pod } from '../../api/index.ts';
import { preferredNodeAffinity, termMatches } from '../affinity.ts';
import { podRequests, type NodeInfo } from '../node-info.ts';
import type { CycleState } from '../status.ts';
import { interPodAffinityNormalize, interPodAffinityPreScore, interPodAffinityScore } from './inter-pod-affinity.ts';
import { spreadNormalize, spreadPreScore, spreadScore } from './topology-spread.ts';

export const MAX_NODE_SCORE = 100;

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  /** PreScore: once per cycle, what scoring each node needs (kept in the CycleState). */
  preScore?(pod: Pod, all: NodeInfo[], state: CycleState): void;
  score(pod: Pod, node: NodeInfo, all: NodeInfo[], state?: CycleState): number;
  /** Brings the raw scores of all nodes to 0–100 (in place). */
  normalize?(scores: number[]): void;
}

/** helper.DefaultNormalizeScore: scale to 0–100 by the highest score; reversed, higher raw is worse. */
export function defaultNormalize(scores: number[], reverse: boolean): void {
  const max = Math.max(0, ...scores);
  for (let i = 0; i < scores.length; i++) {
    if (max === 0) scores[i] = reverse ? MAX_NODE_SCORE : 0;
    else {
      const s = Math.floor((scores[i]! * MAX_NODE_SCORE) / max);
      scores[i] = reverse ? MAX_NODE_SCORE - s : s;
    }
  }
}

export const TaintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  // PreferNoSchedule taints the pod does not tolerate (tolerations of that effect, or of none).
  score(pod, node) {
    const tolerations = (pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    return (node.node.spec?.taints ?? []).filter((t) => t.effect === 'PreferNoSchedule' && !tolerations.some((x) => tolerates(x, t))).length;
  },
  normalize: (scores) => defaultNormalize(scores, true),
};

export const NodeAffinityScore: ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  score(pod, node) {
    return preferredNodeAffinity(pod).reduce((sum, p) => sum + (p.weight && termMatches(p.preference, node.node) ? p.weight : 0), 0);
  },
  normalize: (scores) => defaultNormalize(scores, false),
};

/** The pod's and the node's non-zero requests against the node's allocatable, for cpu and memory. */
function resourceParts(pod: Pod, node: NodeInfo): Array<[requested: number, capacity: number]> {
  const req = podRequests(pod, true);
  return [
    [node.nonZeroRequested.milliCPU + req.milliCPU, node.allocatable.milliCPU],
    [node.nonZeroRequested.memory + req.memory, node.allocatable.memory],
  ];
}

/** (allocatable - requested) / allocatable per resource, averaged with equal weights (LeastAllocated). */
export function leastAllocated(pod: Pod, node: NodeInfo): number {
  const parts = resourceParts(pod, node);
  const sum = parts.reduce((n, [requested, capacity]) => n + (capacity === 0 || requested > capacity ? 0 : Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity)), 0);
  return Math.floor(sum / parts.length);
}

/** requested / allocatable per resource, averaged with equal weights (MostAllocated). */
export function mostAllocated(pod: Pod, node: NodeInfo): number {
  const parts = resourceParts(pod, node);
  const sum = parts.reduce((n, [requested, capacity]) => n + (capacity === 0 ? 0 : Math.floor((Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity)), 0);
  return Math.floor(sum / parts.length);
}

export const NodeResourcesFitScore: ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  score: leastAllocated,
};

export const NodeResourcesBalancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  // 1 - the standard deviation of the requested fractions (cpu, memory), as 0–100.
  score(pod, node) {
    const fractions = resourceParts(pod, node).map(([requested, capacity]) => Math.min(1, capacity ? requested / capacity : 1));
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    const std = Math.sqrt(fractions.reduce((s, f) => s + (f - mean) ** 2, 0) / fractions.length);
    return Math.floor((1 - std) * MAX_NODE_SCORE);
  },
};

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** The names a container's image may be listed under on a node. */
const imageNames = (image: string) => [image, image.includes(':') ? image : `${image}:latest`, `docker.io/${image}`, `docker.io/library/${image}`];

export const ImageLocality: ScorePlugin = {
  name: 'ImageLocality',
  weight: 1,
  // PreScore: how many nodes hold each of the pod's images.
  preScore(pod, all, state) {
    const spread = new Map<string, number>();
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      const names = imageNames(c.image ?? '');
      spread.set(c.image ?? '', all.filter((n) => names.some((x) => n.images.has(x))).length / Math.max(1, all.length));
    }
    state.write('ImageLocality', spread);
  },
  // Images the node already has, each counted by how widely it is spread.
  score(pod, node, all, state) {
    const spread = state?.read<Map<string, number>>('ImageLocality');
    const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
    let sum = 0;
    for (const c of containers) {
      const names = imageNames(c.image ?? '');
      const size = names.map((n) => node.images.get(n)).find((s) => s !== undefined);
      if (size === undefined) continue;
      const share = spread?.get(c.image ?? '') ?? all.filter((n) => names.some((x) => n.images.has(x))).length / Math.max(1, all.length);
      sum += size * share;
    }
    const max = MAX_CONTAINER_THRESHOLD * containers.length;
    const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), max);
    return Math.floor((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
  },
};

export const PodTopologySpreadScore: ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  preScore: (pod, all, state) => state.write('PodTopologySpread/score', spreadPreScore(pod, all)),
  score: (pod, node, all, state) => spreadScore(pod, node, state?.read('PodTopologySpread/score') ?? spreadPreScore(pod, all)),
  normalize: spreadNormalize,
};
export const InterPodAffinityScore: ScorePlugin = {
  name: 'InterPodAffinity',
  weight: 2,
  preScore: (pod, all, state) => state.write('InterPodAffinity/score', interPodAffinityPreScore(pod, all)),
  score: (pod, node, all, state) => interPodAffinityScore(node, state?.read('InterPodAffinity/score') ?? interPodAffinityPreScore(pod, all)),
  normalize: interPodAffinityNormalize,
};

/** The default profile's scores, in its order, with its weights. */
export const SCORES: ScorePlugin[] = [TaintTolerationScore, NodeAffinityScore, NodeResourcesFitScore, PodTopologySpreadScore, InterPodAffinityScore, NodeResourcesBalancedAllocation, ImageLocality];
