/**
 * What the workload controllers share (pkg/controller): a work queue keyed
 * by `namespace/name` of the primary object, fed by its own changes and by
 * the changes of the objects it owns (through their controller
 * ownerReference); pods' readiness and availability; owner references.
 */
import { timestamp, type ApiStore, type KubeObject, type OwnerReference, type Pod } from '../api/index.ts';
import type { Disposable } from '../shared/index.ts';
import { WorkQueue } from './queue.ts';

export const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** The ownerReference marking `owner` as the controller of what it creates. */
export function controllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** The controller owner of `o`, if it is of `kind`. */
export function controllerOf(o: KubeObject, kind: string): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller && r.kind === kind);
}

export function isPodActive(p: Pod): boolean {
  return !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
}

export function isPodReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return false;
  if (!minReadySeconds) return true;
  return Date.parse(ready.lastTransitionTime ?? timestamp(now)) + minReadySeconds * 1000 <= now;
}

/** A controller of `kind`: `sync` runs for each key queued by changes to the kind or to objects it owns. */
export class Controller implements Disposable {
  readonly queue: WorkQueue;
  readonly #watches: Disposable[] = [];

  constructor(api: ApiStore, kind: string, owned: string[], sync: (namespace: string, name: string) => void | Promise<void>) {
    this.queue = new WorkQueue(api.clock, (key) => {
      const [ns, name] = splitKey(key);
      return sync(ns, name);
    });
    this.#watches.push(api.watch(kind, {}, (e) => this.queue.add(keyOf(e.object))));
    for (const k of owned) {
      this.#watches.push(
        api.watch(k, {}, (e) => {
          const ref = controllerOf(e.object, kind);
          if (ref) this.queue.add(`${e.object.metadata.namespace ?? ''}/${ref.name}`);
        }),
      );
    }
  }

  dispose(): void {
    this.queue.dispose();
    for (const w of this.#watches) w.dispose();
  }
}
