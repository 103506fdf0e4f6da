/**
 * A stand-in for the scheduler until podplay's kube-scheduler lands: it
 * binds each pending pod of `default-scheduler` to the next Ready,
 * schedulable node in turn, and writes what the scheduler writes (the
 * binding, the PodScheduled condition, the `Scheduled` event). It works
 * only through the API, so the real scheduler takes its place without
 * touching the controllers or the kubelets.
 */
import { timestamp, type ApiStore, type Node, type Pod } from '../api/index.ts';
import type { Disposable } from '../shared/index.ts';
import { eventRecorder } from './events.ts';
import { WorkQueue } from './queue.ts';

const isReady = (n: Node) => !n.spec?.unschedulable && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

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
      const nodes = (api.list('Node').items as Node[]).filter(isReady);
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
