/**
 * The rbac.authorization.k8s.io/v1 types (k8s.io/api/rbac/v1), and who asks
 * and what for (k8s.io/apiserver authentication user.Info and authorizer
 * Attributes), with the API's own field names.
 */
import type { KubeObject, LabelSelector } from '../meta.ts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * One rule of a Role or ClusterRole. `*` in verbs, apiGroups, resources
 * and nonResourceURLs stands for every one; a resource may name a
 * subresource (`pods/log`), or one subresource of every resource (`*`
 * followed by `/scale`); a nonResourceURL ending in `*` is a prefix. A rule
 * names resources or nonResourceURLs (only a ClusterRole's the latter).
 */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface AggregationRule {
  clusterRoleSelectors?: LabelSelector[];
}

export interface Role extends KubeObject {
  /** `null` where the API has none (an aggregated ClusterRole before the controller fills it). */
  rules?: PolicyRule[] | null;
}

export interface ClusterRole extends Role {
  aggregationRule?: AggregationRule;
}

/** `User` and `Group` subjects have apiGroup rbac.authorization.k8s.io; a `ServiceAccount` has a namespace. */
export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount' | string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole' | string;
  name: string;
}

export interface RoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef: RoleRef;
}

export type ClusterRoleBinding = RoleBinding;

/** The authenticated user a request is made as (user.Info, without uid and extra). */
export interface UserInfo {
  username: string;
  groups: string[];
}

/**
 * What a request asks to do (authorizer.Attributes). A resource request
 * names `resource` (with `apiGroup`, '' for the core group); a non-resource
 * request leaves `resource` out and names `path` (`/healthz`, `/api`).
 * `namespace` is empty for cluster-scoped resources and for a request
 * across all namespaces; `name` is empty for list, watch and create.
 */
export interface RequestAttributes {
  verb: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  path?: string;
}

/** Whether `attributes` is a resource request (the rest are non-resource URLs). */
export const isResourceRequest = (attributes: RequestAttributes): boolean => attributes.resource !== undefined;

/** An authorizer's answer: `reason` says which binding allowed it, or why roles could not be read. */
export interface Decision {
  allowed: boolean;
  reason?: string;
}

// k8s.io/apiserver/pkg/authentication/user and serviceaccount: the names the API server gives.
export const SYSTEM_MASTERS = 'system:masters';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS_USERNAME = 'system:anonymous';
export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
export const ALL_SERVICE_ACCOUNTS = 'system:serviceaccounts';
