/**
 * DefaultPreemption's PostFilter (pkg/scheduler/framework/preemption), in
 * its main steps: nodes that failed only in ways preemption can fix are
 * candidates; on each, every lower-priority pod is removed and, if the pod
 * then fits, the victims are reprieved from the highest priority down while
 * it still fits. The node is chosen by the lowest highest-victim priority,
 * then the smallest sum of victim priorities, then the fewest victims.
 * Without a candidate it says why, in kube-scheduler's words.
 */
import type { Pod } from '../api/index.ts';
import { filterNode, reasonsHistogram } from './diagnosis.ts';
import { NodeInfo } from './node-info.ts';
import type { FilterPlugin } from './plugins/filters.ts';
import { Status } from './status.ts';

export interface Candidate {
  node: string;
  victims: Pod[];
}

const priorityOf = (p: Pod) => p.spec.priority ?? 0;

/** The victims on one node that would let `pod` fit, or undefined when none would. */
function victimsOn(pod: Pod, node: NodeInfo, all: NodeInfo[], filters: FilterPlugin[]): Pod[] | undefined {
  const copy = new NodeInfo(node.node);
  const others = all.map((n) => (n === node ? copy : n));
  const fits = (p: Pod, n: NodeInfo, f: FilterPlugin[]) => filterNode(p, n, others, f).isSuccess();
  const lower: Pod[] = [];
  for (const p of node.pods.values()) {
    if (priorityOf(p.pod) < priorityOf(pod)) lower.push(p.pod);
    else copy.addPod(p.pod);
  }
  if (lower.length === 0 || !fits(pod, copy, filters)) return undefined;
  // Reprieve the most important first: whoever can stay, stays.
  const victims: Pod[] = [];
  for (const p of [...lower].sort((a, b) => priorityOf(b) - priorityOf(a))) {
    copy.addPod(p);
    if (!fits(pod, copy, filters)) {
      copy.removePod(p);
      victims.push(p);
    }
  }
  return victims;
}

export interface PreemptionResult {
  candidate?: Candidate;
  /** The `preemption: …` part of the FailedScheduling message when there is no candidate. */
  message?: string;
}

export function preempt(pod: Pod, nodes: NodeInfo[], verdicts: Map<string, Status>, filters: FilterPlugin[]): PreemptionResult {
  if (pod.spec.preemptionPolicy === 'Never') return { message: 'not eligible due to preemptionPolicy=Never.' };
  const why: Status[] = [];
  const candidates: Candidate[] = [];
  for (const node of nodes) {
    const verdict = verdicts.get(node.name);
    if (verdict?.code === 'UnschedulableAndUnresolvable') {
      why.push(Status.unresolvable('Preemption is not helpful for scheduling'));
      continue;
    }
    const victims = victimsOn(pod, node, nodes, filters);
    if (victims) candidates.push({ node: node.name, victims });
    else why.push(Status.unschedulable('No preemption victims found for incoming pod'));
  }
  if (candidates.length === 0) return { message: `0/${nodes.length} nodes are available: ${reasonsHistogram(why).join(', ')}.` };
  const highest = (c: Candidate) => Math.max(...c.victims.map(priorityOf), -Infinity);
  const sum = (c: Candidate) => c.victims.reduce((n, p) => n + priorityOf(p), 0);
  candidates.sort((a, b) => highest(a) - highest(b) || sum(a) - sum(b) || a.victims.length - b.victims.length);
  return { candidate: candidates[0] };
}
