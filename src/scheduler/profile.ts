/**
 * Scheduling profiles from a KubeSchedulerConfiguration (a subset of
 * kubescheduler.config.k8s.io/v1): several profiles chosen by a pod's
 * schedulerName; per profile, filter and score plugins enabled or disabled
 * (`*` disables every default), score weights, and NodeResourcesFit's
 * scoringStrategy (LeastAllocated, MostAllocated, RequestedToCapacityRatio);
 * and percentageOfNodesToScore. Plugins are looked up by their upstream
 * names in a registry.
 */
import type { Pod } from '../api/index.ts';
import type { NodeInfo } from './node-info.ts';
import { FILTERS, type FilterPlugin } from './plugins/filters.ts';
import { MAX_NODE_SCORE, SCORES, leastAllocated, mostAllocated, type ScorePlugin } from './plugins/scores.ts';
import { podRequests } from './node-info.ts';

export interface PluginRef {
  name: string;
  weight?: number;
}

export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}

export interface ProfileConfig {
  schedulerName?: string;
  plugins?: { filter?: PluginSet; score?: PluginSet; multiPoint?: PluginSet };
  pluginConfig?: Array<{ name: string; args?: Record<string, unknown> }>;
}

export interface SchedulerConfiguration {
  apiVersion?: string;
  kind?: string;
  profiles?: ProfileConfig[];
  /** 0 (or unset): kube-scheduler's adaptive default. */
  percentageOfNodesToScore?: number;
}

export interface Profile {
  schedulerName: string;
  filters: FilterPlugin[];
  scores: ScorePlugin[];
}

interface ShapePoint {
  utilization: number;
  score: number;
}

/** RequestedToCapacityRatio: a piecewise-linear function of utilization (0–100) to a score (0–10, scaled to 0–100). */
function requestedToCapacityRatio(shape: ShapePoint[]): (pod: Pod, node: NodeInfo) => number {
  const points = [...shape].sort((a, b) => a.utilization - b.utilization);
  const f = (u: number) => {
    if (u <= points[0]!.utilization) return points[0]!.score;
    for (let i = 1; i < points.length; i++) {
      const [a, b] = [points[i - 1]!, points[i]!];
      if (u <= b.utilization) return a.score + ((b.score - a.score) * (u - a.utilization)) / (b.utilization - a.utilization);
    }
    return points.at(-1)!.score;
  };
  return (pod, node) => {
    const req = podRequests(pod, true);
    const parts: Array<[number, number]> = [
      [node.nonZeroRequested.milliCPU + req.milliCPU, node.allocatable.milliCPU],
      [node.nonZeroRequested.memory + req.memory, node.allocatable.memory],
    ];
    const scores = parts.map(([r, c]) => (c ? f(Math.min(100, (r * 100) / c)) * (MAX_NODE_SCORE / 10) : 0));
    return Math.round(scores.reduce((a, b) => a + b, 0) / scores.length);
  };
}

/** NodeResourcesFit's scoring with its configured strategy. */
function resourcesFitScore(args: Record<string, unknown> | undefined, weight: number): ScorePlugin {
  const strategy = (args?.scoringStrategy ?? {}) as { type?: string; requestedToCapacityRatio?: { shape?: ShapePoint[] } };
  const type = strategy.type ?? 'LeastAllocated';
  const score =
    type === 'MostAllocated'
      ? mostAllocated
      : type === 'RequestedToCapacityRatio'
        ? requestedToCapacityRatio(strategy.requestedToCapacityRatio?.shape ?? [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }])
        : type === 'LeastAllocated'
          ? leastAllocated
          : undefined;
  if (!score) throw new Error(`scoringStrategy.type: Unsupported value: ${JSON.stringify(type)}: supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"`);
  return { name: 'NodeResourcesFit', weight, score };
}

function pick<T extends { name: string }>(defaults: T[], set: PluginSet | undefined, known: Map<string, T>, what: string): T[] {
  const disabled = new Set((set?.disabled ?? []).map((p) => p.name));
  const out = disabled.has('*') ? [] : defaults.filter((p) => !disabled.has(p.name));
  for (const ref of set?.enabled ?? []) {
    const plugin = known.get(ref.name);
    if (!plugin) throw new Error(`${what} plugin ${JSON.stringify(ref.name)} does not exist`);
    const at = out.findIndex((p) => p.name === ref.name);
    if (at >= 0) out.splice(at, 1);
    out.push(plugin);
  }
  return out;
}

/** The profiles a configuration describes (the default profile when it has none). */
export function buildProfiles(config: SchedulerConfiguration = {}): Profile[] {
  const configs = config.profiles?.length ? config.profiles : [{}];
  const names = new Set<string>();
  return configs.map((c) => {
    const schedulerName = c.schedulerName ?? 'default-scheduler';
    if (names.has(schedulerName)) throw new Error(`profiles[].schedulerName: Duplicate value: ${JSON.stringify(schedulerName)}`);
    names.add(schedulerName);
    const args = new Map((c.pluginConfig ?? []).map((p) => [p.name, p.args]));
    const filters = pick(FILTERS, c.plugins?.filter ?? c.plugins?.multiPoint, new Map(FILTERS.map((f) => [f.name, f])), 'filter');
    const weights = new Map([...(c.plugins?.multiPoint?.enabled ?? []), ...(c.plugins?.score?.enabled ?? [])].filter((r) => r.weight).map((r) => [r.name, r.weight!]));
    const known = new Map(SCORES.map((s) => [s.name, s]));
    const scores = pick(SCORES, c.plugins?.score ?? c.plugins?.multiPoint, known, 'score').map((s) => {
      const weight = weights.get(s.name) ?? s.weight;
      return s.name === 'NodeResourcesFit' ? resourcesFitScore(args.get('NodeResourcesFit'), weight) : { ...s, weight };
    });
    return { schedulerName, filters, scores };
  });
}

/** numFeasibleNodesToFind: every node in small clusters; otherwise a share that shrinks as the cluster grows, never under 100. */
export function nodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < 100 || percentage >= 100) return numAllNodes;
  let p = percentage;
  if (p <= 0) p = Math.max(5, 50 - Math.floor(numAllNodes / 125));
  return Math.max(Math.floor((numAllNodes * p) / 100), 100);
}
