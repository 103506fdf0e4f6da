/**
 * Events as the components of a cluster record them (client-go's
 * EventRecorder): an Event object per occurrence, and a repeat of the same
 * event (same object, type, reason, message and source) counted on the
 * first one: its `count` goes up and its `lastTimestamp` moves on.
 */
import { timestamp, type ApiStore, type KubeObject } from '../api/index.ts';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  event(object: KubeObject, type: EventType, reason: string, message: string): void;
}

/** A recorder for one component (`kubelet` on a host, `default-scheduler`, `replicaset-controller`). */
export function eventRecorder(api: ApiStore, component: string, host?: string): EventRecorder {
  return {
    event(object, type, reason, message) {
      const involved = {
        kind: object.kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name!,
        uid: object.metadata.uid!,
        apiVersion: object.apiVersion,
        resourceVersion: object.metadata.resourceVersion,
      };
      const namespace = object.metadata.namespace ?? 'default';
      const now = timestamp(api.clock.now());
      const same = api
        .list('Event', { namespace, fieldSelector: `involvedObject.uid=${involved.uid},reason=${reason}` })
        .items.find((e) => e.message === message && e.type === type && (e.source as { component?: string })?.component === component);
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
        metadata: { name: `${involved.name}.${(api.clock.now() * 1e6 + Math.floor(Math.random() * 1e6)).toString(16)}`, namespace },
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
    },
  };
}
