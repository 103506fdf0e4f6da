/**
 * Lists and watches as the API server serves them: a list in key order
 * (namespace, then name) with its resourceVersion, `limit` and `continue`;
 * a watch as a stream of JSON events, one per line, from a resourceVersion
 * (410 Expired as an ERROR event when it is too old) or from now after the
 * current objects as ADDED, with BOOKMARK events when asked for (and the
 * `k8s.io/initial-events-end` bookmark of sendInitialEvents), ended after
 * timeoutSeconds, or when its reader stops reading (as the API server
 * drops an unresponsive watcher).
 */
import { ApiError, isApiError, type ApiStore, type KindInfo, type KubeObject } from '../api/index.ts';
import { groupVersion } from './discovery.ts';
import type { StreamSink } from './server.ts';

const BOOKMARK_MS = 60_000;
/** kube-apiserver's --min-request-timeout: a watch without timeoutSeconds lasts about this long. */
const DEFAULT_WATCH_SECONDS = 1800;

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function bare(o: KubeObject): KubeObject {
  const { kind: _k, apiVersion: _a, ...rest } = o;
  return rest as KubeObject;
}

export function listObjects(api: ApiStore, kind: KindInfo, namespace: string | undefined, q: URLSearchParams): object {
  const items = api
    .list(kind.kind, { namespace, labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined })
    .items.slice()
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  let start = 0;
  const token = q.get('continue');
  if (token) {
    try {
      const after = (JSON.parse(atob(token)) as { start: string }).start;
      start = items.findIndex((o) => keyOf(o) > after);
      if (start < 0) start = items.length;
    } catch {
      throw new ApiError('BadRequest', 'continue key is not valid: illegal base64 data');
    }
  }
  const limit = Number(q.get('limit') ?? 0);
  const page = limit > 0 ? items.slice(start, start + limit) : items.slice(start);
  const more = start + page.length < items.length;
  const metadata: Record<string, unknown> = { resourceVersion: api.resourceVersion };
  if (more) {
    metadata.continue = btoa(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(api.resourceVersion), start: keyOf(page[page.length - 1]!) }));
    metadata.remainingItemCount = items.length - start - page.length;
  }
  return { kind: `${kind.kind}List`, apiVersion: groupVersion(kind), metadata, items: page.map(bare) };
}

export function watchStream(api: ApiStore, kind: KindInfo, namespace: string | undefined, q: URLSearchParams, sink: StreamSink): () => void {
  let ended = false;
  const timers: Array<ReturnType<typeof setTimeout>> = [];
  let stop: { dispose(): void } | undefined;
  const end = () => {
    if (ended) return;
    ended = true;
    stop?.dispose();
    timers.forEach((t) => clearTimeout(t));
    sink.end();
  };
  const send = (event: object) => {
    if (ended) return;
    if (!sink.write(`${JSON.stringify(event)}\n`)) end();
  };
  const bookmark = (annotations?: Record<string, string>) =>
    send({ type: 'BOOKMARK', object: { kind: kind.kind, apiVersion: groupVersion(kind), metadata: { resourceVersion: api.resourceVersion, ...(annotations ? { annotations } : {}) } } });
  const selectors = { namespace, labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined };
  const rv = q.get('resourceVersion') ?? '';
  const initial = q.get('sendInitialEvents') === 'true';
  let from = rv;
  if (!rv || rv === '0' || initial) {
    for (const o of api.list(kind.kind, selectors).items) send({ type: 'ADDED', object: o });
    from = api.resourceVersion;
    if (initial) bookmark({ 'k8s.io/initial-events-end': 'true' });
    // The reader went (or fell behind) during the initial events: nothing more to start.
    if (ended) return end;
  }
  try {
    stop = api.watch(kind.kind, { ...selectors, resourceVersion: from }, (e) => send({ type: e.type, object: e.object }));
  } catch (err) {
    if (!isApiError(err, 'Expired')) throw err;
    send({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: 'Expired', code: 410 } });
    end();
    return end;
  }
  if (q.get('allowWatchBookmarks') === 'true') {
    const tick = () => {
      bookmark();
      timers.push(setTimeout(tick, BOOKMARK_MS));
    };
    timers.push(setTimeout(tick, BOOKMARK_MS));
  }
  const seconds = Number(q.get('timeoutSeconds') ?? DEFAULT_WATCH_SECONDS);
  timers.push(setTimeout(end, Math.max(0, seconds) * 1000));
  return end;
}
