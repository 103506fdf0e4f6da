/**
 * NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources): the pod
 * fits when the node has room for its requests (pods, cpu, memory,
 * ephemeral-storage, extended resources); it scores by the configured
 * strategy over cpu and memory (LeastAllocated by default, MostAllocated,
 * RequestedToCapacityRatio), with each resource's weight. And
 * NodeResourcesBalancedAllocation, which favours nodes whose cpu and memory
 * would be used in equal shares (skipped for pods that request nothing).
 */
import type { Plugin, PluginArgs } from '../framework.ts';
import type { NodeInfo } from '../node-info.ts';
import type { PodInfo } from '../pod-info.ts';
import type { Resource } from '../resources.ts';
import { Status } from '../status.ts';
import { MAX_NODE_SCORE } from './normalize.ts';

/** The resources a pod lacks on a node (fitsRequest), in upstream's order: pods, cpu, memory, ephemeral-storage, extended. */
export function insufficient(pod: PodInfo, node: NodeInfo): string[] {
  const out: string[] = [];
  if (node.pods.size + 1 > node.allowedPodNumber) out.push('Too many pods');
  const r = pod.requests;
  const short = (want: number, used: number, has: number) => want > 0 && want > has - used;
  if (short(r.milliCPU, node.requested.milliCPU, node.allocatable.milliCPU)) out.push('Insufficient cpu');
  if (short(r.memory, node.requested.memory, node.allocatable.memory)) out.push('Insufficient memory');
  if (short(r.ephemeralStorage, node.requested.ephemeralStorage, node.allocatable.ephemeralStorage)) out.push('Insufficient ephemeral-storage');
  for (const name in r.scalar) if (short(r.scalar[name]!, node.requested.scalar[name] ?? 0, node.allocatable.scalar[name] ?? 0)) out.push(`Insufficient ${name}`);
  return out;
}

interface ResourceWeight {
  name: 'cpu' | 'memory';
  weight: number;
}

interface ShapePoint {
  utilization: number;
  score: number;
}

type Strategy = (requested: number, capacity: number) => number;

const leastAllocated: Strategy = (requested, capacity) => (capacity === 0 || requested > capacity ? 0 : Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity));
const mostAllocated: Strategy = (requested, capacity) => (capacity === 0 ? 0 : Math.floor((Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity));

/** RequestedToCapacityRatio's broken-linear function of utilization (0–100) to a score (0–10, scaled to 0–100). */
function requestedToCapacityRatio(shape: ShapePoint[]): Strategy {
  const points = [...shape].sort((a, b) => a.utilization - b.utilization).map((p) => ({ utilization: p.utilization, score: p.score * (MAX_NODE_SCORE / 10) }));
  const f = (u: number) => {
    if (u <= points[0]!.utilization) return points[0]!.score;
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1]!, points[i]!];
      if (u <= b.utilization) return a.score + Math.trunc(((b.score - a.score) * (u - a.utilization)) / (b.utilization - a.utilization));
    }
    return points.at(-1)!.score;
  };
  return (requested, capacity) => (capacity === 0 || requested > capacity ? f(100) : f(Math.floor((requested * 100) / capacity)));
}

const hasScalar = (r: Resource) => {
  for (const _ in r.scalar) return true;
  return false;
};

const amount = (r: { milliCPU: number; memory: number }, name: 'cpu' | 'memory') => (name === 'cpu' ? r.milliCPU : r.memory);

/** NodeResourcesFit, with its args (scoringStrategy: type, resources, requestedToCapacityRatio.shape). */
export function nodeResourcesFit(args: PluginArgs): Plugin {
  const strategy = (args?.scoringStrategy ?? {}) as { type?: string; resources?: ResourceWeight[]; requestedToCapacityRatio?: { shape?: ShapePoint[] } };
  const type = strategy.type ?? 'LeastAllocated';
  const resources = strategy.resources?.length ? strategy.resources : [{ name: 'cpu' as const, weight: 1 }, { name: 'memory' as const, weight: 1 }];
  const scorer =
    type === 'LeastAllocated'
      ? leastAllocated
      : type === 'MostAllocated'
        ? mostAllocated
        : type === 'RequestedToCapacityRatio'
          ? requestedToCapacityRatio(strategy.requestedToCapacityRatio?.shape ?? [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }])
          : undefined;
  if (!scorer) throw new Error(`scoringStrategy.type: Unsupported value: ${JSON.stringify(type)}: supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"`);
  const round = type === 'RequestedToCapacityRatio' ? Math.round : Math.floor;
  const cpuAndMemory = resources.length === 2 && resources[0]!.name === 'cpu' && resources[1]!.name === 'memory' && resources[0]!.weight === 1 && resources[1]!.weight === 1;
  return {
    name: 'NodeResourcesFit',
    preFilter: () => Status.success(),
    filter(_state, pod, node) {
      // The common case at a glance; the reasons only for a node that does not fit.
      const r = pod.requests;
      const fits =
        node.pods.size < node.allowedPodNumber &&
        r.milliCPU <= node.allocatable.milliCPU - node.requested.milliCPU &&
        r.memory <= node.allocatable.memory - node.requested.memory &&
        r.ephemeralStorage <= node.allocatable.ephemeralStorage - node.requested.ephemeralStorage;
      if (fits && !hasScalar(r)) return Status.success();
      const missing = insufficient(pod, node);
      return missing.length ? Status.unschedulable(...missing) : Status.success();
    },
    // The node's non-zero requests with the pod's, against its allocatable, per resource and weight.
    score(_state, pod, node) {
      if (cpuAndMemory) {
        const cpu = scorer(node.nonZeroRequested.milliCPU + pod.nonZero.milliCPU, node.allocatable.milliCPU);
        const memory = scorer(node.nonZeroRequested.memory + pod.nonZero.memory, node.allocatable.memory);
        return round((cpu + memory) / 2);
      }
      let score = 0;
      let weights = 0;
      for (const { name, weight } of resources) {
        score += scorer(amount(node.nonZeroRequested, name) + amount(pod.nonZero, name), amount(node.allocatable, name)) * weight;
        weights += weight;
      }
      return weights ? round(score / weights) : 0;
    },
  };
}

/** The requested share of a resource, at most 1. */
const share = (requested: number, capacity: number) => (capacity ? Math.min(1, requested / capacity) : 1);

export const NodeResourcesBalancedAllocation: Plugin = {
  name: 'NodeResourcesBalancedAllocation',
  preScore: (_state, pod) => (pod.requests.milliCPU === 0 && pod.requests.memory === 0 ? Status.skip() : Status.success()),
  // 1 - the standard deviation of the requested shares of cpu and memory, as 0–100.
  score(_state, pod, node) {
    const cpu = share(node.requested.milliCPU + pod.requests.milliCPU, node.allocatable.milliCPU);
    const memory = share(node.requested.memory + pod.requests.memory, node.allocatable.memory);
    const std = Math.abs(cpu - memory) / 2;
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  },
};
