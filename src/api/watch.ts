/**
 * Watch delivery for the store: the recent history of changes (to start a
 * watch from a resourceVersion) and the watchers, each sent the changes that
 * match its selectors, asynchronously and in resourceVersion order.
 */
import type { Disposable } from '../shared/index.ts';
import { apiErrors } from './errors.ts';
import type { KubeObject } from './meta.ts';
import { matches, matchesFields, parseFieldSelector, parseLabelSelector, type Selector } from './selectors.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string | Selector;
  fieldSelector?: string;
  /** Events after this version; unset or "0": every current object as ADDED first. */
  resourceVersion?: string;
}

interface Watcher {
  kind: string;
  namespace?: string;
  labels: Selector;
  fields: ReturnType<typeof parseFieldSelector>;
  send: (e: WatchEvent) => void;
}

export class WatchHub {
  readonly #history: Array<{ rv: number; kind: string; event: WatchEvent }> = [];
  readonly #watchers = new Set<Watcher>();
  readonly #historyLimit: number;
  #queue: Array<() => void> = [];
  #flushing = false;

  constructor(historyLimit: number) {
    this.#historyLimit = historyLimit;
  }

  /** `current` lists the matching objects for a watch from no version; `rv` is the store's version now. */
  watch(kind: string, options: WatchOptions, send: (e: WatchEvent) => void, current: () => KubeObject[], rv: number): Disposable {
    const w: Watcher = {
      kind,
      namespace: options.namespace,
      labels: typeof options.labelSelector === 'string' ? parseLabelSelector(options.labelSelector) : options.labelSelector ?? [],
      fields: parseFieldSelector(options.fieldSelector, kind),
      send,
    };
    const from = options.resourceVersion && options.resourceVersion !== '0' ? Number(options.resourceVersion) : undefined;
    const backlog: WatchEvent[] = [];
    if (from === undefined) {
      for (const o of current()) backlog.push({ type: 'ADDED', object: o });
    } else {
      const oldest = this.#history[0]?.rv ?? rv + 1;
      if (from < oldest - 1 && from < rv) throw apiErrors.expired(`too old resource version: ${from} (${oldest - 1})`);
      for (const h of this.#history) if (h.rv > from && h.kind === kind && this.#wants(w, h.event.object)) backlog.push(h.event);
    }
    this.#enqueue(() => backlog.forEach((e) => this.#deliver(w, e)));
    this.#watchers.add(w);
    return { dispose: () => void this.#watchers.delete(w) };
  }

  #wants(w: Watcher, o: KubeObject): boolean {
    if (w.namespace && o.metadata.namespace !== w.namespace) return false;
    if (w.labels.length && !matches(w.labels, o.metadata.labels)) return false;
    return !w.fields.length || matchesFields(w.fields, o);
  }

  /**
   * A change of `kind`. With `prev`, a watcher whose selectors the object
   * starts or stops matching gets ADDED or DELETED, as the API server sends.
   */
  emit(rv: number, kind: string, event: WatchEvent, prev?: KubeObject): void {
    this.#history.push({ rv, kind, event });
    if (this.#history.length > this.#historyLimit) this.#history.splice(0, this.#history.length - this.#historyLimit);
    const sends: Array<[Watcher, WatchEvent]> = [];
    for (const w of this.#watchers) {
      if (w.kind !== kind) continue;
      const now = this.#wants(w, event.object);
      const before = prev !== undefined && event.type === 'MODIFIED' ? this.#wants(w, prev) : now;
      if (now && before) sends.push([w, event]);
      else if (now) sends.push([w, { type: 'ADDED', object: event.object }]);
      else if (before) sends.push([w, { type: 'DELETED', object: event.object }]);
    }
    if (sends.length) this.#enqueue(() => sends.forEach(([w, e]) => this.#deliver(w, e)));
  }

  /** One watcher's event; a handler that throws does not keep it from the others. */
  #deliver(w: Watcher, e: WatchEvent): void {
    if (!this.#watchers.has(w)) return;
    try {
      w.send(e);
    } catch (err) {
      console.error('watch handler failed:', err);
    }
  }

  #enqueue(job: () => void): void {
    this.#queue.push(job);
    if (this.#flushing) return;
    this.#flushing = true;
    queueMicrotask(() => {
      while (this.#queue.length) {
        const batch = this.#queue;
        this.#queue = [];
        for (const j of batch) j();
      }
      this.#flushing = false;
    });
  }
}
