/**
 * PodTopologySpread (pkg/scheduler/framework/plugins/podtopologyspread):
 * DoNotSchedule constraints filter, ScheduleAnyway constraints score. A
 * domain's count is the pods matching the constraint's selector (in the
 * pod's namespace, not terminating) on the nodes of that domain that the
 * node inclusion policies admit (nodeAffinityPolicy Honor and
 * nodeTaintsPolicy Ignore by default). A node passes when its domain's
 * count, plus one if the pod matches its own selector, minus the smallest
 * count (zero while fewer domains than minDomains exist) is at most
 * maxSkew. A pod with no constraints of its own is spread by the system
 * defaults (3 per hostname, 5 per zone, scored only) over the pods that its
 * Services and its controller select (helper.DefaultSelector).
 */
import { fromLabelSelector, matches, tolerates, type ApiStore, type LabelSelector, type Selector } from '../../api/index.ts';
import type { Plugin } from '../framework.ts';
import type { NodeInfo } from '../node-info.ts';
import type { PodInfo } from '../pod-info.ts';
import { Status } from '../status.ts';
import { nodeAllows } from './node-basics.ts';
import { MAX_NODE_SCORE } from './normalize.ts';

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelector;
  minDomains?: number;
  matchLabelKeys?: string[];
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
}

interface Constraint extends SpreadConstraint {
  selector: Selector;
}

/** The system default constraints (ScheduleAnyway only). */
export const DEFAULT_CONSTRAINTS: SpreadConstraint[] = [
  { maxSkew: 3, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
];

export const ERR_SPREAD = "node(s) didn't match pod topology spread constraints";
export const ERR_SPREAD_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";
const HOSTNAME = 'kubernetes.io/hostname';

/** helper.DefaultSelector: the selectors of the Services that select the pod, and of its controller. */
export function defaultSelector(pod: PodInfo, api?: ApiStore): Selector {
  const labels: Record<string, string> = {};
  if (!api) return [];
  for (const svc of api.list('Service', { namespace: pod.namespace }).items) {
    const sel = (svc.spec as { selector?: Record<string, string> })?.selector;
    if (sel && Object.keys(sel).length && Object.entries(sel).every(([k, v]) => pod.labels[k] === v)) Object.assign(labels, sel);
  }
  const selector: Selector = Object.entries(labels).map(([key, v]) => ({ key, operator: 'In' as const, values: [v] }));
  const owner = pod.pod.metadata.ownerReferences?.find((r) => r.controller);
  if (owner?.kind === 'ReplicaSet' && owner.apiVersion === 'apps/v1') {
    const rs = api.tryGet('ReplicaSet', pod.namespace, owner.name);
    if (rs) selector.push(...fromLabelSelector((rs.spec as { selector?: LabelSelector }).selector));
  }
  return selector;
}

function constraintsOf(pod: PodInfo, which: SpreadConstraint['whenUnsatisfiable'], api?: ApiStore): { constraints: Constraint[]; defaulted: boolean } {
  const own = (pod.pod.spec.topologySpreadConstraints ?? []) as unknown as SpreadConstraint[];
  if (own.length) {
    const constraints = own
      .filter((c) => c.whenUnsatisfiable === which)
      .map((c) => {
        const selector = fromLabelSelector(c.labelSelector);
        for (const k of c.matchLabelKeys ?? []) if (pod.labels[k] !== undefined) selector.push({ key: k, operator: 'In', values: [pod.labels[k]!] });
        return { ...c, selector };
      });
    return { constraints, defaulted: false };
  }
  if (which !== 'ScheduleAnyway') return { constraints: [], defaulted: true };
  const selector = defaultSelector(pod, api);
  return { constraints: selector.length ? DEFAULT_CONSTRAINTS.map((c) => ({ ...c, selector })) : [], defaulted: true };
}

/** matchNodeInclusionPolicies: the node counts for the constraint's domains. */
function includes(c: Constraint, pod: PodInfo, node: NodeInfo): boolean {
  if ((c.nodeAffinityPolicy ?? 'Honor') === 'Honor' && !nodeAllows(pod, node)) return false;
  if (c.nodeTaintsPolicy === 'Honor') {
    const untolerated = node.taints.some((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !pod.tolerations.some((x) => tolerates(x, t)));
    if (untolerated) return false;
  }
  return true;
}

/** Matching pods on one node: the pod's namespace, not terminating. */
function countOn(node: NodeInfo, selector: Selector, namespace: string): number {
  let n = 0;
  for (const p of node.pods.values()) if (p.namespace === namespace && !p.terminating && matches(selector, p.labels)) n++;
  return n;
}

const hasAllKeys = (node: NodeInfo, cs: Constraint[]) => cs.every((c) => node.labels[c.topologyKey] !== undefined);

interface FilterState {
  constraints: Array<{ c: Constraint; counts: Map<string, number>; min: number; self: number }>;
}

interface ScoreState {
  constraints: Constraint[];
  /** Per constraint (not hostname), the count of each domain a feasible node is in. */
  counts: Array<Map<string, number>>;
  weights: number[];
  ignored: Set<string>;
}

export function podTopologySpread(_args: unknown, api?: ApiStore): Plugin {
  return {
    name: 'PodTopologySpread',
    preFilter(state, pod, snapshot) {
      const { constraints } = constraintsOf(pod, 'DoNotSchedule');
      if (constraints.length === 0) return Status.skip();
      const counts = constraints.map(() => new Map<string, number>());
      for (const node of snapshot.nodes) {
        if (!hasAllKeys(node, constraints)) continue;
        constraints.forEach((c, i) => {
          if (!includes(c, pod, node)) return;
          const v = node.labels[c.topologyKey]!;
          counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + countOn(node, c.selector, pod.namespace));
        });
      }
      const s: FilterState = {
        constraints: constraints.map((c, i) => {
          const m = counts[i]!;
          let min = m.size ? Infinity : 0;
          for (const n of m.values()) if (n < min) min = n;
          if (m.size < (c.minDomains ?? 1)) min = 0;
          return { c, counts: m, min, self: matches(c.selector, pod.labels) ? 1 : 0 };
        }),
      };
      state.write('PodTopologySpread', s);
      return Status.success();
    },
    filter(state, _pod, node) {
      for (const { c, counts, min, self } of state.read<FilterState>('PodTopologySpread')!.constraints) {
        const v = node.labels[c.topologyKey];
        if (v === undefined) return Status.unresolvable(ERR_SPREAD_LABEL);
        if ((counts.get(v) ?? 0) + self - min > c.maxSkew) return Status.unschedulable(ERR_SPREAD);
      }
      return Status.success();
    },
    preScore(state, pod, feasible, snapshot) {
      const { constraints, defaulted } = constraintsOf(pod, 'ScheduleAnyway', api);
      if (constraints.length === 0) return Status.skip();
      // The system defaults also count nodes that lack some of the keys.
      const requireAll = !defaulted;
      const s: ScoreState = { constraints, counts: constraints.map(() => new Map()), weights: [], ignored: new Set() };
      const sizes = constraints.map(() => 0);
      for (const node of feasible) {
        if (requireAll && !hasAllKeys(node, constraints)) {
          s.ignored.add(node.name);
          continue;
        }
        constraints.forEach((c, i) => {
          const v = node.labels[c.topologyKey];
          if (c.topologyKey === HOSTNAME || v === undefined || s.counts[i]!.has(v)) return;
          s.counts[i]!.set(v, 0);
          sizes[i]!++;
        });
      }
      s.weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? feasible.length - s.ignored.size : sizes[i]!) + 2));
      for (const node of snapshot.nodes) {
        if (requireAll && !hasAllKeys(node, constraints)) continue;
        constraints.forEach((c, i) => {
          const v = node.labels[c.topologyKey];
          if (c.topologyKey === HOSTNAME || v === undefined || !s.counts[i]!.has(v) || !includes(c, pod, node)) return;
          s.counts[i]!.set(v, s.counts[i]!.get(v)! + countOn(node, c.selector, pod.namespace));
        });
      }
      state.write('PodTopologySpread/score', s);
      return Status.success();
    },
    // Matching pods in the node's domains, weighted by log(domains + 2), plus maxSkew - 1 per constraint (lower is better).
    score(state, pod, node) {
      const s = state.read<ScoreState>('PodTopologySpread/score')!;
      if (s.ignored.has(node.name)) return -1;
      let score = 0;
      s.constraints.forEach((c, i) => {
        const v = node.labels[c.topologyKey];
        if (v === undefined) return;
        const count = c.topologyKey === HOSTNAME ? countOn(node, c.selector, pod.namespace) : s.counts[i]!.get(v) ?? 0;
        score += count * s.weights[i]! + (c.maxSkew - 1);
      });
      return Math.round(score);
    },
    // 100 * (max + min - score) / max: the emptiest domain scores highest; ignored nodes score 0.
    normalizeScore(_state, _pod, scores) {
      let max = 0;
      let min = Infinity;
      for (const s of scores) {
        if (s < 0) continue;
        if (s > max) max = s;
        if (s < min) min = s;
      }
      for (let i = 0; i < scores.length; i++) {
        const s = scores[i]!;
        scores[i] = s < 0 ? 0 : max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - s)) / max);
      }
    },
  };
}
