/**
 * A stand-in for the scheduler until podplay's kube-scheduler lands: it
 * binds each pending pod of `default-scheduler` to the next Ready,
 * schedulable node in turn that passes the pod's hard rules (nodeSelector,
 * required node affinity, taints), and writes what the scheduler writes (the
 * binding, the PodScheduled condition, the `Scheduled` event). It works
 * only through the API, so the real scheduler takes its place without
 * touching the controllers or the kubelets.
 */
import { timestamp, tolerates, type ApiStore, type Node, type Pod } from '../api/index.ts';
import type { Disposable } from '../shared/index.ts';
import { eventRecorder } from './events.ts';
import { WorkQueue } from './queue.ts';

const isReady = (n: Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

interface Term {
  matchFields?: Array<{ key: string; operator: string; values?: string[] }>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** The hard rules only: nodeSelector, required node affinity, NoSchedule/NoExecute taints. */
function fits(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  if (Object.entries(pod.spec.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) return false;
  const terms = ((pod.spec.affinity as any)?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) as Term[];
  const holds = (r: { key: string; operator: string; values?: string[] }, value: string | undefined) =>
    r.operator === 'In' ? value !== undefined && (r.values ?? []).includes(value) : r.operator === 'NotIn' ? value === undefined || !(r.values ?? []).includes(value) : r.operator === 'Exists' ? value !== undefined : r.operator === 'DoesNotExist' ? value === undefined : false;
  if (terms.length && !terms.some((t) => (t.matchFields ?? []).every((r) => holds(r, r.key === 'metadata.name' ? node.metadata.name : undefined)) && (t.matchExpressions ?? []).every((r) => holds(r, labels[r.key])))) return false;
  // A cordoned node takes only pods that tolerate node.kubernetes.io/unschedulable (DaemonSet pods do).
  const taints = [...(node.spec?.taints ?? [])];
  if (node.spec?.unschedulable) taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
  return taints.every((taint) => taint.effect === 'PreferNoSchedule' || (pod.spec.tolerations ?? []).some((t) => tolerates(t, taint)));
}

export class RoundRobinBinder implements Disposable {
  readonly #api: ApiStore;
  readonly #queue: WorkQueue;
  readonly #watches: Disposable[] = [];
  #next = 0;

  constructor(api: ApiStore) {
    this.#api = api;
    const recorder = eventRecorder(api, 'default-scheduler');
    this.#queue = new WorkQueue(api.clock, (key) => {
      const [namespace, name] = key.split('/') as [string, string];
      const pod = api.tryGet('Pod', namespace, name) as Pod | undefined;
      if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp || pod.spec.schedulerName !== 'default-scheduler') return;
      const nodes = (api.list('Node').items as Node[]).filter((n) => isReady(n) && fits(pod, n));
      if (nodes.length === 0) {
        this.#queue.addAfter(key, 1000);
        return;
      }
      const node = nodes[this.#next++ % nodes.length]!;
      api.bind(namespace, name, node.metadata.name!);
      api.mutate<Pod>('Pod', namespace, name, (p) => {
        const conditions = (p.status ??= {}).conditions ?? [];
        p.status.conditions = [...conditions.filter((c) => c.type !== 'PodScheduled'), { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp(api.clock.now()) }];
      }, true);
      recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node.metadata.name}`);
    });
    this.#watches.push(
      api.watch('Pod', { fieldSelector: 'spec.nodeName=' }, (e) => {
        if (e.type !== 'DELETED') this.#queue.add(`${e.object.metadata.namespace}/${e.object.metadata.name}`);
      }),
    );
  }

  dispose(): void {
    this.#queue.dispose();
    for (const w of this.#watches) w.dispose();
  }
}
