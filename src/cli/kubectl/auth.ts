/**
 * kubectl auth: `can-i` (a SelfSubjectAccessReview: `yes`, or `no` and exit
 * code 1; with --list a SelfSubjectRulesReview as kubectl's table) and
 * `whoami` (a SelfSubjectReview), answered by RBAC over the cluster's
 * objects (pkg/cmd/auth cani.go, whoami.go). podplay's terminal has no
 * kubeconfig: its user is kubernetes-admin in system:masters, as kind's
 * admin kubeconfig, and can do everything through the cluster-admin
 * binding of that group. `--as` and `--as-group` impersonate another user,
 * as the API server's impersonation filter does.
 */
import {
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  ANONYMOUS_USERNAME,
  SYSTEM_MASTERS,
  authorize,
  forbiddenError,
  isApiError,
  resolveResource,
  rulesFor,
  serviceAccountGroups,
  splitServiceAccountUsername,
  timestamp,
  type ApiStore,
  type PolicyRule,
  type RequestAttributes,
  type UserInfo,
} from '../../api/index.ts';
import type { FlagSpec } from '../flags.ts';
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { formatTable } from '../table.ts';
import { OUTPUT_FLAG, namespaceOf } from './common.ts';
import { toJson, toYaml } from './output.ts';

/** The terminal's user (kind's admin.conf: kubernetes-admin, O=system:masters), authenticated. */
export const TERMINAL_USER: UserInfo = { username: 'kubernetes-admin', groups: [SYSTEM_MASTERS, ALL_AUTHENTICATED] };

const IMPERSONATION_FLAGS: FlagSpec[] = [
  { name: 'as', type: 'string', help: 'Username to impersonate for the operation. User could be a regular user or a service account in a namespace.' },
  { name: 'as-group', type: 'strings', help: 'Group to impersonate for the operation, this flag can be repeated to specify multiple groups.' },
];

/**
 * The user a command acts as: the terminal's, or the one --as and
 * --as-group name, once RBAC allows the terminal's user to `impersonate`
 * each of them (users, serviceaccounts, groups). A service account gets its
 * groups unless --as-group names others; every user but system:anonymous
 * gets system:authenticated.
 */
export function actingUser(inv: Invocation): UserInfo {
  const as = inv.flags.as as string;
  const asGroups = inv.flags['as-group'] as string[];
  if (!as) {
    if (asGroups.length) throw new CommandError(`error: invalid configuration: requesting uid, groups or user-extra for ${TERMINAL_USER.username} without impersonating a user`);
    return TERMINAL_USER;
  }
  const api = inv.env.cluster.api;
  const sa = splitServiceAccountUsername(as);
  const requests: RequestAttributes[] = [
    sa ? { verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts', namespace: sa.namespace, name: sa.name } : { verb: 'impersonate', apiGroup: '', resource: 'users', name: as },
    ...asGroups.map((g) => ({ verb: 'impersonate', apiGroup: '', resource: 'groups', name: g })),
  ];
  for (const attributes of requests) {
    const decision = authorize(api, TERMINAL_USER, attributes);
    if (!decision.allowed) throw forbiddenError(TERMINAL_USER, attributes, decision.reason);
  }
  const groups = asGroups.length ? [...asGroups] : sa ? serviceAccountGroups(sa.namespace) : [];
  if (as !== ANONYMOUS_USERNAME) {
    if (!groups.includes(ALL_AUTHENTICATED) && !groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_AUTHENTICATED);
  } else if (!groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_UNAUTHENTICATED);
  return { username: as, groups };
}

/** The API server's check that `user` may create the review it sends (system:basic-user grants them). */
function mayCreate(api: ApiStore, user: UserInfo, apiGroup: string, resource: string): void {
  const attributes = { verb: 'create', apiGroup, resource };
  const decision = authorize(api, user, attributes);
  if (!decision.allowed) throw forbiddenError(user, attributes, decision.reason);
}

const RESOURCE_VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'impersonate', '*', 'approve', 'sign', 'escalate', 'attest']);
const NON_RESOURCE_VERBS = new Set(['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*']);
/** Resources the server serves but does not list in discovery (the impersonate verb's users and groups). */
const NON_STANDARD = new Set(['users', 'groups']);

/** kubectl's WarningPrinter; can-i's messages end in a newline of their own, so a blank line follows. */
const warn = (inv: Invocation, message: string) => inv.io.err(`Warning: ${message}\n`);

interface Resolved {
  group: string;
  resource: string;
  /** Whether it is a kind podplay serves (and so whether it is namespaced); unknown resources are passed on as typed. */
  namespaced?: boolean;
}

/** can-i's resourceFor: the RESTMapper's resource for a word (`deploy` → deployments.apps), or the word itself with a warning. */
function resourceFor(inv: Invocation, arg: string): Resolved {
  if (arg === '*') return { group: '', resource: '*', namespaced: true };
  const lower = arg.toLowerCase();
  const parts = lower.split('.');
  // `deployments.v1.apps`: resource.version.group.
  if (parts.length >= 3) {
    const info = resolveResource(parts[0]!);
    if (info && info.version === parts[1] && info.group === parts.slice(2).join('.')) return { group: info.group, resource: info.resource, namespaced: info.namespaced };
  }
  const dot = lower.indexOf('.');
  const [resource, group] = dot < 0 ? [lower, ''] : [lower.slice(0, dot), lower.slice(dot + 1)];
  const info = resolveResource(resource);
  if (info && (!group || info.group === group)) return { group: info.group, resource: info.resource, namespaced: info.namespaced };
  const qualified = group ? `${resource}.${group}` : resource;
  if (!NON_STANDARD.has(qualified)) warn(inv, group ? `the server doesn't have a resource type '${resource}' in group '${group}'\n` : `the server doesn't have a resource type '${resource}'\n`);
  return { group: '', resource: arg };
}

/** rbacutil.BreakdownRule: one rule per API group, resource, verb and resource name (per URL and verb). */
function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const apiGroup of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if (rule.resourceNames?.length) for (const name of rule.resourceNames) out.push({ verbs: [verb], apiGroups: [apiGroup], resources: [resource], resourceNames: [name] });
        else out.push({ verbs: [verb], apiGroups: [apiGroup], resources: [resource] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ verbs: [verb], nonResourceURLs: [url] });
  return out;
}

/** rbacutil.CompactRules: rules of one group, resource and resource name become one with all their verbs; URL rules stay as they are. */
function compact(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    if (r.nonResourceURLs?.length || (r.resourceNames?.length ?? 0) > 1 || r.apiGroups?.length !== 1 || r.resources?.length !== 1) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups[0], r.resources[0], r.resourceNames?.[0] ?? null]);
    const had = simple.get(key);
    if (had) for (const v of r.verbs) had.verbs.includes(v) || had.verbs.push(v);
    else simple.set(key, { ...r, verbs: [...r.verbs] });
  }
  return [...out, ...simple.values()];
}

/** Go's `%v` of a string slice: `[get list watch]`. */
const goList = (l: readonly string[] | undefined) => `[${(l ?? []).join(' ')}]`;

/** The generated PolicyRule.String() kubectl sorts the rows by (verbs first). */
const ruleString = (r: PolicyRule) => `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;

/** describe.CombineResourceGroup: `deployments.apps/scale`, `pods`, `*.*`. */
function combineResourceGroup(resources: readonly string[] | undefined, groups: readonly string[] | undefined): string {
  if (!resources?.length) return '';
  const slash = resources[0]!.indexOf('/');
  const [resource, sub] = slash < 0 ? [resources[0]!, undefined] : [resources[0]!.slice(0, slash), resources[0]!.slice(slash + 1)];
  return `${resource}${groups?.length && groups[0] ? `.${groups[0]}` : ''}${sub !== undefined ? `/${sub}` : ''}`;
}

/**
 * can-i --list: what a SelfSubjectRulesReview answers for `user` in
 * `namespace` (resource rules first, then URL rules), broken down, compacted
 * and sorted as kubectl prints it. A URL granted by two roles is listed twice.
 */
function listAccess(api: ApiStore, user: UserInfo, namespace: string, noHeaders: boolean): string {
  const { rules } = rulesFor(api, user, namespace);
  const review: PolicyRule[] = [
    ...rules.filter((r) => r.resources?.length).map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, resourceNames: r.resourceNames })),
    ...rules.filter((r) => r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
  ];
  const keyed = compact(review.flatMap(breakdown)).map((r) => [ruleString(r), r] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const rows = keyed.map(([, r]) => [combineResourceGroup(r.resources, r.apiGroups), goList(r.nonResourceURLs), goList(r.resourceNames), goList(r.verbs)]);
  return formatTable(noHeaders ? rows : [['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs'], ...rows]);
}

async function canI(inv: Invocation): Promise<number> {
  const api = inv.env.cluster.api;
  const list = inv.flags.list as boolean;
  const quiet = inv.flags.quiet as boolean;
  const all = inv.flags['all-namespaces'] as boolean;
  const subresource = inv.flags.subresource as string;
  const out = (text: string) => quiet || inv.io.out(text);
  let attributes: RequestAttributes | undefined;
  let resolved: Resolved | undefined;
  if (list) {
    if (inv.args.length) throw new CommandError('error: list option must be specified with no arguments');
  } else {
    if (inv.args.length !== 2) throw new CommandError("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.");
    const [verb, target] = inv.args as [string, string];
    if (target.startsWith('/')) {
      attributes = { verb, path: target };
    } else {
      const slash = target.indexOf('/');
      resolved = resourceFor(inv, slash < 0 ? target : target.slice(0, slash));
      const name = slash < 0 ? '' : target.slice(slash + 1);
      attributes = { verb, apiGroup: resolved.group, resource: resolved.resource, subresource, name };
    }
  }
  const namespace = all ? '' : namespaceOf(inv);
  // Validate
  if (list) {
    if (quiet || all || subresource) throw new CommandError("error: list option can't be specified with neither quiet, all-namespaces nor subresource options");
  } else if (attributes!.path !== undefined) {
    if (subresource) throw new CommandError('error: --subresource can not be used with NonResourceURL');
    if (!NON_RESOURCE_VERBS.has(attributes!.verb)) warn(inv, `verb '${attributes!.verb}' is not a known verb\n`);
  } else if (!all) {
    if (resolved!.namespaced === false) warn(inv, resolved!.group ? `resource '${resolved!.resource}' is not namespace scoped in group '${resolved!.group}'\n` : `resource '${resolved!.resource}' is not namespace scoped\n`);
    if (!RESOURCE_VERBS.has(attributes!.verb)) warn(inv, `verb '${attributes!.verb}' is not a known verb\n`);
  }
  if (inv.flags['no-headers'] && !list) throw new CommandError('error: --no-headers cannot be set without --list specified');
  const user = actingUser(inv);
  if (list) {
    mayCreate(api, user, 'authorization.k8s.io', 'selfsubjectrulesreviews');
    inv.io.out(listAccess(api, user, namespace, inv.flags['no-headers'] as boolean));
    return 0;
  }
  mayCreate(api, user, 'authorization.k8s.io', 'selfsubjectaccessreviews');
  const request = attributes!.path !== undefined ? attributes! : { ...attributes!, namespace };
  const decision = authorize(api, user, request);
  if (decision.allowed) {
    out('yes\n');
    return 0;
  }
  out(`no${decision.reason ? ` - ${decision.reason}` : ''}\n`);
  return 1;
}

const canICommand: Command = {
  name: 'can-i',
  short: 'Check whether an action is allowed',
  use: 'auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL]',
  long: `Check whether an action is allowed.\n\n VERB is a logical Kubernetes API verb like 'get', 'list', 'watch', 'delete', etc. TYPE is a Kubernetes resource. Shortcuts and groups will be resolved. NONRESOURCEURL is a partial URL that starts with "/". NAME is the name of a particular Kubernetes resource. This command pairs nicely with impersonation. See --as global flag.`,
  examples: `  # Check to see if I can create pods in any namespace
  kubectl auth can-i create pods --all-namespaces

  # Check to see if I can list deployments in my current namespace
  kubectl auth can-i list deployments.apps

  # Check to see if service account "foo" of namespace "dev" can list pods in the namespace "prod"
  # You must be allowed to use impersonation for the global option "--as"
  kubectl auth can-i list pods --as=system:serviceaccount:dev:foo -n prod

  # Check to see if I can do everything in my current namespace ("*" means all)
  kubectl auth can-i '*' '*'

  # Check to see if I can get the job named "bar" in namespace "foo"
  kubectl auth can-i list jobs.batch/bar -n foo

  # Check to see if I can read pod logs
  kubectl auth can-i get pods --subresource=log

  # Check to see if I can access the URL /logs/
  kubectl auth can-i get /logs/

  # Check to see if I can approve certificates.k8s.io
  kubectl auth can-i approve certificates.k8s.io

  # List all allowed actions in namespace "foo"
  kubectl auth can-i --list --namespace=foo`,
  flags: [
    { name: 'all-namespaces', short: 'A', type: 'bool', help: 'If true, check the specified action in all namespaces.' },
    { name: 'list', type: 'bool', help: 'If true, prints all allowed actions.' },
    { name: 'no-headers', type: 'bool', help: 'If true, prints allowed actions without headers' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'If true, suppress output and just return the exit code.' },
    { name: 'subresource', type: 'string', help: 'SubResource such as pod/log or deployment/scale' },
    ...IMPERSONATION_FLAGS,
  ],
  run: canI,
};

const whoamiCommand: Command = {
  name: 'whoami',
  short: 'Experimental: Check self subject attributes',
  use: 'auth whoami',
  long: 'Experimental: Check who you are and your attributes (groups, extra).\n\n This command is helpful to get yourself aware of the current user attributes, especially when dynamic authentication, e.g., token webhook, auth proxy, or OIDC provider, is enabled in the Kubernetes cluster.',
  examples: `  # Get your subject attributes
  kubectl auth whoami

  # Get your subject attributes in JSON format
  kubectl auth whoami -o json`,
  flags: [{ ...OUTPUT_FLAG, help: 'Output format. One of: (json, yaml).', values: ['json', 'yaml'] }, ...IMPERSONATION_FLAGS],
  run(inv) {
    const output = inv.flags.output as string;
    if (output && output !== 'json' && output !== 'yaml') throw new CommandError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml`);
    const user = actingUser(inv);
    try {
      mayCreate(inv.env.cluster.api, user, 'authentication.k8s.io', 'selfsubjectreviews');
    } catch (err) {
      if (isApiError(err, 'Forbidden')) throw new CommandError('error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it');
      throw err;
    }
    if (output) {
      const review = {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
        metadata: { creationTimestamp: timestamp(inv.env.cluster.clock.now()) },
        status: { userInfo: { username: user.username, groups: user.groups } },
      };
      inv.io.out(output === 'json' ? toJson(review) : toYaml(review));
      return;
    }
    inv.io.out(formatTable([['ATTRIBUTE', 'VALUE'], ['Username', user.username], ['Groups', `[${user.groups.join(' ')}]`]]));
  },
};

export const authCommand: Command = {
  name: 'auth',
  group: 'Troubleshooting and Debugging Commands:',
  short: 'Inspect authorization',
  long: 'Inspect authorization.',
  use: 'auth [flags]',
  subcommands: [canICommand, whoamiCommand],
};
