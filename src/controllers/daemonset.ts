/**
 * The DaemonSet controller (pkg/controller/daemon): one pod per eligible
 * node. A node is eligible when the pod, with the tolerations the
 * controller adds to every daemon pod, fits its nodeSelector, required node
 * affinity and taints. Pods are placed through required node affinity on
 * the node's name (matchFields metadata.name), and the scheduler binds them.
 * Extra, misplaced and failed pods are deleted; a RollingUpdate replaces pods
 * of an old template, maxUnavailable at a time.
 */
import { fromLabelSelector, matches, tolerates, type ApiStore, type DaemonSet, type Node, type Pod, type Toleration } from '../api/index.ts';
import type { Disposable } from '../shared/index.ts';
import { Controller, isPodActive, isPodAvailable, isPodReady } from './controller.ts';
import { resolveIntOrPercent, templateHash } from './deployment-util.ts';
import { eventRecorder, type EventRecorder } from './events.ts';
import { claimPods, podFromTemplate } from './replicaset.ts';

/** What AddOrUpdateDaemonPodTolerations gives every daemon pod. */
export const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

const REVISION_HASH = 'controller-revision-hash';

function nodeOf(p: Pod): string | undefined {
  if (p.spec.nodeName) return p.spec.nodeName;
  const terms = (p.spec.affinity as any)?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return terms?.[0]?.matchFields?.find((f: { key: string }) => f.key === 'metadata.name')?.values?.[0];
}

/**
 * NodeShouldRunDaemonPod, in short: whether a new daemon pod may go to the
 * node (selector, affinity on labels, every NoSchedule/NoExecute taint
 * tolerated), and whether a pod there may go on running (only untolerated
 * NoExecute taints evict).
 */
function placement(ds: DaemonSet, node: Node, tolerations: Toleration[]): { run: boolean; keep: boolean } {
  const spec = ds.spec.template.spec;
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return { run: false, keep: false };
  const labels = node.metadata.labels ?? {};
  if (Object.entries(spec.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) return { run: false, keep: false };
  const terms = (spec.affinity as any)?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as Array<{ matchExpressions?: any[] }> | undefined;
  if (terms?.length && !terms.some((t) => matches(fromLabelSelector({ matchExpressions: t.matchExpressions ?? [] }), labels))) return { run: false, keep: false };
  const untolerated = (node.spec?.taints ?? []).filter((taint) => taint.effect !== 'PreferNoSchedule' && !tolerations.some((t) => tolerates(t, taint)));
  return { run: untolerated.length === 0, keep: untolerated.every((t) => t.effect !== 'NoExecute') };
}

export class DaemonSetController extends Controller {
  constructor(api: ApiStore) {
    const recorder = eventRecorder(api, 'daemonset-controller');
    super(api, 'DaemonSet', ['Pod'], (ns, name) => syncDaemonSet(api, recorder, ns, name));
    // Any node change may change where daemons run.
    this.nodes = api.watch('Node', {}, () => {
      for (const ds of api.list('DaemonSet').items) this.queue.add(`${ds.metadata.namespace}/${ds.metadata.name}`);
    });
  }

  readonly nodes: Disposable;

  override dispose(): void {
    this.nodes.dispose();
    super.dispose();
  }
}

function syncDaemonSet(api: ApiStore, recorder: EventRecorder, ns: string, name: string): void {
  const ds = api.tryGet('DaemonSet', ns, name) as DaemonSet | undefined;
  if (!ds || ds.metadata.deletionTimestamp) return;
  const hash = templateHash(ds.spec.template);
  const tolerations = [...(ds.spec.template.spec.tolerations ?? []), ...DAEMON_TOLERATIONS];
  const pods = claimPods(api, ds, ds.spec.selector);
  const nodes = api.list<Node>('Node').items;
  const byNode = new Map<string, Pod[]>();
  for (const p of pods) {
    const n = nodeOf(p);
    if (n) byNode.set(n, [...(byNode.get(n) ?? []), p]);
  }
  const del = (p: Pod) => {
    api.delete('Pod', ns, p.metadata.name!);
    recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
  };
  let desired = 0;
  let misscheduled = 0;
  const strategy = ds.spec.updateStrategy;
  const now = api.clock.now();
  const minReady = ds.spec.minReadySeconds ?? 0;
  // RollingUpdate: at most maxUnavailable desired nodes without an available daemon pod at once.
  const eligible = nodes.filter((n) => placement(ds, n, tolerations).run);
  const unavailable = eligible.filter((n) => !(byNode.get(n.metadata.name!) ?? []).some((p) => !p.metadata.deletionTimestamp && isPodAvailable(p, minReady, now))).length;
  let unavailableBudget = strategy?.type === 'OnDelete' ? 0 : Math.max(0, resolveIntOrPercent(strategy?.rollingUpdate?.maxUnavailable ?? 1, eligible.length, true) - unavailable);
  for (const node of nodes) {
    const nodeName = node.metadata.name!;
    const here = (byNode.get(nodeName) ?? []).filter((p) => !p.metadata.deletionTimestamp);
    const { run, keep } = placement(ds, node, tolerations);
    if (!run) {
      if (here.length) misscheduled++;
      if (!keep) here.forEach(del);
      continue;
    }
    desired++;
    const failed = here.filter((p) => p.status?.phase === 'Failed');
    for (const p of failed) {
      recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${ns}/${p.metadata.name} on node ${nodeName}, will try to kill it`);
      del(p);
    }
    const alive = here.filter(isPodActive);
    alive.slice(1).forEach(del);
    const current = alive[0];
    // RollingUpdate: a pod of an old template goes, within maxUnavailable; its replacement comes next sync.
    if (current && current.metadata.labels?.[REVISION_HASH] !== hash && unavailableBudget > 0) {
      del(current);
      unavailableBudget--;
      continue;
    }
    if (!current && (byNode.get(nodeName) ?? []).every((p) => !p.metadata.deletionTimestamp)) {
      const pod = podFromTemplate(ds, ds.spec.template, { [REVISION_HASH]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) });
      pod.spec.tolerations = [...(pod.spec.tolerations ?? []), ...DAEMON_TOLERATIONS.filter((t) => !(pod.spec.tolerations ?? []).some((x) => x.key === t.key && x.effect === t.effect))];
      const affinity = (pod.spec.affinity ??= {}) as any;
      affinity.nodeAffinity = {
        ...affinity.nodeAffinity,
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] },
      };
      try {
        const created = api.create(pod);
        recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      } catch (err) {
        recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
        throw err; // the work queue tries again, with backoff
      }
    }
  }
  const live = claimPods(api, ds, ds.spec.selector).filter(isPodActive);
  const scheduled = live.filter((p) => p.spec.nodeName);
  api.mutate('DaemonSet', ns, name, (x) => {
    x.status = {
      currentNumberScheduled: scheduled.length,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: live.filter(isPodReady).length,
      updatedNumberScheduled: scheduled.filter((p) => p.metadata.labels?.[REVISION_HASH] === hash).length,
      numberAvailable: live.filter((p) => isPodAvailable(p, minReady, now)).length,
      numberUnavailable: Math.max(0, desired - live.filter((p) => isPodAvailable(p, minReady, now)).length),
      observedGeneration: ds.metadata.generation,
    };
  }, true);
}
