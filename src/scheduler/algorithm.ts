/**
 * One scheduling cycle's decision (schedulePod): PreFilter, then Filter
 * from where the last cycle stopped until enough feasible nodes are found
 * (percentageOfNodesToScore), with pods nominated to a node of at least the
 * same priority counted on it first; then, with more than one feasible
 * node, PreScore, Score and NormalizeScore, and the best node (a tie broken
 * at random).
 */
import type { NodeVerdicts, Profile } from './framework.ts';
import type { NodeInfo } from './node-info.ts';
import type { PodInfo } from './pod-info.ts';
import { nodesToFind } from './profile.ts';
import { runFilters, runPreFilter, runScore, type PreFilterOutcome, type ScoreOutcome } from './runtime.ts';
import type { Snapshot } from './snapshot.ts';
import type { Status } from './status.ts';

export interface Decision {
  pre: PreFilterOutcome;
  /** The nodes filtered, in the order they were (kept only when asked for). */
  filtered: NodeInfo[];
  /** How many nodes were filtered. */
  processed: number;
  rejected: NodeVerdicts;
  feasible: NodeInfo[];
  score?: ScoreOutcome;
  chosen?: NodeInfo;
}

export interface DecideOptions {
  /** Where to start filtering; the decision says how many nodes it filtered. */
  start: number;
  percentageOfNodesToScore: number;
  random: () => number;
  /** Pods nominated to a node (status.nominatedNodeName), by node name. */
  nominated: (nodeName: string) => Iterable<PodInfo> | undefined;
  /** Keep the filtered nodes in order (for the explanation). */
  keepFiltered: boolean;
}

/** The node with nominated pods of at least this pod's priority counted on it, or undefined when there are none. */
function withNominated(pod: PodInfo, node: NodeInfo, nominated: Iterable<PodInfo> | undefined): NodeInfo | undefined {
  if (!nominated) return undefined;
  let copy: NodeInfo | undefined;
  for (const p of nominated) {
    if (p.uid === pod.uid || p.priority < pod.priority || node.pods.has(p.uid)) continue;
    copy ??= node.clone();
    copy.addPod(p);
  }
  return copy;
}

export function decide(profile: Profile, pod: PodInfo, snapshot: Snapshot, o: DecideOptions): Decision {
  const nodes = snapshot.nodes;
  const pre = runPreFilter(profile, pod, snapshot);
  const rejected: NodeVerdicts = new Map();
  const filtered: NodeInfo[] = [];
  const feasible: NodeInfo[] = [];
  if (!pre.status.isSuccess()) {
    for (const n of nodes) rejected.set(n.name, pre.status);
    return { pre, filtered: o.keepFiltered ? [...nodes] : filtered, processed: 0, rejected, feasible };
  }
  const want = nodesToFind(nodes.length, o.percentageOfNodesToScore);
  const { state, filters } = pre;
  let i = 0;
  for (; i < nodes.length && feasible.length < want; i++) {
    const node = nodes[(o.start + i) % nodes.length]!;
    if (o.keepFiltered) filtered.push(node);
    let s: Status = runFilters(state, pod, node, filters);
    // Nominated pods first: a pod may only take room that no more important nominated pod is waiting for.
    if (s.isSuccess()) {
      const busy = withNominated(pod, node, o.nominated(node.name));
      if (busy) s = runFilters(state, pod, busy, filters);
    }
    if (s.isSuccess()) feasible.push(node);
    else rejected.set(node.name, s);
  }
  const processed = i;
  if (feasible.length <= 1) return { pre, filtered, processed, rejected, feasible, chosen: feasible[0] };
  const score = runScore(profile, state, pod, feasible, snapshot);
  let best = -Infinity;
  let ties = 0;
  let chosen: NodeInfo | undefined;
  // selectHost: the highest total; among equals, each equally likely (reservoir sampling).
  for (let k = 0; k < feasible.length; k++) {
    const t = score.totals[k]!;
    if (t > best) {
      best = t;
      ties = 1;
      chosen = feasible[k];
    } else if (t === best) {
      ties++;
      // Probability 1/ties each; a random of 0 keeps the first of equals.
      if (o.random() * ties >= ties - 1) chosen = feasible[k];
    }
  }
  return { pre, filtered, processed, rejected, feasible, score, chosen };
}
