/**
 * The RBAC authorizer (plugin/pkg/auth/authorizer/rbac and
 * pkg/registry/rbac/validation rule.go), over the objects in the store:
 * every ClusterRoleBinding grants its role's rules everywhere; a RoleBinding
 * grants its role's rules in its own namespace only, whether it refers to a
 * Role of that namespace or to a ClusterRole. A subject is a User (by
 * username), a Group (by one of the user's groups) or a ServiceAccount (by
 * the username `system:serviceaccount:NS:NAME`; a RoleBinding's subject
 * without a namespace means the binding's). Nothing denies: a request is
 * allowed when one rule allows it.
 *
 * A service account's token, or an impersonation of one, makes the user
 * `system:serviceaccount:NS:NAME` in the groups `system:serviceaccounts`,
 * `system:serviceaccounts:NS` and `system:authenticated`
 * (k8s.io/apiserver/pkg/authentication/serviceaccount).
 */
import type { ApiStore } from '../store.ts';
import { ruleAllows } from './rules.ts';
import { ALL_SERVICE_ACCOUNTS, RBAC_GROUP, SERVICE_ACCOUNT_PREFIX, type ClusterRole, type Decision, type PolicyRule, type RequestAttributes, type Role, type RoleBinding, type RoleRef, type Subject, type UserInfo } from './types.ts';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `system:serviceaccount:default:build-robot`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

/**
 * The namespace and name a service account's username holds (SplitUsername),
 * or undefined when it is not one (the namespace must be a DNS label, the
 * name a DNS subdomain).
 */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts as [string, string];
  if (namespace.length > 63 || !DNS_LABEL.test(namespace) || name.length > 253 || !DNS_SUBDOMAIN.test(name)) return undefined;
  return { namespace, name };
}

/** The groups of a service account (MakeGroupNames): `system:serviceaccounts` and `system:serviceaccounts:NS`. */
export function serviceAccountGroups(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS, `${ALL_SERVICE_ACCOUNTS}:${namespace}`];
}

/**
 * Called for each rule that applies to a user, with the binding it came
 * through (`ClusterRoleBinding "x" of ClusterRole "y" to Group "z"`), or
 * with an error when a binding's role cannot be read. Returns false to stop.
 */
export type RuleVisitor = (source: string | undefined, rule: PolicyRule | undefined, error: string | undefined) => boolean;

function appliesToUser(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || namespace;
      return !!ns && user.username === serviceAccountUsername(ns, subject.name);
    }
    default:
      return false;
  }
}

/** `ServiceAccount "robot/dev"` (name/namespace), `Group "system:masters"`, as RBAC describes the subject that matched. */
function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

/** The rules a binding's roleRef names; an error (as the API server words it) when the role is missing. */
function roleReferenceRules(api: ApiStore, ref: RoleRef | undefined, bindingNamespace: string): { rules?: PolicyRule[]; error?: string } {
  if (!ref) return { error: 'unsupported role reference kind: ""' };
  switch (ref.kind) {
    case 'Role': {
      const role = api.tryGet('Role', bindingNamespace, ref.name) as Role | undefined;
      return role ? { rules: role.rules ?? [] } : { error: `role.${RBAC_GROUP} ${JSON.stringify(ref.name)} not found` };
    }
    case 'ClusterRole': {
      const role = api.tryGet('ClusterRole', undefined, ref.name) as ClusterRole | undefined;
      return role ? { rules: role.rules ?? [] } : { error: `clusterrole.${RBAC_GROUP} ${JSON.stringify(ref.name)} not found` };
    }
    default:
      return { error: `unsupported role reference kind: ${JSON.stringify(ref.kind)}` };
  }
}

/**
 * Visits every rule that applies to `user` in `namespace` (VisitRulesFor):
 * the ClusterRoleBindings' first, then, when `namespace` is not empty, the
 * RoleBindings' of that namespace.
 */
export function visitRulesFor(api: ApiStore, user: UserInfo, namespace: string, visit: RuleVisitor): void {
  const bindings: Array<{ binding: RoleBinding; namespace: string }> = (api.list('ClusterRoleBinding').items as RoleBinding[]).map((binding) => ({ binding, namespace: '' }));
  if (namespace) for (const binding of api.list('RoleBinding', { namespace }).items as RoleBinding[]) bindings.push({ binding, namespace });
  for (const { binding, namespace: ns } of bindings) {
    const subject = (binding.subjects ?? []).find((s) => appliesToUser(user, s, ns));
    if (!subject) continue;
    const { rules, error } = roleReferenceRules(api, binding.roleRef, ns);
    if (error) {
      if (!visit(undefined, undefined, error)) return;
      continue;
    }
    const role = `${binding.roleRef.kind} ${JSON.stringify(binding.roleRef.name)}`;
    const source = ns
      ? `RoleBinding ${JSON.stringify(`${binding.metadata.name}/${ns}`)} of ${role} to ${describeSubject(subject, ns)}`
      : `ClusterRoleBinding ${JSON.stringify(binding.metadata.name)} of ${role} to ${describeSubject(subject, '')}`;
    for (const rule of rules ?? []) if (!visit(source, rule, undefined)) return;
  }
}

/** apimachinery's aggregate error: one message as it is, several (each once) as `[a, b]`. */
function aggregate(errors: readonly string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

/**
 * RBAC's decision on a request. Allowed: `reason` names the binding
 * (`RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole
 * "cluster-admin" to Group "system:masters"`). Denied: no reason, unless a
 * binding names a role that is missing (`RBAC: role.rbac.authorization.k8s.io
 * "pod-reader" not found`), which the API server adds to its Forbidden message.
 */
export function authorize(api: ApiStore, user: UserInfo, attributes: RequestAttributes): Decision {
  let allowedBy: string | undefined;
  const errors: string[] = [];
  visitRulesFor(api, user, attributes.namespace ?? '', (source, rule, error) => {
    if (rule && ruleAllows(attributes, rule)) {
      allowedBy = source;
      return false;
    }
    if (error) errors.push(error);
    return true;
  });
  if (allowedBy) return { allowed: true, reason: `RBAC: allowed by ${allowedBy}` };
  return errors.length ? { allowed: false, reason: `RBAC: ${aggregate(errors)}` } : { allowed: false };
}

/**
 * Every rule that applies to `user` in `namespace` (RulesFor, what a
 * SelfSubjectRulesReview answers), in the order RBAC visits them;
 * `evaluationError` when a binding's role could not be read.
 */
export function rulesFor(api: ApiStore, user: UserInfo, namespace: string): { rules: PolicyRule[]; evaluationError?: string } {
  const rules: PolicyRule[] = [];
  const errors: string[] = [];
  visitRulesFor(api, user, namespace, (_source, rule, error) => {
    if (rule) rules.push(rule);
    if (error) errors.push(error);
    return true;
  });
  return errors.length ? { rules, evaluationError: aggregate(errors) } : { rules };
}
