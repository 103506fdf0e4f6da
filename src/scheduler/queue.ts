/**
 * The scheduling queue (pkg/scheduler/backend/queue): activeQ in PrioritySort
 * order (higher priority first, then the earlier arrival); backoffQ for pods
 * that failed, waiting 1 s doubling to 10 s per attempt; and the
 * unschedulable pods, moved back when a cluster event could help them
 * (a node added or changed, a pod deleted) or after 5 minutes. A pod with
 * scheduling gates waits until they are removed (SchedulingGates' PreEnqueue).
 */
import type { Pod } from '../api/index.ts';
import type { Clock } from '../shared/index.ts';

export const INITIAL_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 10_000;
export const MAX_UNSCHEDULABLE_MS = 5 * 60_000;

export interface QueuedPod {
  pod: Pod;
  attempts: number;
  /** When the pod first entered the queue (PrioritySort's tie-break). */
  timestamp: number;
  /** When its last attempt failed. */
  failedAt?: number;
}

const priorityOf = (p: Pod) => p.spec.priority ?? 0;

/** PrioritySort's less: higher priority first, then the earlier timestamp. */
export function less(a: QueuedPod, b: QueuedPod): boolean {
  const pa = priorityOf(a.pod);
  const pb = priorityOf(b.pod);
  return pa !== pb ? pa > pb : a.timestamp < b.timestamp;
}

export class SchedulingQueue {
  readonly #clock: Clock;
  readonly #active: QueuedPod[] = [];
  readonly #backoff = new Map<string, { qp: QueuedPod; cancel: () => void }>();
  readonly #unschedulable = new Map<string, QueuedPod>();
  readonly #gated = new Map<string, QueuedPod>();
  readonly #known = new Map<string, QueuedPod>();
  onActive: () => void = () => undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** A new or changed pending pod. */
  add(pod: Pod): void {
    const uid = pod.metadata.uid!;
    const known = this.#known.get(uid);
    if (known) {
      known.pod = pod;
      // Gates removed: on to activeQ.
      if (this.#gated.has(uid) && !pod.spec.schedulingGates?.length) {
        this.#gated.delete(uid);
        this.#push(known);
      }
      return;
    }
    const qp: QueuedPod = { pod, attempts: 0, timestamp: this.#clock.now() };
    this.#known.set(uid, qp);
    if (pod.spec.schedulingGates?.length) this.#gated.set(uid, qp);
    else this.#push(qp);
  }

  /** A pod that is bound or gone leaves the queue. */
  delete(uid: string): void {
    this.#known.delete(uid);
    this.#gated.delete(uid);
    this.#unschedulable.delete(uid);
    this.#backoff.get(uid)?.cancel();
    this.#backoff.delete(uid);
    const i = this.#active.findIndex((q) => q.pod.metadata.uid === uid);
    if (i >= 0) this.#active.splice(i, 1);
  }

  #push(qp: QueuedPod): void {
    let i = this.#active.length;
    while (i > 0 && less(qp, this.#active[i - 1]!)) i--;
    this.#active.splice(i, 0, qp);
    this.onActive();
  }

  /** The next pod to schedule, if any. */
  pop(): QueuedPod | undefined {
    return this.#active.shift();
  }

  backoffMs(qp: QueuedPod): number {
    return Math.min(INITIAL_BACKOFF_MS * 2 ** Math.max(0, qp.attempts - 1), MAX_BACKOFF_MS);
  }

  /** After a failed attempt: unschedulable pods wait for an event that could help; errors back off. */
  failed(qp: QueuedPod, unschedulable: boolean): void {
    qp.attempts++;
    qp.failedAt = this.#clock.now();
    if (!this.#known.has(qp.pod.metadata.uid!)) return;
    if (unschedulable) this.#unschedulable.set(qp.pod.metadata.uid!, qp);
    else this.#toBackoff(qp);
  }

  #toBackoff(qp: QueuedPod): void {
    const uid = qp.pod.metadata.uid!;
    const wait = (qp.failedAt ?? 0) + this.backoffMs(qp) - this.#clock.now();
    if (wait <= 0) return this.#push(qp);
    const cancel = this.#clock.setTimeout(() => {
      this.#backoff.delete(uid);
      if (this.#known.has(uid)) this.#push(qp);
    }, wait);
    this.#backoff.set(uid, { qp, cancel });
  }

  /** A cluster event that could make unschedulable pods fit: they go to backoffQ (or straight to activeQ). */
  moveAllToActiveOrBackoff(): void {
    const now = this.#clock.now();
    for (const [uid, qp] of this.#unschedulable) {
      this.#unschedulable.delete(uid);
      if ((qp.failedAt ?? 0) + this.backoffMs(qp) <= now) this.#push(qp);
      else this.#toBackoff(qp);
    }
  }

  /** Pods unschedulable for longer than 5 minutes are tried again anyway. */
  flushUnschedulable(): void {
    const now = this.#clock.now();
    for (const [uid, qp] of this.#unschedulable) {
      if (now - (qp.failedAt ?? now) < MAX_UNSCHEDULABLE_MS) continue;
      this.#unschedulable.delete(uid);
      this.#push(qp);
    }
  }

  /** Counts, for tests and the cluster map. */
  stats(): { active: number; backoff: number; unschedulable: number; gated: number } {
    return { active: this.#active.length, backoff: this.#backoff.size, unschedulable: this.#unschedulable.size, gated: this.#gated.size };
  }
}
