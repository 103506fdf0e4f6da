/**
 * The ReplicaSet controller (pkg/controller/replicaset): keeps `replicas`
 * pods of the template running. It adopts matching orphans, releases pods
 * that stopped matching, creates the missing pods (SuccessfulCreate) and
 * deletes the extra ones in the order the real controller picks them
 * (SuccessfulDelete), and reports replicas, ready and available counts.
 * Pods are created in slow-start batches (1, 2, 4…, at most 500 a sync),
 * each in a task of its own, so a scale to 100 does not hold the page.
 */
import { fromLabelSelector, matches, type ApiStore, type KubeObject, type Pod, type ReplicaSet } from '../api/index.ts';
import { Controller, controllerOf, controllerRef, isPodActive, isPodAvailable, isPodReady } from './controller.ts';
import { eventRecorder, type EventRecorder } from './events.ts';
import { nextTask } from '../shared/index.ts';

/** A pod object from a template, owned by `owner` (what ReplicaSet, Job and DaemonSet create). */
export function podFromTemplate(owner: KubeObject, template: { metadata?: KubeObject['metadata']; spec: unknown }, extraLabels: Record<string, string> = {}): Pod {
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...meta.labels, ...extraLabels },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ownerReferences: [controllerRef(owner)],
    },
    spec: structuredClone(template.spec) as Pod['spec'],
  };
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** Which pods go first when scaling down (controller.ActivePodsWithRanks, in short). */
export function deletionOrder(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const phase = (p: Pod) => PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount));
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  return Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? '');
}

/** The pods `owner` controls (adopting matching orphans, releasing pods that no longer match). */
export function claimPods(api: ApiStore, owner: KubeObject, selector: Parameters<typeof fromLabelSelector>[0]): Pod[] {
  const sel = fromLabelSelector(selector);
  const uid = owner.metadata.uid!;
  const out: Pod[] = [];
  for (const p of api.list<Pod>('Pod', { namespace: owner.metadata.namespace }).items) {
    const ref = controllerOf(p, owner.kind);
    const mine = ref?.uid === uid;
    const fits = sel.length > 0 && matches(sel, p.metadata.labels);
    if (mine && fits) out.push(p);
    else if (mine && !fits && !p.metadata.deletionTimestamp) {
      api.mutate('Pod', p.metadata.namespace, p.metadata.name!, (x) => {
        x.metadata.ownerReferences = x.metadata.ownerReferences?.filter((r) => r.uid !== uid);
      });
    } else if (!p.metadata.ownerReferences?.some((r) => r.controller) && fits && !p.metadata.deletionTimestamp && !owner.metadata.deletionTimestamp) {
      out.push(api.mutate<Pod>('Pod', p.metadata.namespace, p.metadata.name!, (x) => {
        x.metadata.ownerReferences = [...(x.metadata.ownerReferences ?? []), controllerRef(owner)];
      }));
    }
  }
  return out;
}

/** How many pods one sync creates at most (burstReplicas); the next sync creates the rest. */
const BURST_REPLICAS = 500;

export class ReplicaSetController extends Controller {
  constructor(api: ApiStore) {
    const recorder = eventRecorder(api, 'replicaset-controller');
    super(api, 'ReplicaSet', ['Pod'], (ns, name) => syncReplicaSet(api, recorder, ns, name, this));
  }
}

async function syncReplicaSet(api: ApiStore, recorder: EventRecorder, ns: string, name: string, controller: Controller): Promise<void> {
  let rs = api.tryGet('ReplicaSet', ns, name) as ReplicaSet | undefined;
  if (!rs) return;
  const pods = claimPods(api, rs, rs.spec.selector);
  const active = pods.filter(isPodActive);
  const want = rs.metadata.deletionTimestamp ? active.length : rs.spec.replicas ?? 1;
  const diff = active.length - want;
  if (diff < 0) {
    // slowStartBatch: batches of 1, 2, 4… (the page draws between them); a failure stops the rest, and the work queue tries again with backoff.
    let left = Math.min(-diff, BURST_REPLICAS);
    for (let batch = 1; left > 0; batch *= 2) {
      const n = Math.min(batch, left);
      for (let i = 0; i < n; i++) {
        try {
          const pod = api.create(podFromTemplate(rs, rs.spec.template));
          recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
        } catch (err) {
          recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
          throw err;
        }
      }
      left -= n;
      if (left <= 0) break;
      await nextTask();
      // Other work ran meanwhile: a ReplicaSet deleted, replaced, scaled down or edited is the next sync's (its change queued it again).
      const latest = api.tryGet('ReplicaSet', ns, name) as ReplicaSet | undefined;
      if (controller.queue.disposed || !latest || latest.metadata.uid !== rs.metadata.uid || latest.metadata.deletionTimestamp || latest.metadata.generation !== rs.metadata.generation) return;
    }
  } else if (diff > 0) {
    for (const p of [...active].sort(deletionOrder).slice(0, diff)) {
      try {
        api.delete('Pod', p.metadata.namespace, p.metadata.name!);
        recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
      } catch (err) {
        if ((err as { reason?: string }).reason !== 'NotFound') recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
      }
    }
  }
  // The status is of the spec this sync acted on (observedGeneration), with the pods as they are now.
  const generation = rs.metadata.generation;
  rs = api.tryGet('ReplicaSet', ns, name) as ReplicaSet | undefined;
  if (!rs) return;
  const now = api.clock.now();
  const current = claimPods(api, rs, rs.spec.selector).filter(isPodActive);
  const minReady = rs.spec.minReadySeconds ?? 0;
  const templateLabels = rs.spec.template.metadata?.labels ?? {};
  const status = {
    replicas: current.length,
    fullyLabeledReplicas: current.filter((p) => Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v)).length,
    readyReplicas: current.filter(isPodReady).length,
    availableReplicas: current.filter((p) => isPodAvailable(p, minReady, now)).length,
    observedGeneration: generation,
  };
  api.mutate('ReplicaSet', ns, name, (x) => (x.status = status), true);
  // Availability waits out minReadySeconds: look again then.
  if (minReady && status.readyReplicas > status.availableReplicas) controller.queue.addAfter(`${ns}/${name}`, minReady * 1000);
}
