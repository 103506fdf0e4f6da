/**
 * The queue's plugins: PrioritySort (QueueSort: higher priority first, then
 * the earlier arrival) and SchedulingGates (PreEnqueue: a pod with
 * schedulingGates waits outside activeQ until they are all removed).
 */
import type { Plugin } from '../framework.ts';
import { Status } from '../status.ts';

export const PrioritySort: Plugin = {
  name: 'PrioritySort',
  less(a, b) {
    const pa = a.pod.spec.priority ?? 0;
    const pb = b.pod.spec.priority ?? 0;
    return pa !== pb ? pa > pb : a.timestamp < b.timestamp;
  },
};

export const SchedulingGates: Plugin = {
  name: 'SchedulingGates',
  preEnqueue(pod) {
    const gates = pod.spec.schedulingGates ?? [];
    return gates.length ? Status.unresolvable(`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`) : Status.success();
  },
};
