/**
 * The scheduling queue (pkg/scheduler/backend/queue): activeQ, a heap in
 * the QueueSort plugin's order (PrioritySort: higher priority first, then
 * the earlier arrival); backoffQ for pods that failed, waiting 1 s doubling
 * to 10 s per attempt; and the unschedulable pods, moved back when a
 * cluster event could help them (a node added or changed, a pod deleted) or
 * after 5 minutes. A pod that a PreEnqueue plugin turns away (scheduling
 * gates) waits outside activeQ until it is updated.
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
  /** Whether it sits in activeQ now. */
  active?: boolean;
}

export interface QueueOptions {
  /** QueueSort's less. */
  less(a: QueuedPod, b: QueuedPod): boolean;
  /** PreEnqueue: whether the pod may enter activeQ. */
  admit(pod: Pod): boolean;
}

export class SchedulingQueue {
  readonly #clock: Clock;
  readonly #less: QueueOptions['less'];
  readonly #admit: QueueOptions['admit'];
  /** activeQ as a binary heap; entries of pods that left the queue are dropped when they surface. */
  readonly #heap: QueuedPod[] = [];
  readonly #backoff = new Map<string, { qp: QueuedPod; cancel: () => void }>();
  readonly #unschedulable = new Map<string, QueuedPod>();
  readonly #gated = new Map<string, QueuedPod>();
  readonly #known = new Map<string, QueuedPod>();
  #active = 0;
  onActive: () => void = () => undefined;

  constructor(clock: Clock, options: QueueOptions) {
    this.#clock = clock;
    this.#less = options.less;
    this.#admit = options.admit;
  }

  /** A new or changed pending pod. */
  add(pod: Pod): void {
    const uid = pod.metadata.uid!;
    const known = this.#known.get(uid);
    if (known) {
      known.pod = pod;
      // No longer turned away (gates removed): on to activeQ.
      if (this.#gated.has(uid) && this.#admit(pod)) {
        this.#gated.delete(uid);
        this.#push(known);
      }
      return;
    }
    const qp: QueuedPod = { pod, attempts: 0, timestamp: this.#clock.now() };
    this.#known.set(uid, qp);
    if (!this.#admit(pod)) this.#gated.set(uid, qp);
    else this.#push(qp);
  }

  /** A pod that is bound or gone leaves the queue. */
  delete(uid: string): void {
    const qp = this.#known.get(uid);
    if (!qp) return;
    this.#known.delete(uid);
    this.#gated.delete(uid);
    this.#unschedulable.delete(uid);
    this.#backoff.get(uid)?.cancel();
    this.#backoff.delete(uid);
    if (qp.active) {
      qp.active = false;
      this.#active--;
    }
  }

  #push(qp: QueuedPod): void {
    if (qp.active) return;
    qp.active = true;
    this.#active++;
    const h = this.#heap;
    h.push(qp);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
    this.onActive();
  }

  #popHeap(): QueuedPod | undefined {
    const h = this.#heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.#less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.#less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }

  /** The next pod to schedule, if any. */
  pop(): QueuedPod | undefined {
    for (let qp = this.#popHeap(); qp; qp = this.#popHeap()) {
      if (!qp.active) continue;
      qp.active = false;
      this.#active--;
      return qp;
    }
    return undefined;
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
    if (this.#unschedulable.size === 0) return;
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
    return { active: this.#active, backoff: this.#backoff.size, unschedulable: this.#unschedulable.size, gated: this.#gated.size };
  }
}
