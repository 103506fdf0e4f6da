/**
 * kubectl create role, clusterrole, rolebinding, clusterrolebinding and
 * serviceaccount (pkg/cmd/create create_role.go and its siblings): the
 * objects kubectl builds, with its checks and words. Resource words are
 * resolved as kubectl's REST mapper resolves them against the kinds podplay
 * serves (`po`, `deploy`, `rs.apps`, `pods/log`); one rule per API group.
 */
import { isApiError, KINDS, type ClusterRole, type KubeObject, type PolicyRule, type Role, type RoleBinding, type Subject } from '../../api/index.ts';
import { UsageError, type FlagSpec } from '../flags.ts';
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { OUTPUT_FLAG, namespaceOf } from './common.ts';
import { parseOutput } from './output.ts';
import { KUBECTL } from './style.ts';

/** What create.ts lends its generators (this module cannot import it: create.ts registers these commands). */
export interface Emitter {
  /** Creates (or with --dry-run only shows) the object; prints `role.rbac.authorization.k8s.io/x created` or the -o output. */
  emit(inv: Invocation, obj: KubeObject): Promise<number>;
  /** The --dry-run flag. */
  dryRun: FlagSpec;
}

const RBAC_VERSION = 'rbac.authorization.k8s.io/v1';
const RBAC_GROUP = 'rbac.authorization.k8s.io';
const VALID_RESOURCE_VERBS = ['*', 'get', 'delete', 'list', 'create', 'update', 'patch', 'watch', 'proxy', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate'];
const VALID_NON_RESOURCE_VERBS = ['*', 'get', 'post', 'put', 'delete', 'patch', 'head', 'options'];

/** Verbs that only mean something on some resources (create_role.go specialVerbs): group/resource pairs. */
const SPECIAL_VERBS: Record<string, string[]> = {
  use: ['policy/podsecuritypolicies', 'extensions/podsecuritypolicies'],
  bind: [`${RBAC_GROUP}/roles`, `${RBAC_GROUP}/clusterroles`],
  escalate: [`${RBAC_GROUP}/roles`, `${RBAC_GROUP}/clusterroles`],
  impersonate: ['/users', '/serviceaccounts', '/groups', 'authentication.k8s.io/userextras'],
};

interface ResourceOption {
  group: string;
  resource: string;
  subresource: string;
}

const unique = (list: readonly string[]) => [...new Set(list)];

/** `exactly one NAME is required` (NameFromCommandArgs), and -o checked before anything is created. */
function nameOf(inv: Invocation): string {
  if (inv.args.length !== 1) throw new UsageError(`exactly one NAME is required, got ${inv.args.length}`);
  if (inv.flags.output) parseOutput(inv.flags.output as string);
  return inv.args[0]!;
}

/** --verb without repeats; `*` alone when given. */
function verbsOf(inv: Invocation): string[] {
  const verbs = unique(inv.flags.verb as string[]);
  return verbs.includes('*') ? ['*'] : verbs;
}

/** --resource words: `pods`, `rs.apps`, `pods/log`, `deployments.apps/scale`; a bare `*` stands alone. */
function resourceOptions(words: readonly string[]): ResourceOption[] {
  const out: ResourceOption[] = [];
  for (const word of words) {
    const slash = word.indexOf('/');
    const head = slash < 0 ? word : word.slice(0, slash);
    const dot = head.indexOf('.');
    const option = { resource: dot < 0 ? head : head.slice(0, dot), group: dot < 0 ? '' : head.slice(dot + 1), subresource: slash < 0 ? '' : word.slice(slash + 1) };
    if (option.resource === '*' && dot < 0 && slash < 0) return [option];
    out.push(option);
  }
  return out;
}

/** The REST mapper: a served resource by plural, singular or short name (case-insensitive), in `group` when one is given. */
function mapResource(r: ResourceOption): { group: string; resource: string } | undefined {
  const word = r.resource.toLowerCase();
  const info = KINDS.find((k) => (k.resource === word || k.singular === word || k.shortNames.includes(word)) && (!r.group || k.group === r.group));
  return info && { group: info.group, resource: info.resource };
}

/** create_role.go validateResource: each resource must be served, and fit the special verbs. */
function validateResources(resources: readonly ResourceOption[], verbs: readonly string[]): void {
  for (const r of resources) {
    if (!r.resource) throw new CommandError('error: resource must be specified if apiGroup/subresource specified');
    if (r.resource === '*') return;
    const mapped = mapResource(r);
    const resource = mapped ?? { group: r.group, resource: r.resource };
    let missing = mapped ? undefined : `error: the server doesn't have a resource type ${JSON.stringify(r.resource.toLowerCase())}${r.group ? ` in group ${JSON.stringify(r.group)}` : ''}`;
    for (const v of verbs) {
      const allowed = SPECIAL_VERBS[v];
      if (!allowed) continue;
      if (!allowed.includes(`${resource.group}/${resource.resource}`)) throw new CommandError(`error: can not perform '${v}' on '${resource.resource}' in group '${resource.group}'`);
      missing = undefined;
    }
    if (missing) throw new CommandError(missing);
  }
}

/** generateResourcePolicyRules: one rule per API group (groups sorted), then one for the URLs. */
function policyRules(verbs: string[], resources: readonly ResourceOption[], resourceNames: string[], urls: string[]): PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const mapped = mapResource(r) ?? { group: r.group, resource: r.resource };
    const name = r.subresource ? `${mapped.resource}/${r.subresource}` : mapped.resource;
    const list = byGroup.get(mapped.group) ?? [];
    if (!list.includes(name)) list.push(name);
    byGroup.set(mapped.group, list);
  }
  const rules: PolicyRule[] = [...byGroup.keys()].sort().map((g) => ({ verbs, apiGroups: [g], resources: byGroup.get(g)!, ...(resourceNames.length ? { resourceNames } : {}) }));
  if (urls.length) rules.push({ verbs, nonResourceURLs: urls });
  return rules;
}

function warnVerbs(inv: Invocation, verbs: readonly string[]): void {
  for (const v of verbs) if (!VALID_RESOURCE_VERBS.includes(v)) inv.io.err(`Warning: '${v}' is not a standard resource verb\n`);
}

/** --aggregation-rule=key=value[,key=value] (a map flag; repeats add to it). Undefined after printing pflag's error. */
function aggregationLabels(inv: Invocation): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const value of inv.flags['aggregation-rule'] as string[]) {
    for (const pair of value.split(',').map((p) => p.trim()).filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq < 0) {
        inv.io.err(KUBECTL.usageError(`invalid argument ${JSON.stringify(value)} for "--aggregation-rule" flag: malformed pair, expect string=string`, inv.path));
        return undefined;
      }
      labels[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
  }
  return labels;
}

/** Subjects from --user, --group and --serviceaccount=NAMESPACE:NAME, in that order. */
function subjectsOf(inv: Invocation): Subject[] {
  const subjects: Subject[] = [
    ...(inv.flags.user as string[]).map((name) => ({ kind: 'User', apiGroup: RBAC_GROUP, name })),
    ...(inv.flags.group as string[]).map((name) => ({ kind: 'Group', apiGroup: RBAC_GROUP, name })),
  ];
  for (const sa of inv.flags.serviceaccount as string[]) {
    const parts = sa.split(':');
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new CommandError('error: serviceaccount must be <namespace>:<name>');
    subjects.push({ kind: 'ServiceAccount', name: parts[1], namespace: parts[0] });
  }
  return subjects;
}

/** rolebinding, clusterrolebinding and serviceaccount wrap the server's refusal: `error: failed to create rolebinding: …`. */
async function emitWrapped(e: Emitter, inv: Invocation, obj: KubeObject, what: string): Promise<number> {
  try {
    return await e.emit(inv, obj);
  } catch (err) {
    if (isApiError(err)) throw new CommandError(`error: failed to create ${what}: ${err.message}`);
    throw err;
  }
}

const RULE_FLAGS: FlagSpec[] = [
  { name: 'verb', type: 'stringSlice', help: 'Verb that applies to the resources contained in the rule' },
  { name: 'resource', type: 'stringSlice', help: 'Resource that the rule applies to' },
  { name: 'resource-name', type: 'strings', help: 'Resource in the white list that the rule applies to, repeat this flag for multiple items' },
];

function subjectFlags(what: string): FlagSpec[] {
  return [
    { name: 'user', type: 'strings', help: `Usernames to bind to the ${what}. The flag can be repeated to add multiple users.` },
    { name: 'group', type: 'strings', help: `Groups to bind to the ${what}. The flag can be repeated to add multiple groups.` },
    { name: 'serviceaccount', type: 'strings', help: `Service accounts to bind to the ${what}, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts.` },
  ];
}

/** The five generators, for create.ts to list among its subcommands. */
export function rbacGenerators(e: Emitter): Record<'role' | 'clusterrole' | 'rolebinding' | 'clusterrolebinding' | 'serviceaccount', Command> {
  const role: Command = {
    name: 'role',
    short: 'Create a role with single rule',
    long: 'Create a role with single rule.',
    use: 'create role NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] [--dry-run=server|client|none]',
    examples: `  # Create a role named "pod-reader" that allows user to perform "get", "watch" and "list" on pods
  kubectl create role pod-reader --verb=get --verb=list --verb=watch --resource=pods

  # Create a role named "pod-reader" with ResourceName specified
  kubectl create role pod-reader --verb=get --resource=pods --resource-name=readablepod --resource-name=anotherpod

  # Create a role named "foo" with API Group specified
  kubectl create role foo --verb=get,list,watch --resource=rs.apps

  # Create a role named "foo" with SubResource specified
  kubectl create role foo --verb=get,list,watch --resource=pods,pods/status`,
    flags: [...RULE_FLAGS, e.dryRun, OUTPUT_FLAG],
    run(inv) {
      const name = nameOf(inv);
      const verbs = verbsOf(inv);
      const resources = resourceOptions(inv.flags.resource as string[]);
      if (!verbs.length) throw new CommandError('error: at least one verb must be specified');
      warnVerbs(inv, verbs);
      if (!resources.length) throw new CommandError('error: at least one resource must be specified');
      validateResources(resources, verbs);
      const rules = policyRules(verbs, resources, unique(inv.flags['resource-name'] as string[]), []);
      return e.emit(inv, { apiVersion: RBAC_VERSION, kind: 'Role', metadata: { name, namespace: namespaceOf(inv) }, rules } as Role);
    },
  };

  const clusterrole: Command = {
    name: 'clusterrole',
    short: 'Create a cluster role',
    long: 'Create a cluster role.',
    use: 'create clusterrole NAME --verb=verb --resource=resource.group [--resource-name=resourcename] [--dry-run=server|client|none]',
    examples: `  # Create a cluster role named "pod-reader" that allows user to perform "get", "watch" and "list" on pods
  kubectl create clusterrole pod-reader --verb=get,list,watch --resource=pods

  # Create a cluster role named "pod-reader" with ResourceName specified
  kubectl create clusterrole pod-reader --verb=get --resource=pods --resource-name=readablepod --resource-name=anotherpod

  # Create a cluster role named "foo" with API Group specified
  kubectl create clusterrole foo --verb=get,list,watch --resource=rs.apps

  # Create a cluster role named "foo" with SubResource specified
  kubectl create clusterrole foo --verb=get,list,watch --resource=pods,pods/status

  # Create a cluster role name "foo" with NonResourceURL specified
  kubectl create clusterrole "foo" --verb=get --non-resource-url=/logs/*

  # Create a cluster role name "monitoring" with AggregationRule specified
  kubectl create clusterrole monitoring --aggregation-rule="rbac.example.com/aggregate-to-monitoring=true"`,
    flags: [
      ...RULE_FLAGS,
      { name: 'non-resource-url', type: 'stringSlice', help: 'A partial url that user should have access to.' },
      { name: 'aggregation-rule', type: 'strings', help: 'An aggregation label selector for combining ClusterRoles.' },
      e.dryRun,
      OUTPUT_FLAG,
    ],
    run(inv) {
      const aggregation = aggregationLabels(inv);
      if (!aggregation) return 1;
      const urls = unique(inv.flags['non-resource-url'] as string[]);
      const name = nameOf(inv);
      const verbs = verbsOf(inv);
      const resources = resourceOptions(inv.flags.resource as string[]);
      const resourceNames = unique(inv.flags['resource-name'] as string[]);
      if (Object.keys(aggregation).length) {
        if (urls.length || verbs.length || resources.length || resourceNames.length) throw new CommandError('error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames');
        const obj = { apiVersion: RBAC_VERSION, kind: 'ClusterRole', metadata: { name }, rules: null, aggregationRule: { clusterRoleSelectors: [{ matchLabels: aggregation }] } };
        return e.emit(inv, obj as ClusterRole);
      }
      if (!verbs.length) throw new CommandError('error: at least one verb must be specified');
      if (!resources.length && !urls.length) throw new CommandError('error: one of resource or nonResourceURL must be specified');
      if (resources.length) {
        warnVerbs(inv, verbs);
        validateResources(resources, verbs);
      }
      if (urls.length) {
        for (const v of verbs) if (!VALID_NON_RESOURCE_VERBS.includes(v)) throw new CommandError(`error: invalid verb: '${v}' for nonResourceURL`);
        for (const url of urls) {
          if (url === '*') continue;
          if (!url.startsWith('/')) throw new CommandError('error: nonResourceURL should start with /');
          if (url.slice(0, -1).includes('*')) throw new CommandError("error: nonResourceURL only supports wildcard matches when '*' is at the end");
        }
      }
      return e.emit(inv, { apiVersion: RBAC_VERSION, kind: 'ClusterRole', metadata: { name }, rules: policyRules(verbs, resources, resourceNames, urls) } as ClusterRole);
    },
  };

  const rolebinding: Command = {
    name: 'rolebinding',
    short: 'Create a role binding for a particular role or cluster role',
    long: 'Create a role binding for a particular role or cluster role.',
    use: 'create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]',
    examples: `  # Create a role binding for user1, user2, and group1 using the admin cluster role
  kubectl create rolebinding admin --clusterrole=admin --user=user1 --user=user2 --group=group1

  # Create a role binding for service account monitoring:sa-dev using the admin role
  kubectl create rolebinding admin-binding --role=admin --serviceaccount=monitoring:sa-dev`,
    flags: [
      { name: 'clusterrole', type: 'string', help: 'ClusterRole this RoleBinding should reference' },
      { name: 'role', type: 'string', help: 'Role this RoleBinding should reference' },
      ...subjectFlags('role'),
      e.dryRun,
      OUTPUT_FLAG,
    ],
    run(inv) {
      const name = nameOf(inv);
      const clusterRole = inv.flags.clusterrole as string;
      const roleName = inv.flags.role as string;
      if (!clusterRole === !roleName) throw new CommandError('error: exactly one of clusterrole or role must be specified');
      const subjects = subjectsOf(inv);
      const obj: RoleBinding = {
        apiVersion: RBAC_VERSION,
        kind: 'RoleBinding',
        metadata: { name, namespace: namespaceOf(inv) },
        ...(subjects.length ? { subjects } : {}),
        roleRef: { apiGroup: RBAC_GROUP, kind: roleName ? 'Role' : 'ClusterRole', name: roleName || clusterRole },
      };
      return emitWrapped(e, inv, obj, 'rolebinding');
    },
  };

  const clusterrolebinding: Command = {
    name: 'clusterrolebinding',
    short: 'Create a cluster role binding for a particular cluster role',
    long: 'Create a cluster role binding for a particular cluster role.',
    use: 'create clusterrolebinding NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]',
    examples: `  # Create a cluster role binding for user1, user2, and group1 using the cluster-admin cluster role
  kubectl create clusterrolebinding cluster-admin --clusterrole=cluster-admin --user=user1 --user=user2 --group=group1`,
    flags: [{ name: 'clusterrole', type: 'string', help: 'ClusterRole this ClusterRoleBinding should reference' }, ...subjectFlags('clusterrole'), e.dryRun, OUTPUT_FLAG],
    run(inv) {
      // cobra checks a required flag before the command runs.
      if (!inv.given.has('clusterrole')) throw new CommandError('error: required flag(s) "clusterrole" not set');
      const name = nameOf(inv);
      const subjects = subjectsOf(inv);
      const obj: RoleBinding = {
        apiVersion: RBAC_VERSION,
        kind: 'ClusterRoleBinding',
        metadata: { name },
        ...(subjects.length ? { subjects } : {}),
        roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: inv.flags.clusterrole as string },
      };
      return emitWrapped(e, inv, obj, 'clusterrolebinding');
    },
  };

  const serviceaccount: Command = {
    name: 'serviceaccount',
    aliases: ['sa'],
    short: 'Create a service account with the specified name',
    long: 'Create a service account with the specified name.',
    use: 'create serviceaccount NAME [--dry-run=server|client|none]',
    examples: `  # Create a new service account named my-service-account
  kubectl create serviceaccount my-service-account`,
    flags: [e.dryRun, OUTPUT_FLAG],
    run(inv) {
      const name = nameOf(inv);
      return emitWrapped(e, inv, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: namespaceOf(inv) } }, 'serviceaccount');
    },
  };

  return { role, clusterrole, rolebinding, clusterrolebinding, serviceaccount };
}
