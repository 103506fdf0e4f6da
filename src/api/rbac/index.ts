/**
 * Kubernetes RBAC: who may do what. The authorizer over Roles, ClusterRoles
 * and their bindings in the store, the API server's Forbidden message, the
 * default roles and bindings of a cluster, and ClusterRole aggregation.
 */
export { authorize, rulesFor, visitRulesFor, serviceAccountUsername, serviceAccountGroups, splitServiceAccountUsername, type RuleVisitor } from './authorizer.ts';
export { ruleAllows } from './rules.ts';
export { forbiddenMessage, forbiddenError } from './messages.ts';
export { ensureBootstrapPolicy, bootstrapClusterRoles, bootstrapClusterRoleBindings, AGGREGATE_TO_ADMIN, AGGREGATE_TO_EDIT, AGGREGATE_TO_VIEW } from './bootstrap.ts';
export { aggregatedRules, sameRules } from './aggregation.ts';
export {
  RBAC_GROUP,
  SYSTEM_MASTERS,
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  ANONYMOUS_USERNAME,
  isResourceRequest,
  type PolicyRule,
  type AggregationRule,
  type Role,
  type ClusterRole,
  type Subject,
  type RoleRef,
  type RoleBinding,
  type ClusterRoleBinding,
  type UserInfo,
  type RequestAttributes,
  type Decision,
} from './types.ts';
