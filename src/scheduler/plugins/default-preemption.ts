/**
 * DefaultPreemption's PostFilter (pkg/scheduler/framework/preemption): when
 * no node fits, nodes that failed only in ways preemption can fix are
 * candidates; on each, every lower-priority pod is removed and, if the pod
 * then fits, the victims are reprieved from the most important down while
 * it still fits. The node is chosen by the lowest highest-victim priority,
 * then the smallest sum of victim priorities, then the fewest victims. The
 * victims get the DisruptionTarget condition and are deleted, and the pod
 * is nominated to the node. Without a candidate it says why, in
 * kube-scheduler's words.
 */
import { timestamp, type Pod } from '../../api/index.ts';
import { reasonsHistogram } from '../diagnosis.ts';
import type { Handle, NodeVerdicts, Plugin } from '../framework.ts';
import { NodeInfo } from '../node-info.ts';
import type { PodInfo } from '../pod-info.ts';
import { replacing, type Snapshot } from '../snapshot.ts';
import { Status } from '../status.ts';

export interface Candidate {
  node: string;
  victims: PodInfo[];
}

export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';

/** MoreImportantPod: higher priority, then the earlier start. */
const moreImportant = (a: PodInfo, b: PodInfo) => b.priority - a.priority || String(a.pod.status?.startTime ?? '').localeCompare(String(b.pod.status?.startTime ?? ''));

/** The victims on one node that would let the pod fit, or undefined when none would. */
export function victimsOn(handle: Handle, pod: PodInfo, node: NodeInfo, snapshot: Snapshot): PodInfo[] | undefined {
  const copy = new NodeInfo(node.node);
  const lower: PodInfo[] = [];
  for (const p of node.pods.values()) {
    if (p.priority < pod.priority) lower.push(p);
    else copy.addPod(p);
  }
  const whatIf = replacing(snapshot, copy);
  const fits = () => handle.runFilters(pod, copy, whatIf).isSuccess();
  if (lower.length === 0 || !fits()) return undefined;
  // Reprieve the most important first: whoever can stay, stays.
  const victims: PodInfo[] = [];
  for (const p of lower.sort(moreImportant)) {
    copy.addPod(p);
    if (!fits()) {
      copy.removePod(p.pod);
      victims.push(p);
    }
  }
  return victims;
}

/** The best candidate (pickOneNodeForPreemption), or why there is none. */
export function findCandidate(handle: Handle, pod: PodInfo, snapshot: Snapshot, verdicts: NodeVerdicts): { candidate?: Candidate; message?: string } {
  const pending = pod.pod.status?.nominatedNodeName;
  if (pod.pod.spec.preemptionPolicy === 'Never') return { message: 'not eligible due to preemptionPolicy=Never.' };
  const nominated = pending ? snapshot.get(pending) : undefined;
  if (nominated && [...nominated.pods.values()].some((p) => p.terminating && p.priority < pod.priority)) return { message: 'not eligible due to a terminating pod on the nominated node.' };
  const why: Status[] = [];
  const candidates: Candidate[] = [];
  for (const node of snapshot.nodes) {
    if (verdicts.get(node.name)?.code === 'UnschedulableAndUnresolvable') {
      why.push(Status.unresolvable(NOT_HELPFUL));
      continue;
    }
    const victims = victimsOn(handle, pod, node, snapshot);
    if (victims) candidates.push({ node: node.name, victims });
    else why.push(Status.unschedulable(NO_VICTIMS));
  }
  if (candidates.length === 0) return { message: `0/${snapshot.nodes.length} nodes are available: ${reasonsHistogram(why).join(', ')}.` };
  const highest = (c: Candidate) => Math.max(...c.victims.map((v) => v.priority), -Infinity);
  const sum = (c: Candidate) => c.victims.reduce((n, p) => n + p.priority, 0);
  candidates.sort((a, b) => highest(a) - highest(b) || sum(a) - sum(b) || a.victims.length - b.victims.length);
  return { candidate: candidates[0] };
}

export function defaultPreemption(_args: unknown, handle: Handle): Plugin {
  return {
    name: 'DefaultPreemption',
    postFilter(_state, pod, snapshot, verdicts) {
      const { candidate, message } = findCandidate(handle, pod, snapshot, verdicts);
      if (!candidate) return { status: Status.unschedulable(message!) };
      const { api, events } = handle;
      const schedulerName = pod.pod.spec.schedulerName ?? 'default-scheduler';
      for (const v of candidate.victims) {
        const { namespace, name } = v.pod.metadata;
        try {
          api.mutate<Pod>('Pod', namespace, name!, (p) => {
            const conditions = ((p.status ??= {}).conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
            p.status.conditions = [...conditions, { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${schedulerName}: preempting to accommodate a higher priority pod`, lastTransitionTime: timestamp(api.clock.now()) }];
          }, true);
          api.delete('Pod', namespace, name!);
          events.event(v.pod, 'Normal', 'Preempted', `Preempted by pod ${pod.uid} on node ${candidate.node}`);
        } catch {
          // Gone already.
        }
      }
      return { status: Status.unschedulable(), nominatedNodeName: candidate.node };
    },
  };
}
