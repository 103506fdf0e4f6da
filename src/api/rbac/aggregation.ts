/**
 * ClusterRole aggregation (pkg/controller/clusterroleaggregation): a
 * ClusterRole with an aggregationRule has as rules the union of the rules
 * of every other ClusterRole its clusterRoleSelectors select, taken in
 * selector order, then by role name, each distinct rule once. Roles chain:
 * `view` is labelled aggregate-to-edit, so `edit` holds view's rules, and
 * `admin` edit's.
 */
import { fromLabelSelector, matches } from '../selectors.ts';
import type { ApiStore } from '../store.ts';
import type { ClusterRole, PolicyRule } from './types.ts';

/** A rule as apimachinery's semantic equality compares it: a missing list and an empty one are the same. */
const ruleKey = (r: PolicyRule) => JSON.stringify([r.verbs ?? [], r.apiGroups ?? [], r.resources ?? [], r.resourceNames ?? [], r.nonResourceURLs ?? []]);

/** Whether two rule lists are equal, in order (`null` and `[]` are). */
export function sameRules(a: readonly PolicyRule[] | null | undefined, b: readonly PolicyRule[] | null | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((r, i) => ruleKey(r) === ruleKey(y[i]!));
}

/**
 * The rules `role` aggregates from the ClusterRoles in `api`, or undefined
 * when it has no aggregationRule (its rules are its own).
 */
export function aggregatedRules(api: ApiStore, role: ClusterRole): PolicyRule[] | undefined {
  if (!role.aggregationRule) return undefined;
  const selectors = role.aggregationRule.clusterRoleSelectors;
  const all = api.list<ClusterRole>('ClusterRole').items; // by name, as the controller sorts them
  const rules: PolicyRule[] = [];
  const seen = new Set<string>();
  for (const selector of selectors ?? []) {
    const parsed = fromLabelSelector(selector);
    for (const other of all) {
      if (other.metadata.name === role.metadata.name || !matches(parsed, other.metadata.labels)) continue;
      for (const rule of other.rules ?? []) {
        const key = ruleKey(rule);
        if (seen.has(key)) continue;
        seen.add(key);
        rules.push(rule);
      }
    }
  }
  return rules;
}
