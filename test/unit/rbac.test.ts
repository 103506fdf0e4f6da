/**
 * RBAC: the authorizer's decisions over Roles, ClusterRoles and their
 * bindings (table-driven), the API server's Forbidden words, the default
 * policy and ClusterRole aggregation, and kubectl's RBAC commands (create
 * role/clusterrole/…binding/serviceaccount, auth can-i, get tables) against
 * one real cluster.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bootstrapClusterRoles, createApiStore, ensureBootstrapPolicy, authorize, forbiddenError, forbiddenMessage } from '../../src/api/index.ts';
import type { ApiStore, ClusterRole, KubeObject, PolicyRule, RequestAttributes, RoleBinding, Subject, UserInfo } from '../../src/api/index.ts';
import { ClusterRoleAggregationController } from '../../src/controllers/index.ts';
import { ManualClock } from '../../src/shared/index.ts';
import { startCliCluster, type CliCluster } from '../helpers/cli.ts';
import { until } from '../helpers/cluster.ts';

/** A Role in `namespace`, or a ClusterRole without one. */
function makeRole(name: string, namespace?: string) {
  const o: KubeObject & { rules: PolicyRule[] } = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: namespace ? 'Role' : 'ClusterRole', metadata: { name, namespace }, rules: [] };
  const b = {
    rule: (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]) => (o.rules.push({ verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) }), b),
    urls: (verbs: string[], nonResourceURLs: string[]) => (o.rules.push({ verbs, nonResourceURLs }), b),
    label: (key: string, value: string) => ((o.metadata.labels = { ...o.metadata.labels, [key]: value }), b),
    obj: () => o,
  };
  return b;
}

/** A RoleBinding in `namespace`, or a ClusterRoleBinding without one. */
function makeBinding(name: string, namespace?: string) {
  const o: RoleBinding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: namespace ? 'RoleBinding' : 'ClusterRoleBinding', metadata: { name, namespace }, subjects: [], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: '' } };
  const subject = (s: Subject) => (o.subjects!.push(s), b);
  const b = {
    role: (kind: 'Role' | 'ClusterRole', roleName: string) => ((o.roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind, name: roleName }), b),
    user: (n: string) => subject({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: n }),
    group: (n: string) => subject({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: n }),
    serviceAccount: (n: string, ns?: string) => subject({ kind: 'ServiceAccount', name: n, ...(ns ? { namespace: ns } : {}) }),
    obj: () => o,
  };
  return b;
}

const user = (username: string, ...groups: string[]): UserInfo => ({ username, groups: [...groups, 'system:authenticated'] });
const sa = (ns: string, name: string): UserInfo => ({ username: `system:serviceaccount:${ns}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] });
const res = (verb: string, resource: string, namespace = '', extra: Partial<RequestAttributes> = {}): RequestAttributes => {
  const [r, sub] = resource.split('/');
  const dot = r!.indexOf('.');
  return { verb, apiGroup: dot < 0 ? '' : r!.slice(dot + 1), resource: dot < 0 ? r! : r!.slice(0, dot), ...(sub ? { subresource: sub } : {}), namespace, ...extra };
};
const url = (verb: string, path: string): RequestAttributes => ({ verb, path });

/** A store with the default policy, its aggregated roles filled, and `objects`. */
async function policyStore(objects: KubeObject[] = []): Promise<{ api: ApiStore; controller: ClusterRoleAggregationController }> {
  const api = createApiStore({ clock: new ManualClock(Date.UTC(2026, 0, 1)) });
  ensureBootstrapPolicy(api);
  for (const ns of ['dev', 'prod']) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const o of objects) api.create(o);
  const controller = new ClusterRoleAggregationController(api);
  await until('admin aggregated', () => ((api.get<ClusterRole>('ClusterRole', undefined, 'admin').rules ?? []).length > 0), 5000);
  return { api, controller };
}

const rulesOf = (api: ApiStore, name: string) => api.get<ClusterRole>('ClusterRole', undefined, name).rules ?? [];

describe('authorize', () => {
  let api: ApiStore;
  let controller: ClusterRoleAggregationController;
  before(async () => {
    ({ api, controller } = await policyStore([
      makeRole('pod-reader', 'dev').rule(['get', 'list', 'watch'], [''], ['pods']).obj(),
      makeBinding('read-pods', 'dev').role('Role', 'pod-reader').user('jane').serviceAccount('builder').obj(),
      makeRole('log-reader', 'dev').rule(['get'], [''], ['pods/log']).obj(),
      makeBinding('read-logs', 'dev').role('Role', 'log-reader').group('auditors').obj(),
      makeRole('web-only', 'dev').rule(['get', 'update'], ['apps'], ['deployments'], ['web']).obj(),
      makeBinding('deploy-web', 'dev').role('Role', 'web-only').serviceAccount('deployer', 'dev').obj(),
      makeRole('secret-reader').rule(['get'], [''], ['secrets']).obj(),
      makeBinding('read-secrets', 'dev').role('ClusterRole', 'secret-reader').user('dave').obj(),
      makeBinding('viewers').role('ClusterRole', 'view').group('viewers').obj(),
      makeRole('any-scale').rule(['*'], ['*'], ['*/scale']).obj(),
      makeBinding('scalers').role('ClusterRole', 'any-scale').user('scaler').obj(),
      makeRole('apps-all').rule(['*'], ['apps'], ['*']).obj(),
      makeBinding('apps-admins').role('ClusterRole', 'apps-all').user('apps-admin').obj(),
      makeRole('health').urls(['get'], ['/healthz', '/logs/*']).obj(),
      makeBinding('monitors').role('ClusterRole', 'health').user('monitor').obj(),
      makeBinding('haunted', 'dev').role('Role', 'ghost').user('casper').obj(),
      makeBinding('editors', 'dev').role('ClusterRole', 'edit').user('editor').obj(),
      makeBinding('admins', 'dev').role('ClusterRole', 'admin').user('ns-admin').obj(),
    ]));
  });
  after(() => controller.dispose());

  const cases: Array<[string, UserInfo, RequestAttributes, boolean]> = [
    ['a RoleBinding grants its Role in its namespace', user('jane'), res('list', 'pods', 'dev'), true],
    ['… and nowhere else', user('jane'), res('list', 'pods', 'prod'), false],
    ['… nor across all namespaces', user('jane'), res('list', 'pods'), false],
    ['… only the verbs of its rules', user('jane'), res('delete', 'pods', 'dev', { name: 'web' }), false],
    ['pods does not cover pods/log', user('jane'), res('get', 'pods/log', 'dev', { name: 'web' }), false],
    ['pods/log in a rule, to a group', user('ann', 'auditors'), res('get', 'pods/log', 'dev', { name: 'web' }), true],
    ['pods/log does not cover pods', user('ann', 'auditors'), res('get', 'pods', 'dev', { name: 'web' }), false],
    ['a ServiceAccount subject without namespace is the binding namespace’s', sa('dev', 'builder'), res('watch', 'pods', 'dev'), true],
    ['… not another namespace’s account of that name', sa('prod', 'builder'), res('watch', 'pods', 'dev'), false],
    ['resourceNames: the named object', sa('dev', 'deployer'), res('update', 'deployments.apps', 'dev', { name: 'web' }), true],
    ['resourceNames: not another', sa('dev', 'deployer'), res('update', 'deployments.apps', 'dev', { name: 'api' }), false],
    ['resourceNames: not a list (no name)', sa('dev', 'deployer'), res('list', 'deployments.apps', 'dev'), false],
    ['the API group must match', sa('dev', 'deployer'), res('get', 'deployments.extensions', 'dev', { name: 'web' }), false],
    ['a RoleBinding to a ClusterRole grants it in the binding’s namespace', user('dave'), res('get', 'secrets', 'dev', { name: 's' }), true],
    ['… and not in another', user('dave'), res('get', 'secrets', 'prod', { name: 's' }), false],
    ['a ClusterRoleBinding grants everywhere', user('vic', 'viewers'), res('list', 'pods', 'prod'), true],
    ['… across all namespaces too', user('vic', 'viewers'), res('list', 'deployments.apps'), true],
    ['view does not read secrets', user('vic', 'viewers'), res('get', 'secrets', 'prod', { name: 's' }), false],
    ['view reads pods/log', user('vic', 'viewers'), res('get', 'pods/log', 'prod', { name: 'web' }), true],
    ['*/scale: the scale of any resource', user('scaler'), res('update', 'deployments.apps/scale', 'dev', { name: 'web' }), true],
    ['*/scale: any group', user('scaler'), res('patch', 'replicasets.apps/scale', 'prod', { name: 'r' }), true],
    ['*/scale: not the resource itself', user('scaler'), res('update', 'deployments.apps', 'dev', { name: 'web' }), false],
    ['* resources of one group, any verb', user('apps-admin'), res('deletecollection', 'statefulsets.apps', 'prod'), true],
    ['… subresources too', user('apps-admin'), res('update', 'deployments.apps/status', 'prod', { name: 'web' }), true],
    ['… not another group', user('apps-admin'), res('delete', 'pods', 'prod', { name: 'p' }), false],
    ['nonResourceURLs: an exact path', user('monitor'), url('get', '/healthz'), true],
    ['nonResourceURLs: a prefix with *', user('monitor'), url('get', '/logs/kubelet.log'), true],
    ['nonResourceURLs: the prefix needs its slash', user('monitor'), url('get', '/logs'), false],
    ['nonResourceURLs: the verb must match', user('monitor'), url('post', '/healthz'), false],
    ['nonResourceURLs: other paths', user('monitor'), url('get', '/metrics'), false],
    ['a binding to a missing role grants nothing', user('casper'), res('get', 'pods', 'dev', { name: 'p' }), false],
    ['edit (aggregated) creates deployments', user('editor'), res('create', 'deployments.apps', 'dev'), true],
    ['edit reads secrets', user('editor'), res('get', 'secrets', 'dev', { name: 's' }), true],
    ['edit holds view’s rules (pods/log)', user('editor'), res('get', 'pods/log', 'dev', { name: 'web' }), true],
    ['edit does not write roles', user('editor'), res('create', 'roles.rbac.authorization.k8s.io', 'dev'), false],
    ['admin writes role bindings', user('ns-admin'), res('create', 'rolebindings.rbac.authorization.k8s.io', 'dev'), true],
    ['admin holds edit’s rules', user('ns-admin'), res('create', 'deployments.apps', 'dev'), true],
    ['admin creates pods/exec', user('ns-admin'), res('create', 'pods/exec', 'dev', { name: 'web' }), true],
    ['system:masters: cluster-admin, anything', user('kubernetes-admin', 'system:masters'), res('escalate', 'clusterroles.rbac.authorization.k8s.io', '', { name: 'x' }), true],
    ['system:masters: any URL', user('kubernetes-admin', 'system:masters'), url('delete', '/anything'), true],
    ['no bindings: discovery /api', sa('default', 'default'), url('get', '/api'), true],
    ['no bindings: discovery /apis/apps/v1', sa('default', 'default'), url('get', '/apis/apps/v1'), true],
    ['no bindings: /version', sa('default', 'default'), url('get', '/version'), true],
    ['no bindings: /healthz', sa('default', 'default'), url('get', '/healthz'), true],
    ['no bindings: its own access reviews (system:basic-user)', sa('default', 'default'), res('create', 'selfsubjectaccessreviews.authorization.k8s.io'), true],
    ['no bindings: not pods', sa('default', 'default'), res('list', 'pods', 'default'), false],
    ['no bindings: not its own namespace', sa('default', 'default'), res('get', 'namespaces', '', { name: 'default' }), false],
    ['no bindings: not other URLs', sa('default', 'default'), url('get', '/metrics'), false],
    ['no bindings: not post to /api', sa('default', 'default'), url('post', '/api'), false],
    ['unauthenticated: /version only', { username: 'system:anonymous', groups: ['system:unauthenticated'] }, url('get', '/version'), true],
    ['unauthenticated: no discovery', { username: 'system:anonymous', groups: ['system:unauthenticated'] }, url('get', '/api'), false],
  ];
  for (const [name, who, attributes, allowed] of cases) {
    test(name, () => assert.equal(authorize(api, who, attributes).allowed, allowed, JSON.stringify({ who, attributes })));
  }

  test('reasons: the binding that allowed, the missing role that could not', () => {
    assert.equal(authorize(api, sa('dev', 'builder'), res('get', 'pods', 'dev')).reason, 'RBAC: allowed by RoleBinding "read-pods/dev" of Role "pod-reader" to ServiceAccount "builder/dev"');
    assert.equal(authorize(api, user('x', 'system:masters'), url('get', '/')).reason, 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"');
    assert.deepEqual(authorize(api, user('casper'), res('get', 'pods', 'dev')), { allowed: false, reason: 'RBAC: role.rbac.authorization.k8s.io "ghost" not found' });
    assert.deepEqual(authorize(api, user('jane'), res('get', 'pods', 'prod')), { allowed: false });
  });
});

describe('forbiddenMessage', () => {
  const me = sa('default', 'default');
  const who = 'User "system:serviceaccount:default:default"';
  const cases: Array<[RequestAttributes, string]> = [
    [res('list', 'pods', 'default'), `pods is forbidden: ${who} cannot list resource "pods" in API group "" in the namespace "default"`],
    [res('get', 'pods', 'default', { name: 'web' }), `pods "web" is forbidden: ${who} cannot get resource "pods" in API group "" in the namespace "default"`],
    [res('get', 'pods/log', 'default', { name: 'web' }), `pods "web" is forbidden: ${who} cannot get resource "pods/log" in API group "" in the namespace "default"`],
    [res('list', 'nodes'), `nodes is forbidden: ${who} cannot list resource "nodes" in API group "" at the cluster scope`],
    [res('watch', 'deployments.apps'), `deployments.apps is forbidden: ${who} cannot watch resource "deployments" in API group "apps" at the cluster scope`],
    [res('patch', 'deployments.apps/scale', 'dev', { name: 'web' }), `deployments.apps "web" is forbidden: ${who} cannot patch resource "deployments/scale" in API group "apps" in the namespace "dev"`],
    [url('get', '/healthz'), `forbidden: ${who} cannot get path "/healthz"`],
  ];
  for (const [attributes, message] of cases) test(message, () => assert.equal(forbiddenMessage(me, attributes), message));

  test('the authorizer’s reason follows, and kubectl prints the 403 as a server error', () => {
    const err = forbiddenError(me, res('get', 'pods', 'dev'), 'RBAC: role.rbac.authorization.k8s.io "ghost" not found');
    assert.equal(err.httpCode, 403);
    assert.equal(err.kubectlMessage(), `Error from server (Forbidden): pods is forbidden: ${who} cannot get resource "pods" in API group "" in the namespace "dev": RBAC: role.rbac.authorization.k8s.io "ghost" not found`);
  });
});

describe('bootstrap policy and aggregation', () => {
  let api: ApiStore;
  let controller: ClusterRoleAggregationController;
  before(async () => ({ api, controller } = await policyStore()));
  after(() => controller.dispose());

  test('the default roles and bindings, created once', () => {
    ensureBootstrapPolicy(api);
    const names = api.list('ClusterRole').items.map((r) => r.metadata.name);
    assert.deepEqual(names, ['admin', 'cluster-admin', 'edit', 'system:aggregate-to-admin', 'system:aggregate-to-edit', 'system:aggregate-to-view', 'system:basic-user', 'system:discovery', 'system:public-info-viewer', 'view']);
    const bindings = api.list<RoleBinding>('ClusterRoleBinding').items.map((b) => `${b.metadata.name} → ${b.roleRef.kind}/${b.roleRef.name}: ${(b.subjects ?? []).map((s) => `${s.kind} ${s.name}`).join(', ')}`);
    const groups = 'Group system:authenticated';
    assert.deepEqual(bindings, ['cluster-admin → ClusterRole/cluster-admin: Group system:masters', `system:basic-user → ClusterRole/system:basic-user: ${groups}`, `system:discovery → ClusterRole/system:discovery: ${groups}`, `system:public-info-viewer → ClusterRole/system:public-info-viewer: ${groups}, Group system:unauthenticated`]);
    for (const o of [...api.list('ClusterRole').items, ...api.list('ClusterRoleBinding').items]) {
      assert.equal(o.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults', o.metadata.name!);
      assert.equal(o.metadata.annotations?.['rbac.authorization.kubernetes.io/autoupdate'], 'true', o.metadata.name!);
    }
    assert.deepEqual(api.get<ClusterRole>('ClusterRole', undefined, 'edit').metadata.labels, { 'kubernetes.io/bootstrapping': 'rbac-defaults', 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' });
  });

  test('view, edit and admin aggregate the system:aggregate-to-* roles, in chain', async () => {
    const own = (name: string) => bootstrapClusterRoles().find((r) => r.metadata.name === name)!.rules!;
    assert.deepEqual(rulesOf(api, 'view'), own('system:aggregate-to-view'));
    assert.deepEqual(rulesOf(api, 'edit'), [...own('system:aggregate-to-edit'), ...own('system:aggregate-to-view')]);
    assert.deepEqual(rulesOf(api, 'admin'), [...rulesOf(api, 'edit'), ...own('system:aggregate-to-admin')]);
    assert.equal(rulesOf(api, 'admin').length, 29);
    // A role of one's own joins view, and through it edit and admin; it leaves with its label.
    const widgets = { verbs: ['get', 'list'], apiGroups: ['example.com'], resources: ['widgets'] };
    api.create(makeRole('widget-viewer').rule(widgets.verbs, widgets.apiGroups, widgets.resources).label('rbac.authorization.k8s.io/aggregate-to-view', 'true').obj());
    await until('widgets in admin', () => rulesOf(api, 'admin').some((r) => r.resources?.includes('widgets')), 5000);
    assert.deepEqual(rulesOf(api, 'view').at(-1), widgets);
    assert.ok(rulesOf(api, 'edit').some((r) => r.resources?.includes('widgets')));
    api.delete('ClusterRole', undefined, 'widget-viewer');
    await until('widgets gone', () => !rulesOf(api, 'admin').some((r) => r.resources?.includes('widgets')), 5000);
    assert.deepEqual(rulesOf(api, 'view'), own('system:aggregate-to-view'));
    const rv = api.get('ClusterRole', undefined, 'view').metadata.resourceVersion;
    api.create(makeRole('unrelated').rule(['get'], [''], ['pods']).obj());
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(api.get('ClusterRole', undefined, 'view').metadata.resourceVersion, rv, 'a role whose rules are right is not written again');
  });
});

describe('kubectl', () => {
  let c: CliCluster;
  let controller: ClusterRoleAggregationController;
  before(async () => {
    c = await startCliCluster({ nodes: 1 });
    // Until src/sandbox/cluster.ts does it for every cluster.
    ensureBootstrapPolicy(c.cluster.api);
    controller = new ClusterRoleAggregationController(c.cluster.api);
    await until('view aggregated', () => rulesOf(c.cluster.api, 'view').length > 0, 5000);
  });
  after(() => (controller.dispose(), c.close()));
  const ok = async (line: string, stdout: string) => assert.deepEqual(await c.sh(line), { code: 0, stdout, stderr: '' }, line);
  const fails = async (line: string, stderr: string) => assert.deepEqual(await c.sh(line), { code: 1, stdout: '', stderr }, line);
  const says = async (line: string, code: number, stdout: string, stderr = '') => assert.deepEqual(await c.sh(line), { code, stdout, stderr }, line);
  const robot = '--as=system:serviceaccount:default:build-robot';

  test('create serviceaccount, role, rolebinding: the lines kubectl prints', async () => {
    await ok('kubectl create serviceaccount build-robot', 'serviceaccount/build-robot created\n');
    await fails('kubectl create sa build-robot', 'error: failed to create serviceaccount: serviceaccounts "build-robot" already exists\n');
    await ok('kubectl create role pod-reader --verb=get --verb=list,watch --resource=pods', 'role.rbac.authorization.k8s.io/pod-reader created\n');
    await ok('kubectl create rolebinding read-pods --role=pod-reader --serviceaccount=default:build-robot', 'rolebinding.rbac.authorization.k8s.io/read-pods created\n');
    await ok('kubectl create clusterrolebinding robots-view --clusterrole=view --group=robots -o name', 'clusterrolebinding.rbac.authorization.k8s.io/robots-view\n');
    await ok("kubectl create clusterrole widget-reader --verb=get '--non-resource-url=/widgets/*' --dry-run=server", 'clusterrole.rbac.authorization.k8s.io/widget-reader created (server dry run)\n');
    assert.equal(c.cluster.api.tryGet('ClusterRole', undefined, 'widget-reader'), undefined);
    const rb = c.cluster.api.get<RoleBinding>('RoleBinding', 'default', 'read-pods');
    assert.deepEqual([rb.subjects, rb.roleRef], [[{ kind: 'ServiceAccount', name: 'build-robot', namespace: 'default' }], { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' }]);
  });

  test('create role/clusterrole --dry-run=client -o yaml: the objects kubectl builds', async () => {
    await ok(
      'kubectl create role mixed --verb=get,get --resource=deploy,pods/log,rs.apps,po --resource-name=web --dry-run=client -o yaml',
      `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: mixed
rules:
- apiGroups:
  - ""
  resourceNames:
  - web
  resources:
  - pods/log
  - pods
  verbs:
  - get
- apiGroups:
  - apps
  resourceNames:
  - web
  resources:
  - deployments
  - replicasets
  verbs:
  - get
`,
    );
    await ok(
      'kubectl create clusterrole monitoring --aggregation-rule=rbac.example.com/aggregate-to-monitoring=true --dry-run=client -o yaml',
      `aggregationRule:
  clusterRoleSelectors:
  - matchLabels:
      rbac.example.com/aggregate-to-monitoring: "true"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring
rules: null
`,
    );
    assert.match((await c.sh('kubectl create rolebinding admins -n dev --clusterrole=admin --user=jane --dry-run=client -o yaml')).stdout, /\nmetadata:\n  name: admins\n  namespace: dev\nroleRef:\n/);
  });

  test('create: kubectl’s checks and words', async () => {
    await fails('kubectl create role r --resource=pods', 'error: at least one verb must be specified\n');
    await fails('kubectl create role r --verb=get', 'error: at least one resource must be specified\n');
    await fails('kubectl create role r --verb=get --resource=widgets', 'error: the server doesn\'t have a resource type "widgets"\n');
    await fails('kubectl create role r --verb=get --resource=deployments.extensions', 'error: the server doesn\'t have a resource type "deployments" in group "extensions"\n');
    await fails('kubectl create role r --verb=bind --resource=pods', "error: can not perform 'bind' on 'pods' in group ''\n");
    await fails('kubectl create role r --verb=get --resource=.apps', 'error: resource must be specified if apiGroup/subresource specified\n');
    const odd = await c.sh('kubectl create role r --verb=frob --resource=pods --dry-run=client');
    assert.deepEqual(odd, { code: 0, stdout: 'role.rbac.authorization.k8s.io/r created (dry run)\n', stderr: "Warning: 'frob' is not a standard resource verb\n" });
    await fails('kubectl create role', "error: exactly one NAME is required, got 0\nSee 'kubectl create role -h' for help and examples\n");
    await fails('kubectl create clusterrole c --verb=list --non-resource-url=/logs', "error: invalid verb: 'list' for nonResourceURL\n");
    await fails('kubectl create clusterrole c --verb=get --non-resource-url=logs', 'error: nonResourceURL should start with /\n');
    await fails('kubectl create clusterrole c --verb=get', 'error: one of resource or nonResourceURL must be specified\n');
    await fails('kubectl create clusterrole c --verb=get --aggregation-rule=a=b', 'error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames\n');
    await fails('kubectl create clusterrole c --aggregation-rule=nope', `error: invalid argument "nope" for "--aggregation-rule" flag: malformed pair, expect string=string\nSee 'kubectl create clusterrole --help' for usage.\n`);
    await fails('kubectl create rolebinding b --role=r --clusterrole=c', 'error: exactly one of clusterrole or role must be specified\n');
    await fails('kubectl create rolebinding b --role=r --serviceaccount=robot', 'error: serviceaccount must be <namespace>:<name>\n');
    await fails('kubectl create clusterrolebinding b --user=u', 'error: required flag(s) "clusterrole" not set\n');
    await fails('kubectl create rolebinding read-pods --role=pod-reader', 'error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "read-pods" already exists\n');
  });

  test('auth can-i: yes and no, as the terminal’s user and as a service account', async () => {
    await ok('kubectl auth can-i create deployments', 'yes\n');
    await ok("kubectl auth can-i '*' '*' -A", 'yes\n');
    await ok(`kubectl auth can-i list pods ${robot}`, 'yes\n');
    await ok(`kubectl auth can-i get pods/web ${robot}`, 'yes\n');
    await says(`kubectl auth can-i list pods ${robot} -n kube-system`, 1, 'no\n');
    await says(`kubectl auth can-i delete pods ${robot}`, 1, 'no\n');
    await says(`kubectl auth can-i get pods --subresource=log ${robot}`, 1, 'no\n');
    await says(`kubectl auth can-i get /healthz ${robot}`, 0, 'yes\n');
    await says(`kubectl auth can-i list pods ${robot} -q -n kube-system`, 1, '');
    // --as-group robots: the ClusterRoleBinding robots-view grants view everywhere.
    await says('kubectl auth can-i list deployments.apps --as=r2 --as-group=robots -n kube-system', 0, 'yes\n');
    await ok('kubectl create rolebinding haunted --role=ghost --user=casper', 'rolebinding.rbac.authorization.k8s.io/haunted created\n');
    await says('kubectl auth can-i get pods --as=casper', 1, 'no - RBAC: role.rbac.authorization.k8s.io "ghost" not found\n');
  });

  test('auth can-i: kubectl’s warnings and mistakes', async () => {
    await says('kubectl auth can-i list nodes', 0, 'yes\n', "Warning: resource 'nodes' is not namespace scoped\n\n");
    await says('kubectl auth can-i get widgets', 0, 'yes\n', "Warning: the server doesn't have a resource type 'widgets'\n\n");
    await says('kubectl auth can-i frob pods', 0, 'yes\n', "Warning: verb 'frob' is not a known verb\n\n");
    await fails('kubectl auth can-i get', "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n");
    await fails('kubectl auth can-i get /healthz --subresource=log', 'error: --subresource can not be used with NonResourceURL\n');
    await fails('kubectl auth can-i --list -A', "error: list option can't be specified with neither quiet, all-namespaces nor subresource options\n");
    await fails('kubectl auth can-i list pods --as-group=devs', 'error: invalid configuration: requesting uid, groups or user-extra for kubernetes-admin without impersonating a user\n');
    await fails(
      'kubectl auth can-i list pods --as=system:anonymous',
      'Error from server (Forbidden): selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "system:anonymous" cannot create resource "selfsubjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope\n',
    );
  });

  test('auth can-i --list: the service account’s rules as kubectl tables them', async () => {
    const r = await c.sh(`kubectl auth can-i --list ${robot}`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      `Resources                                       Non-Resource URLs   Resource Names   Verbs
selfsubjectreviews.authentication.k8s.io        []                  []               [create]
selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]
selfsubjectrulesreviews.authorization.k8s.io    []                  []               [create]
pods                                            []                  []               [get list watch]
                                                [/api/*]            []               [get]
                                                [/api]              []               [get]
                                                [/apis/*]           []               [get]
                                                [/apis]             []               [get]
                                                [/healthz]          []               [get]
                                                [/healthz]          []               [get]
                                                [/livez]            []               [get]
                                                [/livez]            []               [get]
                                                [/openapi/*]        []               [get]
                                                [/openapi]          []               [get]
                                                [/readyz]           []               [get]
                                                [/readyz]           []               [get]
                                                [/version/]         []               [get]
                                                [/version/]         []               [get]
                                                [/version]          []               [get]
                                                [/version]          []               [get]
`,
    );
    const admin = (await c.sh('kubectl auth can-i --list --no-headers')).stdout.split('\n');
    assert.match(admin[0]!, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/);
    assert.match(admin[1]!, /^\s+\[\*\]\s+\[\]\s+\[\*\]$/);
  });

  test('auth whoami', async () => {
    await ok('kubectl auth whoami', 'ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [system:masters system:authenticated]\n');
    await ok(`kubectl auth whoami ${robot}`, 'ATTRIBUTE   VALUE\nUsername    system:serviceaccount:default:build-robot\nGroups      [system:serviceaccounts system:serviceaccounts:default system:authenticated]\n');
  });

  test('get: tables of service accounts, roles and bindings; the aggregated view', async () => {
    assert.match((await c.sh('kubectl get sa build-robot')).stdout, /^NAME\s+SECRETS\s+AGE\nbuild-robot\s+0\s+\d+s\n$/);
    assert.equal((await c.sh('kubectl get roles')).stdout, 'NAME         CREATED AT\npod-reader   2026-11-27T12:00:00Z\n');
    assert.match((await c.sh('kubectl get clusterroles')).stdout, /^NAME\s+CREATED AT\nadmin\s+2026-11-27T12:00:00Z\n/);
    const wide = (await c.sh('kubectl get rolebindings -o wide')).stdout;
    assert.match(wide, /^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\n/);
    assert.match(wide, /\nread-pods\s+Role\/pod-reader\s+\d+s\s+default\/build-robot\n/);
    assert.match(wide, /\nhaunted\s+Role\/ghost\s+\d+s\s+casper\s*\n/);
    assert.match((await c.sh('kubectl get clusterrolebinding cluster-admin -o wide')).stdout, /\ncluster-admin\s+ClusterRole\/cluster-admin\s+\d+s\s+system:masters\s*\n$/);
    const view = (await c.sh('kubectl get clusterrole view -o yaml')).stdout;
    assert.match(view, /^aggregationRule:\n {2}clusterRoleSelectors:\n {2}- matchLabels:\n {6}rbac\.authorization\.k8s\.io\/aggregate-to-view: "true"\n/);
    assert.match(view, /\n {2}- pods\/log\n/);
    assert.match(view, /\nrules:\n- apiGroups:\n {2}- ""\n {2}resources:\n {2}- configmaps\n/);
  });
});
