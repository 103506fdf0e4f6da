/**
 * Events as the components of a cluster record them (client-go's
 * EventRecorder): an Event object per occurrence, and a repeat of the same
 * event (same object, type, reason, message and source) counted on the
 * first one: its `count` goes up and its `lastTimestamp` moves on. Like
 * client-go's EventCorrelator, a recorder remembers the events it wrote
 * (the latest 4096), so a repeat is found without listing events.
 */
import { timestamp, type ApiStore, type KubeObject } from '../api/index.ts';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  /** `fieldPath` names the part of the object (`spec.containers{web}`) a container's event is about. */
  event(object: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void;
}

let sequence = 0;
/** How many events a recorder remembers for counting repeats (client-go's maxLruCacheEntries). */
const CACHE_SIZE = 4096;

/**
 * A recorder for one component (`kubelet` on a host, `default-scheduler`,
 * `replicaset-controller`). Recording is best-effort, as client-go's is: an
 * event that cannot be written (its namespace is terminating) is dropped,
 * never thrown at the component that recorded it.
 */
export function eventRecorder(api: ApiStore, component: string, host?: string): EventRecorder {
  /** Event names by what makes a repeat (object uid, type, reason, message, field path), oldest first. */
  const written = new Map<string, string>();
  return {
    event(object, type, reason, message, fieldPath) {
      try {
        record(object, type, reason, message, fieldPath);
      } catch {
        // Dropped, as client-go drops events it cannot write.
      }
    },
  };

  function record(object: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    const involved: Record<string, unknown> = {
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name!,
      uid: object.metadata.uid!,
      apiVersion: object.apiVersion,
      resourceVersion: object.metadata.resourceVersion,
    };
    if (fieldPath) involved.fieldPath = fieldPath;
    const namespace = object.metadata.namespace ?? 'default';
    const uid = object.metadata.uid!;
    const now = timestamp(api.clock.now());
    const repeatKey = `${uid}\0${type}\0${reason}\0${fieldPath ?? ''}\0${message}`;
    const seen = written.get(repeatKey);
    const same = seen === undefined ? undefined : api.tryGet('Event', namespace, seen);
    if (same && (same.involvedObject as { uid?: string }).uid === uid) {
      try {
        api.mutate('Event', namespace, same.metadata.name!, (e) => {
          e.count = Number(e.count ?? 1) + 1;
          e.lastTimestamp = now;
        });
        return;
      } catch {
        // Gone meanwhile: record it afresh.
      }
    }
    const source: Record<string, string> = { component };
    if (host) source.host = host;
    const created = api.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${object.metadata.name}.${(BigInt(Math.floor(api.clock.now())) * 1_000_000n + BigInt(sequence++ % 1_000_000)).toString(16)}`, namespace },
      involvedObject: involved,
      reason,
      message,
      type,
      source,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: component,
      reportingInstance: host ?? '',
    });
    written.delete(repeatKey);
    written.set(repeatKey, created.metadata.name!);
    if (written.size > CACHE_SIZE) written.delete(written.keys().next().value!);
  }
}
