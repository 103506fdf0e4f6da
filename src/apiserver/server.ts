/**
 * The Kubernetes REST API over podplay's store, as kube-apiserver answers
 * it in JSON: authentication (a bearer token, see api/auth) and RBAC
 * authorization first, then discovery, get, list (label and field
 * selectors, limit and continue), watch (a stream of events, from a
 * resourceVersion, with bookmarks), create, update, patch, delete and
 * deletecollection, and the status and scale subresources. Every failure is
 * a metav1.Status with the API server's HTTP code and words.
 */
import { ApiError, isApiError, KINDS, type ApiStore, type KindInfo, type KubeObject } from '../api/index.ts';
import type { User } from '../api/auth/index.ts';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, groupVersion, SERVER_VERSION } from './discovery.ts';
import { applyPatch, PATCH_TYPES } from './patch.ts';
import { requestInfo, type RequestInfo } from './paths.ts';
import { listObjects, watchStream } from './watch.ts';

export interface ApiRequest {
  method: string;
  /** The path without the query. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Map<string, string>;
  body: Uint8Array;
}

/** A stream's writer: `write` answers false once the reader has enough buffered (the caller then stops it). */
export interface StreamSink {
  write(chunk: string): boolean;
  end(): void;
}

export type ApiResponse =
  | { status: number; body: unknown; contentType?: string }
  | { status: number; stream: (sink: StreamSink) => () => void; contentType?: string };

export interface ApiServerOptions {
  api: ApiStore;
  /** The user a request's Authorization header names; undefined refuses it (401). */
  authenticate(authorization: string | undefined): Promise<User | undefined>;
  /** RBAC's decision; `message` is the API server's Forbidden words. */
  authorize(user: User, info: RequestInfo): { allowed: boolean; message: string };
  /** The API server's address in the cluster network (discovery's serverAddressByClientCIDRs). */
  serverAddress: string;
}

const status = (code: number, reason: string, message: string, details?: object) => ({
  status: code,
  body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code },
});

const notFoundPage = () => status(404, 'NotFound', 'the server could not find the requested resource', {});

export class ApiServer {
  readonly #o: ApiServerOptions;

  constructor(options: ApiServerOptions) {
    this.#o = options;
  }

  async handle(req: ApiRequest): Promise<ApiResponse> {
    const user = await this.#o.authenticate(req.headers.get('authorization'));
    if (!user) return status(401, 'Unauthorized', 'Unauthorized');
    const info = requestInfo(req.method, req.path, req.query);
    const decision = this.#o.authorize(user, info);
    if (!decision.allowed) {
      const details = info.isResource ? { ...(info.name ? { name: info.name } : {}), ...(info.apiGroup ? { group: info.apiGroup } : {}), kind: info.resource } : undefined;
      return status(403, 'Forbidden', decision.message, details);
    }
    try {
      return info.isResource ? this.#resource(req, info) : this.#nonResource(info);
    } catch (err) {
      if (isApiError(err)) return { status: err.httpCode, body: statusOf(err) };
      throw err;
    }
  }

  #nonResource(info: RequestInfo): ApiResponse {
    const p = info.parts;
    if (info.verb !== 'get' && info.verb !== 'head') return status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    if (!p.length) return { status: 200, body: { paths: ['/api', '/api/v1', '/apis', ...[...new Set(KINDS.filter((k) => k.group).map((k) => `/apis/${k.group}`))], '/healthz', '/livez', '/readyz', '/version'] } };
    if (p.length === 1 && ['healthz', 'livez', 'readyz'].includes(p[0]!)) return { status: 200, body: 'ok', contentType: 'text/plain; charset=utf-8' };
    if (p.length === 1 && p[0] === 'version') return { status: 200, body: SERVER_VERSION };
    if (p.length === 1 && p[0] === 'api') return { status: 200, body: apiVersions(this.#o.serverAddress) };
    if (p.length === 1 && p[0] === 'apis') return { status: 200, body: apiGroupList() };
    if (p.length === 2 && p[0] === 'apis') {
      const g = apiGroup(p[1]!);
      return g ? { status: 200, body: g } : notFoundPage();
    }
    if ((p.length === 2 && p[0] === 'api') || (p.length === 3 && p[0] === 'apis')) {
      const list = apiResourceList(info.apiGroup, info.apiVersion);
      return list ? { status: 200, body: list } : notFoundPage();
    }
    return notFoundPage();
  }

  #resource(req: ApiRequest, info: RequestInfo): ApiResponse {
    const kind = KINDS.find((k) => k.resource === info.resource && k.group === info.apiGroup && k.version === info.apiVersion);
    if (!kind) return notFoundPage();
    const api = this.#o.api;
    const ns = kind.namespaced ? info.namespace : undefined;
    if (kind.namespaced && info.name && !ns) return notFoundPage();
    const sub = info.subresource;
    if (sub && !(sub === 'status' && kind.hasStatus) && !(sub === 'scale' && (kind.kind === 'Deployment' || kind.kind === 'ReplicaSet'))) return notFoundPage();
    const q = req.query;
    if (q.get('dryRun') && info.verb !== 'create' && info.verb !== 'get' && info.verb !== 'list' && info.verb !== 'watch') {
      return status(400, 'BadRequest', `dryRun is served for create only by podplay's API server (not for ${info.verb}): leave it out, or use kubectl --dry-run=client`);
    }
    switch (info.verb) {
      case 'get': {
        const o = api.get(kind.kind, ns, info.name!);
        return { status: 200, body: sub === 'scale' ? scaleOf(o) : o };
      }
      case 'list':
        return { status: 200, body: listObjects(api, kind, ns, q) };
      case 'watch':
        return { status: 200, stream: (sink) => watchStream(api, kind, ns, q, sink), contentType: 'application/json' };
      case 'create': {
        if (info.name) return status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        const obj = this.#body(req, kind);
        if (kind.namespaced) {
          if (obj.metadata?.namespace && obj.metadata.namespace !== ns) throw new ApiError('BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
          obj.metadata = { ...obj.metadata, namespace: ns };
        }
        const created = api.create(obj, { dryRun: q.get('dryRun') === 'All' });
        return { status: 201, body: created };
      }
      case 'update': {
        const obj = this.#body(req, sub === 'scale' ? undefined : kind);
        if (sub === 'scale') return { status: 200, body: scaleOf(this.#scale(kind, ns, info.name!, (obj.spec as { replicas?: number } | undefined)?.replicas)) };
        if (obj.metadata?.name && obj.metadata.name !== info.name) throw new ApiError('BadRequest', `the name of the object (${obj.metadata.name}) does not match the name on the URL (${info.name})`);
        obj.metadata = { ...obj.metadata, name: info.name, ...(ns ? { namespace: ns } : {}) };
        if (!obj.metadata.resourceVersion) obj.metadata.resourceVersion = api.get(kind.kind, ns, info.name!).metadata.resourceVersion;
        return { status: 200, body: sub === 'status' ? api.updateStatus(obj) : api.update(obj) };
      }
      case 'patch': {
        const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim();
        if (!PATCH_TYPES.includes(type)) {
          return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`);
        }
        const current = api.get(kind.kind, ns, info.name!);
        if (sub === 'scale') {
          const patched = applyPatch(type, scaleOf(current), req.body, 'Scale') as { spec?: { replicas?: number } };
          return { status: 200, body: scaleOf(this.#scale(kind, ns, info.name!, patched.spec?.replicas)) };
        }
        const patched = applyPatch(type, current, req.body, kind.kind) as KubeObject;
        // A resourceVersion in the patch is a precondition (409 when it is not the object's); without one the patch applies to the latest.
        patched.metadata = { ...patched.metadata, name: current.metadata.name, uid: current.metadata.uid, resourceVersion: patched.metadata?.resourceVersion ?? current.metadata.resourceVersion };
        if (ns) patched.metadata.namespace = ns;
        return { status: 200, body: sub === 'status' ? api.updateStatus(patched) : api.update(patched) };
      }
      case 'delete': {
        const options = deleteOptions(req);
        const gone = api.delete(kind.kind, ns, info.name!, options);
        return { status: 200, body: gone };
      }
      case 'deletecollection': {
        const options = deleteOptions(req);
        const list = listObjects(api, kind, ns, q) as { items: KubeObject[] };
        for (const o of list.items) {
          try {
            api.delete(kind.kind, o.metadata.namespace, o.metadata.name!, options);
          } catch (err) {
            if (!isApiError(err, 'NotFound')) throw err;
          }
        }
        return { status: 200, body: list };
      }
    }
    return status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  #body(req: ApiRequest, kind: KindInfo | undefined): KubeObject {
    let obj: KubeObject;
    try {
      obj = JSON.parse(new TextDecoder().decode(req.body)) as KubeObject;
    } catch (err) {
      throw new ApiError('BadRequest', `the object provided is unrecognized (must be of type ${kind?.kind ?? 'Scale'}): couldn't get version/kind; json parse error: ${(err as Error).message}`);
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new ApiError('BadRequest', `the object provided is unrecognized (must be of type ${kind?.kind ?? 'Scale'})`);
    if (kind) {
      if (obj.kind && obj.kind !== kind.kind) throw new ApiError('BadRequest', `the API version in the data (${obj.apiVersion}) does not match the expected API version (${groupVersion(kind)})`);
      obj.kind = kind.kind;
      obj.apiVersion = groupVersion(kind);
    }
    return obj;
  }

  #scale(kind: KindInfo, ns: string | undefined, name: string, replicas: number | undefined): KubeObject {
    if (typeof replicas !== 'number' || replicas < 0 || !Number.isInteger(replicas)) {
      throw new ApiError('Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`);
    }
    return this.#o.api.mutate(kind.kind, ns, name, (o) => void ((o.spec as { replicas?: number }).replicas = replicas));
  }
}

function statusOf(err: ApiError): object {
  const s = err.toStatus() as { details?: { name?: string; kind?: string; causes?: unknown[] } };
  if (s.details?.causes) s.details.causes = (s.details.causes as Array<{ type: string; field: string; detail?: string }>).map((c) => ({ reason: reasonOf(c.type), message: c.detail ? `${c.type}: ${c.detail}` : c.type, field: c.field }));
  return s;
}

function reasonOf(type: string): string {
  return (
    { 'Required value': 'FieldValueRequired', 'Invalid value': 'FieldValueInvalid', 'Unsupported value': 'FieldValueNotSupported', 'Duplicate value': 'FieldValueDuplicate', Forbidden: 'FieldValueForbidden', 'Not found': 'FieldValueNotFound', 'Too long': 'FieldValueTooLong', 'Too many': 'FieldValueTooMany' } as Record<string, string>
  )[type] ?? 'FieldValueInvalid';
}

/** autoscaling/v1 Scale of a Deployment or ReplicaSet. */
function scaleOf(o: KubeObject): object {
  const spec = o.spec as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  const selector = Object.entries(spec.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: spec.replicas ?? 1 },
    status: { replicas: (o.status as { replicas?: number } | undefined)?.replicas ?? 0, selector },
  };
}

function deleteOptions(req: ApiRequest): { gracePeriodSeconds?: number; propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' } {
  let body: { gracePeriodSeconds?: number; propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'; dryRun?: string[] } = {};
  if (req.body.length) {
    try {
      body = JSON.parse(new TextDecoder().decode(req.body));
    } catch {
      throw new ApiError('BadRequest', 'the body of the request could not be read as DeleteOptions');
    }
  }
  if (body.dryRun?.length) throw new ApiError('BadRequest', "dryRun is served for create only by podplay's API server (not for delete): leave it out");
  const grace = req.query.get('gracePeriodSeconds');
  const policy = req.query.get('propagationPolicy') as 'Background' | 'Foreground' | 'Orphan' | null;
  return {
    ...(body.gracePeriodSeconds !== undefined || grace !== null ? { gracePeriodSeconds: body.gracePeriodSeconds ?? Number(grace) } : {}),
    ...(body.propagationPolicy || policy ? { propagationPolicy: body.propagationPolicy ?? policy! } : {}),
  };
}

