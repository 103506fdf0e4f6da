/**
 * The Events section of kubectl describe (describe.go DescribeEvents and
 * searchEvents): the events about one object, oldest first (by Go's
 * unstable sort, as kubectl sorts them), with their age (`5m`, or
 * `2m (x3 over 5m)` for a repeated event) and their source.
 */
import type { ApiStore, KubeObject } from '../../../api/index.ts';
import { humanDuration } from '../../duration.ts';
import { goSort } from './gosort.ts';
import { LEVEL_0, LEVEL_1, tabbed, type PrefixWriter } from './writer.ts';

interface EventFields {
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

const fields = (e: KubeObject) => e as unknown as EventFields;

/**
 * The events about `obj`, as searchEvents selects them: same involved
 * name, namespace and uid, and kind (but for pods, whose reference kubectl
 * leaves kindless). A Node's events may name it by uid or by name (the
 * kubelet uses its name). An event that records no uid is matched by the
 * rest alone.
 */
export function eventsFor(api: ApiStore, obj: KubeObject): KubeObject[] {
  const meta = obj.metadata;
  const namespaced = meta.namespace !== undefined && meta.namespace !== '';
  const all = api.list('Event', namespaced ? { namespace: meta.namespace } : {}).items;
  const uids = new Set([meta.uid, ...(obj.kind === 'Node' ? [meta.name] : [])]);
  return all.filter((e) => {
    const io = fields(e).involvedObject ?? {};
    if (io.name !== meta.name) return false;
    if ((io.namespace ?? '') !== (meta.namespace ?? '')) return false;
    if (obj.kind !== 'Pod' && io.kind && io.kind !== obj.kind) return false;
    return !io.uid || uids.has(io.uid);
  });
}

const since = (ts: string | null | undefined, now: number) => (ts ? humanDuration(now - Date.parse(ts)) : '<unknown>');

/** event.SortableEvents' time: the series' last observation, the last timestamp, or the event time. */
function eventTime(e: EventFields): number {
  const t = e.series ? e.series.lastObservedTime : e.lastTimestamp || e.eventTime;
  return t ? Date.parse(t) : -Infinity;
}

/** The Age column: `45s`, or `10s (x4 over 2m)` for an event seen more than once. */
export function eventAge(e: EventFields, now: number): string {
  const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
  if (e.series) return `${since(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  return first;
}

/** DescribeEvents on a describer's writer: `Events:  <none>`, or the table (aligned on its own). */
export function writeEvents(w: PrefixWriter, events: readonly KubeObject[], now: number): void {
  if (events.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const sorted = goSort(events.map(fields), (a, b) => eventTime(a) < eventTime(b));
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const source = e.source?.component || e.reportingComponent || '';
    // A container's event names the container: `spec.containers{web}: Started container web`.
    const fieldPath = e.involvedObject?.fieldPath;
    const message = fieldPath ? `${fieldPath}: ${(e.message ?? '').trim()}` : (e.message ?? '').trim();
    w.write(LEVEL_1, `${e.type ?? ''}\t${e.reason ?? ''}\t${eventAge(e, now)}\t${source}\t${message}\n`);
  }
}

/** The Events section alone, as `kubectl describe` ends with it. */
export function describeEvents(events: readonly KubeObject[], now: number): string {
  return tabbed((w) => writeEvents(w, events, now));
}
