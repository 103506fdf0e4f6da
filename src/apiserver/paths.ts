/**
 * What a request path names, as the API server's request-info resolver
 * reads it (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go):
 * `/api/v1/namespaces/default/pods/web/log` is the `get` of `pods/log` named
 * `web` in `default`; `/apis/apps/v1/deployments` the `list` of deployments
 * in every namespace; anything else is a non-resource path (`/version`).
 */

export interface RequestInfo {
  isResource: boolean;
  path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection. */
  verb: string;
  apiGroup: string;
  apiVersion: string;
  namespace?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  /** The path is only a group, a version or a prefix (discovery). */
  parts: string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function requestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const parts = path.split('/').filter(Boolean);
  const plain: RequestInfo = { isResource: false, path, verb: method.toLowerCase(), apiGroup: '', apiVersion: '', parts };
  let rest: string[];
  let apiGroup = '';
  let apiVersion: string;
  if (parts[0] === 'api' && parts.length >= 2) {
    apiVersion = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    apiGroup = parts[1]!;
    apiVersion = parts[2]!;
    rest = parts.slice(3);
  } else return plain;
  if (!rest.length) return { ...plain, apiGroup, apiVersion };
  const info: RequestInfo = { isResource: true, path, verb: '', apiGroup, apiVersion, parts };
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    info.namespace = rest[1];
    if (rest.length === 2 || (rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]!))) {
      // A namespace is its own namespace for authorization (a RoleBinding in it may grant get on it).
      info.resource = 'namespaces';
      info.name = rest[1];
      info.subresource = rest[2];
    } else {
      info.resource = rest[2];
      info.name = rest[3];
      info.subresource = rest[4];
    }
  } else {
    info.resource = rest[0];
    info.name = rest[1];
    info.subresource = rest[2];
  }
  const watch = query.get('watch') === 'true' || query.get('watch') === '1';
  switch (method) {
    case 'GET':
    case 'HEAD':
      info.verb = info.name ? 'get' : watch ? 'watch' : 'list';
      break;
    case 'POST':
      info.verb = 'create';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = info.name ? 'delete' : 'deletecollection';
      break;
    default:
      info.verb = method.toLowerCase();
  }
  return info;
}
