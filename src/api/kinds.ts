/**
 * The kinds podplay's API serves, with the names kubectl uses for them
 * (`kubectl api-resources`): resource, short names, API group and version,
 * and whether objects live in a namespace.
 */

export interface KindInfo {
  kind: string;
  /** Plural resource name: `pods`, `deployments`. */
  resource: string;
  singular: string;
  shortNames: string[];
  /** '' for the core group. */
  group: string;
  version: string;
  namespaced: boolean;
  /** Whether the kind has a status subresource (status is written apart from spec). */
  hasStatus: boolean;
}

const kind = (k: string, resource: string, group: string, shortNames: string[], namespaced = true, hasStatus = true): KindInfo => ({
  kind: k,
  resource,
  singular: k.toLowerCase(),
  shortNames,
  group,
  version: 'v1',
  namespaced,
  hasStatus,
});

export const KINDS: readonly KindInfo[] = [
  kind('ConfigMap', 'configmaps', '', ['cm'], true, false),
  kind('Endpoints', 'endpoints', '', ['ep'], true, false),
  kind('Event', 'events', '', ['ev'], true, false),
  kind('Namespace', 'namespaces', '', ['ns'], false),
  kind('Node', 'nodes', '', ['no'], false),
  kind('Pod', 'pods', '', ['po']),
  kind('Secret', 'secrets', '', [], true, false),
  kind('ServiceAccount', 'serviceaccounts', '', ['sa'], true, false),
  kind('Service', 'services', '', ['svc']),
  kind('DaemonSet', 'daemonsets', 'apps', ['ds']),
  kind('Deployment', 'deployments', 'apps', ['deploy']),
  kind('ReplicaSet', 'replicasets', 'apps', ['rs']),
  kind('Job', 'jobs', 'batch', []),
  kind('EndpointSlice', 'endpointslices', 'discovery.k8s.io', [], true, false),
  kind('PriorityClass', 'priorityclasses', 'scheduling.k8s.io', ['pc'], false, false),
  kind('ClusterRoleBinding', 'clusterrolebindings', 'rbac.authorization.k8s.io', [], false, false),
  kind('ClusterRole', 'clusterroles', 'rbac.authorization.k8s.io', [], false, false),
  kind('RoleBinding', 'rolebindings', 'rbac.authorization.k8s.io', [], true, false),
  kind('Role', 'roles', 'rbac.authorization.k8s.io', [], true, false),
];

const byKind = new Map(KINDS.map((k) => [k.kind, k]));

/** `v1`, `apps/v1`. */
export function apiVersionOf(info: KindInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** `pods`, `deployments.apps`: how the API server names a resource in messages. */
export function qualifiedResource(info: KindInfo): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

/** `pod`, `deployment.apps`: how kubectl names a kind in its lines (`deployment.apps/web created`). */
export function kubectlKind(info: KindInfo): string {
  return info.group ? `${info.singular}.${info.group}` : info.singular;
}

/** `Pod`, `Deployment.apps`: how the API server names a kind in messages. */
export function qualifiedKind(info: KindInfo): string {
  return info.group ? `${info.kind}.${info.group}` : info.kind;
}

export function kindInfo(kind: string): KindInfo | undefined {
  return byKind.get(kind);
}

/** The kind an apiVersion + kind pair names, if podplay serves it in that version. */
export function kindFor(apiVersion: string, kind: string): KindInfo | undefined {
  const info = byKind.get(kind);
  return info && apiVersionOf(info) === apiVersion ? info : undefined;
}

/**
 * What kubectl accepts as a resource argument: `pods`, `pod`, `po`,
 * `deployments.apps`, `Deployment`, case-insensitive.
 */
export function resolveResource(name: string): KindInfo | undefined {
  const n = name.toLowerCase();
  return KINDS.find(
    (k) =>
      k.resource === n ||
      k.singular === n ||
      k.shortNames.includes(n) ||
      (k.group && (n === `${k.resource}.${k.group}` || n === `${k.singular}.${k.group}`)),
  );
}
