/**
 * The clusterrole-aggregation controller of kube-controller-manager
 * (pkg/controller/clusterroleaggregation): keeps the `rules` of every
 * ClusterRole that has an aggregationRule equal to the union of the rules
 * of the ClusterRoles its selectors match (src/api/rbac aggregation.ts).
 * Any ClusterRole's change queues every aggregated one, as upstream does
 * (there are few, and roles chain: view → edit → admin); a role whose
 * rules are already right is not written.
 */
import { aggregatedRules, sameRules, type ApiStore, type ClusterRole } from '../api/index.ts';
import type { Disposable } from '../shared/index.ts';
import { WorkQueue } from './queue.ts';

export class ClusterRoleAggregationController implements Disposable {
  readonly #api: ApiStore;
  readonly #queue: WorkQueue;
  readonly #watch: Disposable;

  constructor(api: ApiStore) {
    this.#api = api;
    this.#queue = new WorkQueue(api.clock, (name) => this.#sync(name));
    this.#watch = api.watch('ClusterRole', {}, () => this.#enqueueAggregated());
  }

  #enqueueAggregated(): void {
    for (const role of this.#api.list<ClusterRole>('ClusterRole').items) if (role.aggregationRule) this.#queue.add(role.metadata.name!);
  }

  #sync(name: string): void {
    const role = this.#api.tryGet('ClusterRole', undefined, name) as ClusterRole | undefined;
    if (!role) return;
    const rules = aggregatedRules(this.#api, role);
    if (!rules || sameRules(rules, role.rules)) return;
    this.#api.mutate<ClusterRole>('ClusterRole', undefined, name, (draft) => {
      draft.rules = structuredClone(rules);
    });
  }

  dispose(): void {
    this.#queue.dispose();
    this.#watch.dispose();
  }
}
