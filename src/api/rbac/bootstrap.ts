/**
 * The default ClusterRoles and ClusterRoleBindings a cluster starts with,
 * as data, exactly as Kubernetes 1.35 has them. Source of truth:
 * kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/
 * testdata/cluster-roles.yaml and cluster-role-bindings.yaml (1.35: events
 * also in events.k8s.io for edit and view, kubernetes#133740; resource.k8s.io
 * claims in edit and view since DRA is on by default). Read from a copy of
 * the repository that tracks upstream (aks-lts/kubernetes ec451e29 for the
 * roles, kubernetes c60df89 for the bindings).
 *
 * ensureBootstrapPolicy creates them in a cluster, as the API server's
 * rbac/bootstrap-roles post-start hook does.
 *
 * Only the user-facing roles and what every user is bound to are here (not
 * the system:node, system:kube-scheduler… roles of the control plane's own
 * components). Rules name resources podplay does not serve (ingresses,
 * cronjobs…), as a real cluster's roles do. Lists are sorted as the API
 * server stores them; rule fields are in the API's order.
 */
import type { ApiStore } from '../store.ts';
import type { ClusterRole, ClusterRoleBinding, PolicyRule } from './types.ts';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';
export const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
export const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
export const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

const AGGREGATE_TO_EDIT_RULES: PolicyRule[] = [
  { verbs: READ, apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'] },
  { verbs: ['impersonate'], apiGroups: [''], resources: ['serviceaccounts'] },
  { verbs: WRITE, apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'] },
  { verbs: ['create'], apiGroups: [''], resources: ['pods/eviction'] },
  { verbs: WRITE, apiGroups: [''], resources: ['configmaps', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'] },
  { verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'] },
  { verbs: WRITE, apiGroups: ['', 'events.k8s.io'], resources: ['events'] },
  { verbs: WRITE, apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'] },
  { verbs: WRITE, apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
  { verbs: WRITE, apiGroups: ['batch'], resources: ['cronjobs', 'jobs'] },
  {
    verbs: WRITE,
    apiGroups: ['extensions'],
    resources: ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale'],
  },
  { verbs: WRITE, apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
  { verbs: WRITE, apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'] },
  { verbs: READ_WRITE, apiGroups: ['coordination.k8s.io'], resources: ['leases'] },
  { verbs: WRITE, apiGroups: ['resource.k8s.io'], resources: ['resourceclaims', 'resourceclaimtemplates'] },
];

const AGGREGATE_TO_VIEW_RULES: PolicyRule[] = [
  {
    verbs: READ,
    apiGroups: [''],
    resources: ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'],
  },
  { verbs: READ, apiGroups: [''], resources: ['bindings', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'] },
  { verbs: READ, apiGroups: [''], resources: ['namespaces'] },
  { verbs: READ, apiGroups: ['', 'events.k8s.io'], resources: ['events'] },
  { verbs: READ, apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
  {
    verbs: READ,
    apiGroups: ['apps'],
    resources: [
      'controllerrevisions',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
    ],
  },
  { verbs: READ, apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'] },
  { verbs: READ, apiGroups: ['batch'], resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'] },
  {
    verbs: READ,
    apiGroups: ['extensions'],
    resources: [
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'ingresses',
      'ingresses/status',
      'networkpolicies',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'replicationcontrollers/scale',
    ],
  },
  { verbs: READ, apiGroups: ['policy'], resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'] },
  { verbs: READ, apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingresses/status', 'networkpolicies'] },
  { verbs: READ, apiGroups: ['resource.k8s.io'], resources: ['resourceclaims', 'resourceclaims/status', 'resourceclaimtemplates'] },
];

/** A default ClusterRole: its name, extra labels, and rules or an aggregation rule (whose rules the controller fills). */
interface RoleSpec {
  name: string;
  labels?: Record<string, string>;
  rules?: PolicyRule[];
  aggregateFrom?: string;
}

const ROLES: RoleSpec[] = [
  { name: 'admin', aggregateFrom: AGGREGATE_TO_ADMIN },
  {
    name: 'cluster-admin',
    rules: [
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      { verbs: ['*'], nonResourceURLs: ['*'] },
    ],
  },
  { name: 'edit', labels: { [AGGREGATE_TO_ADMIN]: 'true' }, aggregateFrom: AGGREGATE_TO_EDIT },
  {
    name: 'system:aggregate-to-admin',
    labels: { [AGGREGATE_TO_ADMIN]: 'true' },
    rules: [
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'] },
      { verbs: READ_WRITE, apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'] },
    ],
  },
  { name: 'system:aggregate-to-edit', labels: { [AGGREGATE_TO_EDIT]: 'true' }, rules: AGGREGATE_TO_EDIT_RULES },
  { name: 'system:aggregate-to-view', labels: { [AGGREGATE_TO_VIEW]: 'true' }, rules: AGGREGATE_TO_VIEW_RULES },
  {
    name: 'system:basic-user',
    rules: [
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
    ],
  },
  {
    name: 'system:discovery',
    rules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] }],
  },
  { name: 'system:public-info-viewer', rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }] },
  { name: 'view', labels: { [AGGREGATE_TO_EDIT]: 'true' }, aggregateFrom: AGGREGATE_TO_VIEW },
];

/** ClusterRoleBinding name (and the ClusterRole it binds) → the groups bound. */
const BINDINGS: Record<string, string[]> = {
  'cluster-admin': ['system:masters'],
  'system:basic-user': ['system:authenticated'],
  'system:discovery': ['system:authenticated'],
  'system:public-info-viewer': ['system:authenticated', 'system:unauthenticated'],
};

const metadata = (name: string, labels: Record<string, string> = {}) => ({
  name,
  labels: { ...BOOTSTRAP_LABELS, ...labels },
  annotations: { [AUTOUPDATE_ANNOTATION]: 'true' },
});

/** The default ClusterRoles, as objects to create (fresh copies). */
export function bootstrapClusterRoles(): ClusterRole[] {
  return ROLES.map((r) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: metadata(r.name, r.labels),
    rules: r.rules ? structuredClone(r.rules) : null,
    ...(r.aggregateFrom ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [r.aggregateFrom]: 'true' } }] } } : {}),
  }));
}

/** The default ClusterRoleBindings, as objects to create. */
export function bootstrapClusterRoleBindings(): ClusterRoleBinding[] {
  return Object.entries(BINDINGS).map(([name, groups]) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: metadata(name),
    subjects: groups.map((g) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: g })),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
  }));
}

/**
 * Creates the default ClusterRoles and ClusterRoleBindings a cluster lacks
 * (a new one, or one restored from a save made before RBAC), leaving those
 * it has as they are; safe to call again. The aggregated roles (admin, edit,
 * view) start without rules: the clusterrole-aggregation controller fills them.
 */
export function ensureBootstrapPolicy(api: ApiStore): void {
  for (const role of bootstrapClusterRoles()) if (!api.tryGet('ClusterRole', undefined, role.metadata.name!)) api.create(role);
  for (const binding of bootstrapClusterRoleBindings()) if (!api.tryGet('ClusterRoleBinding', undefined, binding.metadata.name!)) api.create(binding);
}
