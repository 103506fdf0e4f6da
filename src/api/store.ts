/**
 * The API server's storage: objects by kind, namespace and name, with a
 * cluster-wide resourceVersion, list and watch from a resourceVersion,
 * optimistic concurrency (409 Conflict on a stale resourceVersion), a status
 * subresource, finalizers and graceful deletion. Each kind's defaulting,
 * validation and deletion rules come from its {@link KindStrategy}.
 *
 * Stored objects are frozen and shared: what `get` and `list` give must not
 * be changed (copy it first; {@link ApiStore.mutate} does that for you).
 * Watch events are delivered asynchronously, in resourceVersion order.
 */
import type { Clock, Disposable } from '../shared/index.ts';
import { apiErrors, type FieldError } from './errors.ts';
import { apiVersionOf, kindInfo, qualifiedKind, qualifiedResource, type KindInfo } from './kinds.ts';
import { timestamp, type KubeObject, type List } from './meta.ts';
import { matches, matchesFields, parseFieldSelector, parseLabelSelector, type Selector } from './selectors.ts';
import { WatchHub, type WatchEvent, type WatchEventType, type WatchOptions } from './watch.ts';

export type { WatchEvent, WatchEventType, WatchOptions } from './watch.ts';

export interface KindStrategy {
  /** Server-side defaulting, in place (the object is a private copy; on create it has its uid). */
  defaults?(obj: KubeObject): void;
  /** The status a new object starts with (the API server resets what a create sends). */
  initialStatus?(obj: KubeObject): unknown;
  /** Admission that reads other objects (a pod's PriorityClass, a Service's cluster IP), in place. */
  admit?(obj: KubeObject, api: ApiStore): void;
  validate?(obj: KubeObject): FieldError[];
  /** Rules for an update (immutable fields…), on top of {@link validate}. */
  validateUpdate?(next: KubeObject, prev: KubeObject): FieldError[];
  /** Seconds a deletion waits (pods: their grace period while bound to a node); 0 deletes at once. */
  deletionGrace?(obj: KubeObject, requested: number | undefined): number;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string | Selector;
  fieldSelector?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  /** dryRun=All: checked as a delete is, nothing changed; the object as it is. */
  dryRun?: boolean;
}

export interface StoreOptions {
  clock: Clock;
  strategies?: Record<string, KindStrategy>;
  /** Events kept for watches that start from an older resourceVersion. */
  historyLimit?: number;
  uid?: () => string;
}


const key = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** JSON with object keys in order: equal for equal objects whatever their key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** A Namespace's own finalizers (spec.finalizers): the namespace controller removes them once it is empty. */
const blockingSpecFinalizers = (o: KubeObject) => o.kind === 'Namespace' && ((o.spec as { finalizers?: string[] })?.finalizers?.length ?? 0) > 0;

/** Namespaces a cluster cannot do without. */
const UNDELETABLE_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export class ApiStore {
  readonly clock: Clock;
  #rv = 0;
  readonly #objects = new Map<string, Map<string, KubeObject>>(); // kind → key → object
  readonly #strategies: Record<string, KindStrategy>;
  readonly #hub: WatchHub;
  readonly #uid: () => string;

  constructor(options: StoreOptions) {
    this.clock = options.clock;
    this.#strategies = options.strategies ?? {};
    this.#hub = new WatchHub(options.historyLimit ?? 50_000);
    this.#uid = options.uid ?? (() => crypto.randomUUID());
  }

  get resourceVersion(): string {
    return String(this.#rv);
  }

  #info(kind: string): KindInfo {
    const info = kindInfo(kind);
    if (!info) throw apiErrors.badRequest(`the server doesn't have a resource type "${kind}"`);
    return info;
  }

  #bucket(kind: string): Map<string, KubeObject> {
    let b = this.#objects.get(kind);
    if (!b) this.#objects.set(kind, (b = new Map()));
    return b;
  }

  #namespaceOf(info: KindInfo, obj: KubeObject): string | undefined {
    return info.namespaced ? obj.metadata.namespace || 'default' : undefined;
  }

  #invalid(info: KindInfo, name: string, errors: FieldError[]): void {
    if (errors.length) throw apiErrors.invalid(qualifiedKind(info), info.kind, name, errors);
  }

  #randomSuffix(): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let s = '';
    for (let i = 0; i < 5; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
    return s;
  }

  /** Creates an object: defaults, validation, name generation, uid, timestamps, resourceVersion. */
  create<T extends KubeObject>(input: T, options: { dryRun?: boolean } = {}): T {
    const info = this.#info(input.kind);
    const obj = structuredClone(input) as KubeObject;
    obj.apiVersion = apiVersionOf(info);
    obj.metadata = { ...(obj.metadata ?? {}) };
    const meta = obj.metadata;
    const namespace = this.#namespaceOf(info, obj);
    if (info.namespaced) meta.namespace = namespace;
    else delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${this.#randomSuffix()}`;
    if (!meta.name) this.#invalid(info, '', [{ type: 'Required value', field: 'metadata.name', detail: 'name or generateName is required' }]);
    const name = meta.name!;
    if (info.namespaced && info.kind !== 'Namespace') {
      const ns = this.tryGet('Namespace', undefined, namespace!);
      if (!ns) throw apiErrors.notFound('namespaces', namespace!);
      if (ns.metadata.deletionTimestamp) {
        throw apiErrors.forbidden(qualifiedResource(info), name ?? '', `unable to create new content in namespace ${namespace} because it is being terminated`);
      }
    }
    for (const f of ['resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) delete meta[f];
    meta.uid = this.#uid();
    meta.creationTimestamp = timestamp(this.clock.now());
    const strategy = this.#strategies[info.kind];
    strategy?.defaults?.(obj);
    strategy?.admit?.(obj, this);
    if (strategy?.initialStatus) obj.status = strategy.initialStatus(obj);
    this.#invalid(info, name, strategy?.validate?.(obj) ?? []);
    const bucket = this.#bucket(info.kind);
    const k = key(info.kind, namespace, name);
    if (bucket.has(k)) throw apiErrors.alreadyExists(qualifiedResource(info), name);
    if ('spec' in obj) meta.generation = 1;
    if (options.dryRun) return deepFreeze(obj) as T;
    meta.resourceVersion = String(++this.#rv);
    deepFreeze(obj);
    bucket.set(k, obj);
    this.#emit(info.kind, 'ADDED', obj);
    return obj as T;
  }

  tryGet(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const info = this.#info(kind);
    return this.#objects.get(kind)?.get(key(kind, info.namespaced ? namespace || 'default' : undefined, name));
  }

  get<T extends KubeObject = KubeObject>(kind: string, namespace: string | undefined, name: string): T {
    const o = this.tryGet(kind, namespace, name);
    if (!o) throw apiErrors.notFound(qualifiedResource(this.#info(kind)), name);
    return o as T;
  }

  list<T extends KubeObject = KubeObject>(kind: string, options: ListOptions = {}): List<T> {
    const info = this.#info(kind);
    const labels = typeof options.labelSelector === 'string' ? parseLabelSelector(options.labelSelector) : options.labelSelector ?? [];
    const fields = parseFieldSelector(options.fieldSelector, kind);
    const items: KubeObject[] = [];
    for (const o of this.#objects.get(kind)?.values() ?? []) {
      if (info.namespaced && options.namespace && o.metadata.namespace !== options.namespace) continue;
      if (labels.length && !matches(labels, o.metadata.labels)) continue;
      if (fields.length && !matchesFields(fields, o)) continue;
      items.push(o);
    }
    // In key order (namespace, then name, byte-wise), as etcd lists them.
    const order = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (items.length > 1) {
      const keyed = items.map((o) => [order(o), o] as const);
      keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      items.length = 0;
      for (const [, o] of keyed) items.push(o);
    }
    return { apiVersion: 'v1', kind: `${info.kind}List`, metadata: { resourceVersion: this.resourceVersion }, items: items as T[] };
  }

  /**
   * Replaces an object's spec and metadata (its status stays, for kinds with
   * a status subresource). A resourceVersion in `next` must be the current
   * one, or the update fails with 409 Conflict.
   */
  update<T extends KubeObject>(next: T, options: { dryRun?: boolean } = {}): T {
    return this.#write(next, 'main', options.dryRun) as T;
  }

  /** Replaces an object's status only (the status subresource). */
  updateStatus<T extends KubeObject>(next: T): T {
    return this.#write(next, 'status') as T;
  }

  /**
   * pods/binding: sets a pending pod's node, as the scheduler's bind does,
   * and at once, as the API server does, the PodScheduled=True condition and
   * the binding's annotations; a nomination is over. A pod already on a
   * node cannot be bound again (409 Conflict); `uid` must be the pod's.
   */
  bind(namespace: string | undefined, name: string, nodeName: string, options: { uid?: string; annotations?: Record<string, string> } = {}): KubeObject {
    const info = this.#info('Pod');
    const bucket = this.#bucket('Pod');
    const k = key('Pod', namespace || 'default', name);
    const pod = bucket.get(k);
    if (!pod || (options.uid && pod.metadata.uid !== options.uid)) throw apiErrors.notFound(qualifiedResource(info), name);
    const bound = (pod.spec as { nodeName?: string }).nodeName;
    if (bound) throw apiErrors.conflict('pods/binding', name, `pod ${name} is already assigned to node ${JSON.stringify(bound)}`);
    if (pod.metadata.deletionTimestamp) throw apiErrors.conflict('pods/binding', name, `pod ${name} is being deleted, cannot be assigned to a host`);
    // Stored objects are frozen: the new one shares every part it does not change.
    type Bound = KubeObject & { spec: Record<string, unknown>; status?: { conditions?: Array<Record<string, unknown>>; nominatedNodeName?: string } };
    const prev = pod as Bound;
    const conditions = (prev.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    const status = { ...prev.status, conditions: [...conditions, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp(this.clock.now()) }] };
    delete status.nominatedNodeName;
    const metadata = { ...prev.metadata };
    if (options.annotations) metadata.annotations = { ...metadata.annotations, ...options.annotations };
    const next: Bound = { ...prev, metadata, spec: { ...prev.spec, nodeName }, status };
    next.metadata.resourceVersion = String(++this.#rv);
    deepFreeze(next);
    bucket.set(k, next);
    this.#emit('Pod', 'MODIFIED', next, pod);
    return next;
  }

  /** With `dryRun`, the object as it would be stored (the same one when nothing would change), nothing stored. */
  #write(input: KubeObject, part: 'main' | 'status', dryRun = false): KubeObject {
    const info = this.#info(input.kind);
    const name = input.metadata?.name ?? '';
    const namespace = this.#namespaceOf(info, input);
    const bucket = this.#bucket(info.kind);
    const k = key(info.kind, namespace, name);
    const prev = bucket.get(k);
    if (!prev) throw apiErrors.notFound(qualifiedResource(info), name);
    const rv = input.metadata.resourceVersion;
    if (rv && rv !== prev.metadata.resourceVersion) throw apiErrors.conflict(qualifiedResource(info), name);
    const obj = structuredClone(input) as KubeObject;
    obj.apiVersion = prev.apiVersion;
    if (part === 'status') {
      const status = obj.status;
      Object.assign(obj, structuredClone(prev), { status });
    } else if (part === 'main') {
      if (info.hasStatus) obj.status = structuredClone(prev.status);
      const strategy = this.#strategies[info.kind];
      strategy?.defaults?.(obj);
      this.#invalid(info, name, [...(strategy?.validate?.(obj) ?? []), ...(strategy?.validateUpdate?.(obj, prev) ?? [])]);
    }
    // What the server owns stays the server's.
    const keep = prev.metadata;
    obj.metadata = { ...obj.metadata, name, namespace: keep.namespace, uid: keep.uid, creationTimestamp: keep.creationTimestamp, generation: keep.generation };
    if (!obj.metadata.namespace) delete obj.metadata.namespace;
    for (const f of ['deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
      if (keep[f] !== undefined) obj.metadata[f] = keep[f] as never;
      else delete obj.metadata[f];
    }
    if (part === 'main' && 'spec' in obj && !same(obj.spec, prev.spec)) obj.metadata.generation = (keep.generation ?? 0) + 1;
    if (same({ ...obj, metadata: { ...obj.metadata, resourceVersion: '' } }, { ...prev, metadata: { ...prev.metadata, resourceVersion: '' } })) return prev;
    if (dryRun) {
      obj.metadata.resourceVersion = prev.metadata.resourceVersion;
      return deepFreeze(obj);
    }
    obj.metadata.resourceVersion = String(++this.#rv);
    deepFreeze(obj);
    // A deleted object whose last finalizer is gone goes away now.
    if (obj.metadata.deletionTimestamp && !obj.metadata.finalizers?.length && !blockingSpecFinalizers(obj) && this.#gracePassed(obj)) {
      bucket.delete(k);
      this.#emit(info.kind, 'DELETED', obj);
      return obj;
    }
    bucket.set(k, obj);
    this.#emit(info.kind, 'MODIFIED', obj, prev);
    return obj;
  }

  #gracePassed(obj: KubeObject): boolean {
    return !obj.metadata.deletionGracePeriodSeconds;
  }

  /**
   * Reads the current object, lets `change` edit a copy, and writes it back
   * (status too when `status` is set), retrying on a conflict: the usual
   * read-modify-write of a controller.
   */
  mutate<T extends KubeObject>(kind: string, namespace: string | undefined, name: string, change: (draft: T) => void, status = false): T {
    for (let attempt = 0; ; attempt++) {
      const draft = structuredClone(this.get(kind, namespace, name)) as T;
      change(draft);
      try {
        return status ? this.updateStatus(draft) : this.update(draft);
      } catch (err) {
        if (attempt > 5 || (err as { reason?: string }).reason !== 'Conflict') throw err;
      }
    }
  }

  /**
   * Deletes an object. With finalizers, or a grace period (a pod on a node),
   * it only gets a deletionTimestamp and stays until its finalizers are
   * removed or {@link delete} is called again with grace 0. Gives the object
   * as it was deleted or marked.
   */
  delete(kind: string, namespace: string | undefined, name: string, options: DeleteOptions = {}): KubeObject {
    const info = this.#info(kind);
    const ns = info.namespaced ? namespace || 'default' : undefined;
    const bucket = this.#bucket(kind);
    const k = key(kind, ns, name);
    const prev = bucket.get(k);
    if (!prev) throw apiErrors.notFound(qualifiedResource(info), name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== prev.metadata.uid) {
      throw apiErrors.conflict(qualifiedResource(info), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${prev.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== prev.metadata.resourceVersion) {
      throw apiErrors.conflict(qualifiedResource(info), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${prev.metadata.resourceVersion}`);
    }
    if (kind === 'Namespace' && UNDELETABLE_NAMESPACES.has(name)) throw apiErrors.forbidden('namespaces', name, 'this namespace may not be deleted');
    if (options.dryRun) return prev;
    const grace = this.#strategies[kind]?.deletionGrace?.(prev, options.gracePeriodSeconds) ?? 0;
    const finalizers = [...(prev.metadata.finalizers ?? [])];
    if (options.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (options.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    if (grace === 0 && finalizers.length === 0 && !blockingSpecFinalizers(prev)) {
      const gone = structuredClone(prev) as KubeObject;
      gone.metadata.resourceVersion = String(++this.#rv);
      if (!gone.metadata.deletionTimestamp) gone.metadata.deletionTimestamp = timestamp(this.clock.now());
      deepFreeze(gone);
      bucket.delete(k);
      this.#emit(kind, 'DELETED', gone);
      return gone;
    }
    const marked = structuredClone(prev) as KubeObject;
    const now = this.clock.now();
    const already = prev.metadata.deletionTimestamp;
    // A second delete may shorten the grace period, never lengthen it.
    const until = now + grace * 1000;
    if (!already || Date.parse(already) > until) marked.metadata.deletionTimestamp = timestamp(until);
    if (prev.metadata.deletionGracePeriodSeconds === undefined || grace < prev.metadata.deletionGracePeriodSeconds) marked.metadata.deletionGracePeriodSeconds = grace;
    marked.metadata.finalizers = finalizers;
    if (marked.metadata.finalizers.length === 0) delete marked.metadata.finalizers;
    if (kind === 'Namespace') marked.status = { ...(marked.status as object), phase: 'Terminating' };
    if (same(marked, prev)) return prev;
    marked.metadata.resourceVersion = String(++this.#rv);
    deepFreeze(marked);
    bucket.set(k, marked);
    this.#emit(kind, 'MODIFIED', marked, prev);
    return marked;
  }

  /** Every stored object, for saving a cluster's state. */
  dump(): KubeObject[] {
    return [...this.#objects.values()].flatMap((bucket) => [...bucket.values()]);
  }

  /**
   * Puts saved objects back as they were (uid, resourceVersion, timestamps),
   * replacing any of the same name, before anything watches: a cluster
   * started again from its saved state. resourceVersions go on after the
   * highest restored.
   */
  restore(objects: readonly KubeObject[]): void {
    for (const o of objects) {
      const info = this.#info(o.kind);
      const obj = deepFreeze(structuredClone(o));
      this.#bucket(o.kind).set(key(o.kind, this.#namespaceOf(info, obj), obj.metadata.name!), obj);
      this.#rv = Math.max(this.#rv, Number(obj.metadata.resourceVersion ?? 0));
    }
  }

  /**
   * Watches a kind: each change that matches the options, in order. From a
   * resourceVersion older than the kept history: 410 Expired, as the API
   * server's watch cache answers ("too old resource version").
   */
  watch(kind: string, options: WatchOptions, send: (e: WatchEvent) => void): Disposable {
    const info = this.#info(kind);
    const scoped = { ...options, namespace: info.namespaced ? options.namespace : undefined };
    return this.#hub.watch(kind, scoped, send, () => this.list(kind, scoped).items, this.#rv);
  }

  #emit(kind: string, type: WatchEventType, object: KubeObject, prev?: KubeObject): void {
    this.#hub.emit(this.#rv, kind, { type, object }, prev);
  }
}
