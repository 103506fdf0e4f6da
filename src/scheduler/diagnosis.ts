/**
 * Why a pod fits no node, as kube-scheduler says it (framework.FitError):
 * `0/3 nodes are available: 1 node(s) had untolerated taint(s), 2
 * Insufficient cpu.`: each reason counted over the nodes, the
 * counts and reasons sorted as strings, then what preemption found.
 */
import type { NodeVerdicts } from './framework.ts';
import type { Status } from './status.ts';

/** The reasons histogram, `N reason` each, sorted as strings (SortReasonsHistogram). */
export function reasonsHistogram(verdicts: Iterable<Status>): string[] {
  const counts = new Map<string, number>();
  for (const s of verdicts) if (!s.isSuccess()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
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
