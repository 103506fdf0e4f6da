/**
 * Pods that a Permit plugin told to Wait (framework's waitingPodsMap): each
 * waits until every plugin that said Wait allows it, or one rejects it, or
 * a plugin's timeout runs out (`rejected due to timeout after waiting …`).
 */
import type { Pod } from '../api/index.ts';
import type { Clock } from '../shared/index.ts';
import type { WaitingPod } from './framework.ts';
import { Status } from './status.ts';

/** A duration as Go prints it: `10s`, `1m30s`, `1h0m0s`. */
function goDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = `${m}m${s % 60}s`;
  return h ? `${h}h${rest}` : rest;
}

class Waiting implements WaitingPod {
  readonly pod: Pod;
  readonly nodeName: string;
  readonly #pending: Set<string>;
  readonly #done: (s: Status) => void;
  readonly #timers: Array<() => void> = [];

  constructor(pod: Pod, nodeName: string, waits: Map<string, number>, clock: Clock, done: (s: Status) => void) {
    this.pod = pod;
    this.nodeName = nodeName;
    this.#pending = new Set(waits.keys());
    this.#done = done;
    for (const [plugin, ms] of waits) this.#timers.push(clock.setTimeout(() => this.reject(plugin, `rejected due to timeout after waiting ${goDuration(ms)} at plugin ${plugin}`), ms));
  }

  pending(): string[] {
    return [...this.#pending];
  }

  allow(plugin: string): void {
    this.#pending.delete(plugin);
    if (this.#pending.size === 0) this.#finish(Status.success());
  }

  reject(plugin: string, message: string): void {
    this.#finish(new Status('Unschedulable', [message], plugin || undefined));
  }

  #finish(s: Status): void {
    for (const cancel of this.#timers.splice(0)) cancel();
    this.#done(s);
  }
}

export class PodWaiter {
  readonly #clock: Clock;
  readonly #waiting = new Map<string, Waiting>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Holds the pod until it is allowed or rejected. */
  wait(pod: Pod, nodeName: string, waits: Map<string, number>): Promise<Status> {
    const uid = pod.metadata.uid!;
    return new Promise((resolve) => {
      const w = new Waiting(pod, nodeName, waits, this.#clock, (s) => {
        if (this.#waiting.get(uid) !== w) return;
        this.#waiting.delete(uid);
        resolve(s);
      });
      this.#waiting.set(uid, w);
    });
  }

  get(uid: string): WaitingPod | undefined {
    return this.#waiting.get(uid);
  }

  forEach(visit: (w: WaitingPod) => void): void {
    for (const w of [...this.#waiting.values()]) visit(w);
  }

  dispose(): void {
    for (const w of [...this.#waiting.values()]) w.reject('', 'scheduler stopped');
  }
}
