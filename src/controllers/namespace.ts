/**
 * The namespace controller (pkg/controller/namespace): a namespace being
 * deleted is Terminating; everything in it is deleted, and once it is empty
 * its `kubernetes` finalizer goes and the namespace with it.
 */
import { KINDS, type ApiStore, type KubeObject } from '../api/index.ts';
import type { Disposable } from '../shared/index.ts';
import { WorkQueue } from './queue.ts';

export class NamespaceController implements Disposable {
  readonly #queue: WorkQueue;
  readonly #watches: Disposable[] = [];

  constructor(api: ApiStore) {
    const namespaced = KINDS.filter((k) => k.namespaced && k.kind !== 'Namespace').map((k) => k.kind);
    this.#queue = new WorkQueue(api.clock, (name) => {
      const ns = api.tryGet('Namespace', undefined, name);
      if (!ns?.metadata.deletionTimestamp) return;
      for (const kind of namespaced) {
        for (const o of api.list(kind, { namespace: name }).items) {
          if (o.metadata.deletionTimestamp) continue;
          try {
            api.delete(kind, name, o.metadata.name!, { propagationPolicy: 'Background' });
          } catch (err) {
            if ((err as { reason?: string }).reason !== 'NotFound') throw err;
          }
        }
      }
      const remaining = namespaced.reduce((n, kind) => n + api.list(kind, { namespace: name }).items.length, 0);
      if (remaining > 0) {
        this.#queue.addAfter(name, 1000);
        return;
      }
      api.mutate<KubeObject>('Namespace', undefined, name, (n) => ((n.spec as { finalizers?: string[] }).finalizers = []));
    });
    this.#watches.push(api.watch('Namespace', {}, (e) => e.type !== 'DELETED' && e.object.metadata.deletionTimestamp && this.#queue.add(e.object.metadata.name!)));
    for (const kind of namespaced) {
      this.#watches.push(
        api.watch(kind, {}, (e) => {
          if (e.type !== 'DELETED') return;
          const ns = api.tryGet('Namespace', undefined, e.object.metadata.namespace ?? '');
          if (ns?.metadata.deletionTimestamp) this.#queue.add(ns.metadata.name!);
        }),
      );
    }
  }

  dispose(): void {
    this.#queue.dispose();
    for (const w of this.#watches) w.dispose();
  }
}
