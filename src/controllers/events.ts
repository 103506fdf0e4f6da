/**
 * Events as the components of a cluster record them (client-go's
 * EventRecorder): an Event object per occurrence, and a repeat of the same
 * event (same object, type, reason, message and source) counted on the
 * first one: its `count` goes up and its `lastTimestamp` moves on.
 */
import { timestamp, type ApiStore, type KubeObject } from '../api/index.ts';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  /** `fieldPath` names the part of the object (`spec.containers{web}`) a container's event is about. */
  event(object: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void;
}

let sequence = 0;

/**
 * A recorder for one component (`kubelet` on a host, `default-scheduler`,
 * `replicaset-controller`). Recording is best-effort, as client-go's is: an
 * event that cannot be written (its namespace is terminating) is dropped,
 * never thrown at the component that recorded it.
 */
export function eventRecorder(api: ApiStore, component: string, host?: string): EventRecorder {
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
    const same = api
      .list('Event', { namespace, fieldSelector: `involvedObject.uid=${uid},reason=${reason}` })
      .items.find(
        (e) => e.message === message && e.type === type && (e.source as { component?: string })?.component === component && (e.involvedObject as { fieldPath?: string }).fieldPath === fieldPath,
      );
    if (same) {
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
    api.create({
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
  }
}
