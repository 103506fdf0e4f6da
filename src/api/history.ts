/**
 * The recorded watch history behind the cluster map's timeline: every watch
 * event the control plane sent, on top of a base (the objects that existed
 * when recording began), so that any kept moment's objects can be derived
 * again exactly ({@link WatchHistory.stateAt}), exported and imported.
 *
 * Lifecycle: make one with the store's objects when recording starts
 * (`store.dump()`, then watch every kind from `store.resourceVersion`, as the
 * session does), {@link WatchHistory.record} each event with the cluster's
 * time, {@link WatchHistory.clear} after a sandbox reset. It is bounded: past
 * `maxEvents` kept events, or for events older than `maxAgeMs` before the
 * latest time seen, the oldest events are folded into the base (the state at
 * every kept moment stays exact) and counted in `dropped`.
 *
 * Recorded objects are immutable and share structure: the API store's
 * objects are deep-frozen and replaced, never changed, on each write, so a
 * watch event's object is already an immutable version and is not cloned;
 * each new version of an object keeps only what changed since its previous
 * recorded version and shares the rest with it (a pod's status write costs
 * its status and metadata, not the pod). Unfrozen input is copied and frozen.
 *
 * Exported and imported as JSON lines: the format, its reading and its
 * writing are in history-format.ts.
 */
import { invalid, objectProblem, readHistoryJsonLines, writeHistoryJsonLines } from './history-format.ts';
import { kindInfo } from './kinds.ts';
import type { KubeObject } from './meta.ts';
import type { WatchEventType } from './watch.ts';

/** One recorded event, as a timeline lists it. The object is shared and frozen: never copy it to list. */
export interface HistoryEntry {
  /** 1 for the first event since recording began; stays with its event when older ones are folded. */
  readonly seq: number;
  /** Cluster time, ms since the epoch. */
  readonly at: number;
  readonly type: WatchEventType;
  readonly kind: string;
  /** Undefined for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly name: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly object: KubeObject;
}

export interface WatchHistoryOptions {
  /** The objects when recording began. */
  base?: readonly KubeObject[];
  startedAt: number;
  /** Events kept; older ones are folded into the base. Default 10,000. */
  maxEvents?: number;
  /** Events older than this before the latest time are folded into the base. Default 30 minutes. */
  maxAgeMs?: number;
  /** A saved state every this many events, so that {@link WatchHistory.stateAt} replays at most that many. Default 128. */
  checkpointEvery?: number;
}

/** `Pod/default/web`: an object's identity in a history (kind + namespace + name). */
export function historyKey(e: { readonly kind: string; readonly namespace?: string; readonly name: string }): string {
  return `${e.kind}/${e.namespace ?? ''}/${e.name}`;
}

type Bucket = Map<string, KubeObject>; // `namespace/name` → object, per kind
type Snapshot = ReadonlyMap<string, ReadonlyMap<string, KubeObject>>;

const within = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

/** A namespaced kind's objects always have a namespace (the store defaults it); unknown kinds keep theirs. */
function namespaceOf(kind: string, o: KubeObject): string | undefined {
  const info = kindInfo(kind);
  if (!info) return o.metadata.namespace || undefined;
  return info.namespaced ? o.metadata.namespace || 'default' : undefined;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/**
 * `next` as an immutable value that shares every part equal to `prev` (the
 * same object's version before), so that 10,000 versions of a pod cost what
 * changed in each rather than 10,000 pods. Frozen parts of `next` without a
 * counterpart are kept as they are (the store deep-freezes what it stores).
 */
function shared(next: unknown, prev: unknown): unknown {
  if (next === prev) return prev; // equal strings too: the older one is kept, the newer can go
  if (typeof next !== 'object' || next === null) return next;
  const p = typeof prev === 'object' && prev !== null && Array.isArray(prev) === Array.isArray(next) ? (prev as Record<string, unknown>) : undefined;
  if (!p && Object.isFrozen(next)) return next;
  const keys = Object.keys(next);
  let same = p !== undefined && Object.keys(p).length === keys.length;
  const out: Record<string, unknown> = Array.isArray(next) ? (new Array(keys.length) as never) : {};
  for (const k of keys) {
    const before = p && Object.hasOwn(p, k) ? p[k] : undefined;
    const v = shared((next as Record<string, unknown>)[k], before);
    if (!p || !Object.hasOwn(p, k) || v !== before) same = false;
    out[k] = v;
  }
  return same ? p : Object.freeze(out);
}

/** Objects by kind, copied per kind on the first write after a snapshot shares them. */
class WorkingState {
  readonly kinds: Map<string, Bucket>;
  readonly #owned = new Set<string>();

  constructor(from: Snapshot) {
    this.kinds = new Map(from as Map<string, Bucket>);
  }

  apply(e: HistoryEntry): void {
    let bucket = this.kinds.get(e.kind);
    if (!this.#owned.has(e.kind)) {
      this.kinds.set(e.kind, (bucket = new Map(bucket)));
      this.#owned.add(e.kind);
    }
    if (e.type === 'DELETED') bucket!.delete(within(e.namespace, e.name));
    else bucket!.set(within(e.namespace, e.name), e.object);
  }

  /** The state now, never changed afterwards. */
  snapshot(): Snapshot {
    this.#owned.clear();
    return new Map(this.kinds);
  }
}

/** The objects at one moment of a history. Read-only; the objects are frozen. */
export class HistoryState {
  readonly #kinds: Snapshot;

  constructor(kinds: Snapshot) {
    this.#kinds = kinds;
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const ns = kindInfo(kind)?.namespaced ? namespace || 'default' : namespace;
    return this.#kinds.get(kind)?.get(within(ns, name));
  }

  /** A kind's objects in the store's list order (namespace, then name, byte-wise). */
  list(kind: string, options: { namespace?: string } = {}): KubeObject[] {
    const bucket = this.#kinds.get(kind);
    if (!bucket) return [];
    const keys = [...bucket.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const items = keys.map((k) => bucket.get(k)!);
    return options.namespace ? items.filter((o) => o.metadata.namespace === options.namespace) : items;
  }

  /** Kinds with at least one object. */
  kinds(): string[] {
    return [...this.#kinds].filter(([, b]) => b.size > 0).map(([k]) => k);
  }

  get size(): number {
    let n = 0;
    for (const b of this.#kinds.values()) n += b.size;
    return n;
  }

  *[Symbol.iterator](): IterableIterator<KubeObject> {
    for (const b of this.#kinds.values()) yield* b.values();
  }
}

function snapshotOf(objects: readonly KubeObject[]): Snapshot {
  const kinds = new Map<string, Bucket>();
  for (const o of objects) {
    const kind = o.kind;
    let bucket = kinds.get(kind);
    if (!bucket) kinds.set(kind, (bucket = new Map()));
    bucket.set(within(namespaceOf(kind, o), o.metadata.name!), shared(o, undefined) as KubeObject);
  }
  return kinds;
}

export class WatchHistory {
  readonly maxEvents: number;
  readonly maxAgeMs: number;
  readonly checkpointEvery: number;
  #startedAt = 0;
  #baseAt = 0;
  #dropped = 0;
  #capped = 0;
  #events: HistoryEntry[] = []; // kept events from #first on
  #first = 0;
  #base!: WorkingState; // the state after event #dropped
  #tip!: WorkingState; // the state now
  #checkpoints = new Map<number, Snapshot>(); // seq (a multiple of checkpointEvery) → the state after it

  constructor(options: WatchHistoryOptions) {
    this.maxEvents = Math.max(0, options.maxEvents ?? 10_000);
    this.maxAgeMs = options.maxAgeMs ?? 30 * 60_000;
    this.checkpointEvery = Math.max(1, Math.floor(options.checkpointEvery ?? 128));
    this.clear(options.base ?? [], options.startedAt);
  }

  /** Starts over from `base` at `at` (after a sandbox reset): no events, nothing dropped. */
  clear(base: readonly KubeObject[], at: number): void {
    const snapshot = snapshotOf(base);
    this.#startedAt = this.#baseAt = at;
    this.#dropped = this.#capped = this.#first = 0;
    this.#events = [];
    this.#checkpoints = new Map();
    this.#base = new WorkingState(snapshot);
    this.#tip = new WorkingState(snapshot);
  }

  /** When recording began. */
  get startedAt(): number {
    return this.#startedAt;
  }

  /** Kept events: states run from 0 (the base) to `length` (now). */
  get length(): number {
    return this.#events.length - this.#first;
  }

  /** Events folded into the base since recording began (by the caps, or before an export). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Of {@link dropped}, those an import folded to keep within `maxEvents`: the timeline should say so. */
  get capped(): number {
    return this.#capped;
  }

  /**
   * Records one watch event at cluster time `at` (ms), then folds what the
   * caps no longer keep. Times before the last recorded one count as that
   * one's (watch events are delivered in order).
   */
  record(type: WatchEventType, kind: string, object: KubeObject, at: number): HistoryEntry {
    const problem = Number.isFinite(at) ? objectProblem(object, kind) : `the time is ${at}`;
    if (problem) throw invalid(`cannot record a ${kind} ${type} event: ${problem}`);
    const entry = this.#push(type, kind, object, Math.max(at, this.#lastAt()));
    this.trim(entry.at);
    return entry;
  }

  /** Folds events older than `maxAgeMs` before `now`, and any beyond `maxEvents`. */
  trim(now: number): void {
    const old = this.#countBefore(now - this.maxAgeMs, false);
    this.#fold(Math.max(old, this.length - this.maxEvents));
  }

  /** Kept event `i` (0 is the oldest kept). */
  entry(i: number): HistoryEntry {
    this.#check(i, this.length - 1);
    return this.#events[this.#first + i]!;
  }

  /** Kept events from `start` to before `end`, oldest first; nothing is copied. */
  *entries(start = 0, end = this.length): IterableIterator<HistoryEntry> {
    for (let i = Math.max(0, start); i < Math.min(end, this.length); i++) yield this.#events[this.#first + i]!;
  }

  /** The time of state `i`: the base's for 0, else kept event `i - 1`'s. */
  timeAt(i: number): number {
    this.#check(i, this.length);
    return i === 0 ? this.#baseAt : this.#events[this.#first + i - 1]!.at;
  }

  /** The state at time `ms`: the index after the last kept event at or before it (0 before the first). */
  indexAt(ms: number): number {
    return this.#countBefore(ms, true);
  }

  /** Kept events before `ms` (or at it, with `inclusive`); event times never decrease. */
  #countBefore(ms: number, inclusive: boolean): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.#events[this.#first + mid]!.at;
      if (at < ms || (inclusive && at === ms)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The objects after the first `i` kept events: 0 is the base, `length` now. Replays at most `checkpointEvery` events. */
  stateAt(i: number): HistoryState {
    this.#check(i, this.length);
    if (i === this.length) return new HistoryState(this.#tip.snapshot());
    const target = this.#dropped + i;
    const c = target - (target % this.checkpointEvery);
    const checkpoint = c > this.#dropped ? this.#checkpoints.get(c) : undefined;
    if (checkpoint && c === target) return new HistoryState(checkpoint);
    const from = checkpoint ? c : this.#dropped;
    if (from === target) return new HistoryState(this.#base.snapshot());
    const state = new WorkingState(checkpoint ?? this.#base.snapshot());
    for (let seq = from + 1; seq <= target; seq++) state.apply(this.#bySeq(seq));
    return new HistoryState(state.kinds);
  }

  /** The history in podplay's JSON lines format (see history-format.ts), ending in a newline. */
  toJsonLines(): string {
    const base = [...new HistoryState(this.#base.snapshot())];
    return writeHistoryJsonLines({ startedAt: this.#startedAt, baseAt: this.#baseAt, dropped: this.#dropped, base, events: this.entries(), eventCount: this.length });
  }

  /**
   * Reads podplay's JSON lines format. Refuses (PodplayError `HistoryInvalid`,
   * naming the line) a file that is not one, or is truncated or malformed.
   * Keeps the last `maxEvents` events and folds the rest into the base,
   * counted in {@link capped}. The age cap is off unless `maxAgeMs` is given.
   */
  static fromJsonLines(text: string, options: Omit<WatchHistoryOptions, 'base' | 'startedAt'> = {}): WatchHistory {
    const { startedAt, parts } = readHistoryJsonLines(text);
    const history = new WatchHistory({ ...options, maxAgeMs: options.maxAgeMs ?? Infinity, startedAt });
    for (const p of parts) {
      if (p.part === 'base') {
        history.#start(p.objects.map(deepFreeze), p.baseAt, p.dropped);
        continue;
      }
      history.#push(p.type, p.kind, p.object, p.at);
      if (history.length > history.maxEvents) {
        history.#capped++;
        history.#fold(1);
      }
    }
    if (history.maxAgeMs !== Infinity) history.trim(history.#lastAt());
    return history;
  }

  #start(base: readonly KubeObject[], baseAt: number, dropped: number): void {
    this.clear(base, this.#startedAt);
    this.#baseAt = baseAt;
    this.#dropped = dropped;
  }

  #lastAt(): number {
    return this.length ? this.#events[this.#events.length - 1]!.at : this.#baseAt;
  }

  #bySeq(seq: number): HistoryEntry {
    return this.#events[this.#first + seq - this.#dropped - 1]!;
  }

  /** Records an event whose object has been checked; the object is kept as {@link shared} makes it. */
  #push(type: WatchEventType, kind: string, input: KubeObject, at: number): HistoryEntry {
    const namespace = namespaceOf(kind, input);
    const object = shared(input, this.#tip.kinds.get(kind)?.get(within(namespace, input.metadata.name!))) as KubeObject;
    const m = object.metadata;
    const entry: HistoryEntry = Object.freeze({
      seq: this.#dropped + this.length + 1,
      at,
      type,
      kind,
      namespace,
      name: m.name!,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      object,
    });
    this.#events.push(entry);
    this.#tip.apply(entry);
    if (entry.seq % this.checkpointEvery === 0) this.#checkpoints.set(entry.seq, this.#tip.snapshot());
    return entry;
  }

  /** Folds the oldest `n` kept events into the base. */
  #fold(n: number): void {
    if (n <= 0) return;
    const target = this.#dropped + n;
    let from = this.#dropped;
    const c = target - (target % this.checkpointEvery);
    const checkpoint = c > from ? this.#checkpoints.get(c) : undefined;
    if (checkpoint) {
      this.#base = new WorkingState(checkpoint);
      from = c;
    }
    for (let seq = from + 1; seq <= target; seq++) this.#base.apply(this.#bySeq(seq));
    for (let s = this.#dropped - (this.#dropped % this.checkpointEvery); s <= target; s += this.checkpointEvery) this.#checkpoints.delete(s);
    this.#baseAt = this.#bySeq(target).at;
    this.#first += n;
    this.#dropped = target;
    if (this.#first > 1024 && this.#first * 2 > this.#events.length) {
      this.#events.splice(0, this.#first);
      this.#first = 0;
    }
  }

  #check(i: number, max: number): void {
    if (!Number.isInteger(i) || i < 0 || i > max) throw new RangeError(`history index ${i} is outside 0..${max}`);
  }
}
