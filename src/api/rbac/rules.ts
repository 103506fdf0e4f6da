/**
 * Whether one policy rule allows a request, as RBAC decides it
 * (plugin/pkg/auth/authorizer/rbac RuleAllows and pkg/apis/rbac/v1
 * evaluation_helpers.go): verb, API group, resource (with its subresource)
 * and resource name for a resource request; verb and URL for the rest.
 */
import { isResourceRequest, type PolicyRule, type RequestAttributes } from './types.ts';

const ALL = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return (rule.verbs ?? []).some((v) => v === ALL || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === ALL || g === group);
}

/**
 * `combined` is `resource` or `resource/subresource`. A rule's `*` matches
 * every resource and subresource; `*` followed by `/log` matches the
 * subresource `log` of every resource.
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === ALL || r === combined) return true;
    if (!subresource) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

/** A rule without resourceNames matches every name (also none: list, watch, create). */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  if (!rule.resourceNames?.length) return true;
  return rule.resourceNames.includes(name);
}

/** `*` matches every URL; a URL ending in `*` matches every URL it begins. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === ALL || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))) return true;
  }
  return false;
}

export function ruleAllows(attributes: RequestAttributes, rule: PolicyRule): boolean {
  if (isResourceRequest(attributes)) {
    const subresource = attributes.subresource ?? '';
    const combined = subresource ? `${attributes.resource}/${subresource}` : attributes.resource!;
    return (
      verbMatches(rule, attributes.verb) &&
      apiGroupMatches(rule, attributes.apiGroup ?? '') &&
      resourceMatches(rule, combined, subresource) &&
      resourceNameMatches(rule, attributes.name ?? '')
    );
  }
  return verbMatches(rule, attributes.verb) && nonResourceURLMatches(rule, attributes.path ?? '');
}
