/**
 * The garbage collector (kube-controller-manager's): objects whose owners
 * (metadata.ownerReferences) are all gone are deleted. Deleting an owner
 * with propagationPolicy
 * - Background (kubectl's default): the owner goes at once, its dependents
 *   after it;
 * - Foreground: the owner stays, marked, with the `foregroundDeletion`
 *   finalizer, until its dependents that block owner deletion are gone;
 * - Orphan: the dependents lose their reference to the owner and stay.
 */
import type { Disposable } from '../shared/index.ts';
import { KINDS } from './kinds.ts';
import type { KubeObject } from './meta.ts';
import type { ApiStore, WatchEvent } from './store.ts';

interface Ref {
  kind: string;
  namespace?: string;
  name: string;
}

const refOf = (o: KubeObject): Ref => ({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name! });
const keyOf = (r: Ref) => `${r.kind}/${r.namespace ?? ''}/${r.name}`;

export class GarbageCollector implements Disposable {
  readonly #store: ApiStore;
  readonly #watches: Disposable[] = [];
  /** Live objects by uid, and each owner uid's dependents. */
  readonly #byUid = new Map<string, Ref>();
  readonly #dependents = new Map<string, Map<string, Ref>>();

  constructor(store: ApiStore) {
    this.#store = store;
    for (const k of KINDS) this.#watches.push(store.watch(k.kind, {}, (e) => this.#observe(e)));
  }

  #observe(e: WatchEvent): void {
    const o = e.object;
    const uid = o.metadata.uid!;
    const ref = refOf(o);
    if (e.type === 'DELETED') {
      this.#byUid.delete(uid);
      this.#unindex(o);
      this.#ownerGone(uid);
      // A foreground owner waiting on this one looks again.
      for (const r of o.metadata.ownerReferences ?? []) {
        const ownerRef = this.#byUid.get(r.uid);
        const owner = ownerRef && this.#store.tryGet(ownerRef.kind, ownerRef.namespace, ownerRef.name);
        if (owner?.metadata.deletionTimestamp && owner.metadata.finalizers?.includes('foregroundDeletion')) this.#foreground(owner);
      }
      return;
    }
    this.#byUid.set(uid, ref);
    this.#unindex(o);
    for (const owner of o.metadata.ownerReferences ?? []) {
      let deps = this.#dependents.get(owner.uid);
      if (!deps) this.#dependents.set(owner.uid, (deps = new Map()));
      deps.set(keyOf(ref), ref);
      // An owner that is already gone (or never was): collect now.
      if (!this.#byUid.has(owner.uid)) queueMicrotask(() => this.#collectIfOrphaned(ref));
    }
    if (o.metadata.deletionTimestamp) {
      const finalizers = o.metadata.finalizers ?? [];
      if (finalizers.includes('orphan')) this.#orphan(o);
      else if (finalizers.includes('foregroundDeletion')) this.#foreground(o);
    }
  }

  #unindex(o: KubeObject): void {
    const k = keyOf(refOf(o));
    for (const deps of this.#dependents.values()) deps.delete(k);
  }

  #ownerGone(uid: string): void {
    const deps = this.#dependents.get(uid);
    this.#dependents.delete(uid);
    for (const ref of deps?.values() ?? []) this.#collectIfOrphaned(ref);
  }

  #collectIfOrphaned(ref: Ref): void {
    const o = this.#store.tryGet(ref.kind, ref.namespace, ref.name);
    if (!o || o.metadata.deletionTimestamp) return;
    const owners = o.metadata.ownerReferences ?? [];
    if (owners.length === 0 || owners.some((r) => this.#byUid.has(r.uid))) return;
    this.#delete(ref, 'Background');
  }

  #delete(ref: Ref, propagationPolicy: 'Background' | 'Foreground'): void {
    try {
      this.#store.delete(ref.kind, ref.namespace, ref.name, { propagationPolicy });
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'NotFound') throw err;
    }
  }

  /** Foreground: delete the dependents; once none that blocks remains, drop the finalizer. */
  #foreground(owner: KubeObject): void {
    const uid = owner.metadata.uid!;
    let blocking = 0;
    for (const ref of this.#dependents.get(uid)?.values() ?? []) {
      const dep = this.#store.tryGet(ref.kind, ref.namespace, ref.name);
      if (!dep) continue;
      if (dep.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion)) blocking++;
      if (!dep.metadata.deletionTimestamp) this.#delete(ref, 'Foreground');
    }
    if (blocking === 0) this.#dropFinalizer(owner, 'foregroundDeletion');
  }

  /** Orphan: the dependents lose their reference to the owner; then the finalizer goes. */
  #orphan(owner: KubeObject): void {
    const uid = owner.metadata.uid!;
    for (const ref of [...(this.#dependents.get(uid)?.values() ?? [])]) {
      if (!this.#store.tryGet(ref.kind, ref.namespace, ref.name)) continue;
      this.#store.mutate(ref.kind, ref.namespace, ref.name, (d) => {
        d.metadata.ownerReferences = d.metadata.ownerReferences?.filter((r) => r.uid !== uid);
        if (!d.metadata.ownerReferences?.length) delete d.metadata.ownerReferences;
      });
    }
    this.#dropFinalizer(owner, 'orphan');
  }

  #dropFinalizer(owner: KubeObject, finalizer: string): void {
    const ref = refOf(owner);
    if (!this.#store.tryGet(ref.kind, ref.namespace, ref.name)) return;
    this.#store.mutate(ref.kind, ref.namespace, ref.name, (o) => {
      o.metadata.finalizers = o.metadata.finalizers?.filter((f) => f !== finalizer);
    });
  }

  dispose(): void {
    for (const w of this.#watches) w.dispose();
  }
}
