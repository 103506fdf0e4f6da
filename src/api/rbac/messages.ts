/**
 * The API server's words when it refuses a request (apiserver
 * endpoints/handlers/responsewriters errors.go Forbidden and
 * forbiddenMessage, wrapped by apimachinery errors.NewForbidden):
 *
 *   pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"
 *   pods "web" is forbidden: User "…" cannot get resource "pods/log" in API group "" in the namespace "default"
 *   nodes is forbidden: User "…" cannot list resource "nodes" in API group "" at the cluster scope
 *   forbidden: User "…" cannot get path "/healthz"
 */
import { ApiError } from '../errors.ts';
import { isResourceRequest, type RequestAttributes, type UserInfo } from './types.ts';

// responsewriters: "Avoid emitting errors that look like valid HTML. Quotes are okay."
const sanitize = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `User "…" cannot get resource "pods/log" in API group "" in the namespace "default"` (forbiddenMessage). */
function refusal(user: UserInfo, a: RequestAttributes): string {
  const who = `User ${JSON.stringify(user.username)} cannot ${a.verb}`;
  if (!isResourceRequest(a)) return `${who} path ${JSON.stringify(a.path ?? '')}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource!;
  const scope = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope';
  return `${who} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup ?? '')} ${scope}`;
}

/**
 * The message of the API server's 403 for a request RBAC did not allow.
 * `reason` is the authorizer's (only set when a binding's role is missing)
 * and follows after `: `. The resource is named without its subresource
 * before `is forbidden`, and with the object's name when the request has one.
 */
export function forbiddenMessage(user: UserInfo, attributes: RequestAttributes, reason?: string): string {
  const why = sanitize(refusal(user, attributes)) + (reason ? `: ${reason}` : '');
  const resource = attributes.resource ?? '';
  const group = attributes.apiGroup ?? '';
  if (!resource && !group) return `forbidden: ${why}`;
  const qualified = group ? `${resource}.${group}` : resource;
  return attributes.name ? `${qualified} ${JSON.stringify(attributes.name)} is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
}

/** The 403 itself: kubectl prints it as `Error from server (Forbidden): <message>`. */
export function forbiddenError(user: UserInfo, attributes: RequestAttributes, reason?: string): ApiError {
  return new ApiError('Forbidden', forbiddenMessage(user, attributes, reason), { name: attributes.name, kind: attributes.resource });
}
