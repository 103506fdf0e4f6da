/**
 * Why a pod fits no node, as kube-scheduler says it (framework.FitError):
 * `0/3 nodes are available: 1 node(s) had untolerated taint {dedicated:
 * gpu}, 2 Insufficient cpu.`: each reason counted over the nodes, the
 * counts and reasons sorted as strings, then what preemption found.
 */
import type { Pod } from '../api/index.ts';
import type { NodeInfo } from './node-info.ts';
import type { FilterPlugin } from './plugins/filters.ts';
import { CycleState, Status } from './status.ts';

/** Each node's verdict: the first plugin that rejected it (filters stop at the first rejection), or success. */
export type NodeVerdicts = Map<string, Status>;

/** The PreFilter extension point: a cycle's state, computed once over every node. */
export function preFilter(pod: Pod, all: NodeInfo[], filters: FilterPlugin[]): CycleState {
  const state = new CycleState();
  for (const plugin of filters) plugin.preFilter?.(pod, all, state);
  return state;
}

/** One node's verdict: the first filter that rejects it (the rest are not run), or success. */
export function filterNode(pod: Pod, node: NodeInfo, all: NodeInfo[], filters: FilterPlugin[], state = preFilter(pod, all, filters)): Status {
  for (const plugin of filters) {
    const s = plugin.filter(pod, node, all, state);
    if (!s.isSuccess()) return s.withPlugin(plugin.name);
  }
  return Status.success();
}

/** Runs the filters over every node, in the profile's order. */
export function filterNodes(pod: Pod, nodes: NodeInfo[], filters: FilterPlugin[]): NodeVerdicts {
  const state = preFilter(pod, nodes, filters);
  return new Map(nodes.map((n) => [n.name, filterNode(pod, n, nodes, filters, state)]));
}

/** The reasons histogram, `N reason` each, sorted as strings (SortReasonsHistogram). */
export function reasonsHistogram(verdicts: Iterable<Status>): string[] {
  const counts = new Map<string, number>();
  for (const s of verdicts) for (const r of s.reasons) if (!s.isSuccess()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
}

/** FitError.Error(): the FailedScheduling message and the PodScheduled condition's. */
export function fitErrorMessage(numNodes: number, verdicts: NodeVerdicts, preemption?: string): string {
  if (numNodes === 0) return 'no nodes available to schedule pods';
  const reasons = reasonsHistogram(verdicts.values());
  let message = `0/${numNodes} nodes are available${reasons.length ? `: ${reasons.join(', ')}` : ''}.`;
  if (preemption) message += ` preemption: ${preemption}`;
  return message;
}

/** What DefaultPreemption says when no victim would help: every node rejected in a way preemption cannot fix. */
export function preemptionNotHelpful(numNodes: number, unresolvable: number): string {
  return `0/${numNodes} nodes are available: ${unresolvable} Preemption is not helpful for scheduling.`;
}
