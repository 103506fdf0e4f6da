/**
 * kube-scheduler for podplay's cluster: pending pods of `default-scheduler`
 * go through the queue; each scheduling cycle filters the nodes, scores the
 * feasible ones (each plugin's raw score normalized to 0–100 and weighted),
 * picks the best (a tie is broken at random), assumes the pod on it and
 * binds it. A pod that fits nowhere gets the FailedScheduling event and the
 * PodScheduled=False condition worded as kube-scheduler words them, and
 * DefaultPreemption may evict lower-priority pods for it. Every attempt's
 * working is written on the pod in kube-scheduler-simulator's annotations,
 * so the terminal and the cluster map can show why a pod landed where it did.
 */
import { timestamp, type ApiStore, type Node, type Pod } from '../api/index.ts';
import type { Disposable } from '../shared/index.ts';
import { filterNode, fitErrorMessage, preFilter } from './diagnosis.ts';
import { NodeInfo } from './node-info.ts';
import type { ScorePlugin } from './plugins/scores.ts';
import { preempt } from './preemption.ts';
import { buildProfiles, nodesToFind, type Profile, type SchedulerConfiguration } from './profile.ts';
import { SchedulingQueue, type QueuedPod } from './queue.ts';
import type { CycleState, Status } from './status.ts';

export const FILTER_RESULT = 'kube-scheduler-simulator.sigs.k8s.io/filter-result';
export const SCORE_RESULT = 'kube-scheduler-simulator.sigs.k8s.io/score-result';
export const FINAL_SCORE_RESULT = 'kube-scheduler-simulator.sigs.k8s.io/finalscore-result';
export const SELECTED_NODE = 'kube-scheduler-simulator.sigs.k8s.io/selected-node';

/** An events recorder, as the controllers have it (kept as an interface: the scheduler sees only the API). */
export interface SchedulerEvents {
  event(object: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface SchedulerOptions {
  /** Profiles and percentageOfNodesToScore (KubeSchedulerConfiguration); default: the default profile. */
  config?: SchedulerConfiguration;
  /** Tie-break among the best nodes (tests pass a fixed one). */
  random?: () => number;
  /** Write each decision on its pod (kube-scheduler-simulator's annotations); default true. */
  explain?: boolean;
}

/** What of a node scheduling depends on (not its heartbeat times). */
const schedulingView = (n: Node) =>
  JSON.stringify([n.metadata.labels, n.spec?.taints, n.spec?.unschedulable, n.status?.allocatable, n.status?.conditions?.map((c) => [c.type, c.status])]);

const isAssigned = (p: Pod) => !!p.spec.nodeName && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

export class Scheduler implements Disposable {
  readonly queue: SchedulingQueue;
  readonly #api: ApiStore;
  readonly #events: SchedulerEvents;
  readonly #profiles: Map<string, Profile>;
  readonly #percentage: number;
  readonly #random: () => number;
  readonly #explain: boolean;
  /** Where the next cycle starts looking, so that every node gets its turn (nextStartNodeIndex). */
  #nextStart = 0;
  readonly #nodes = new Map<string, NodeInfo>();
  /** Where each assigned (or assumed) pod sits, by uid. */
  readonly #placed = new Map<string, string>();
  readonly #watches: Disposable[] = [];
  #running = false;
  #disposed = false;
  #cancelFlush?: () => void;

  constructor(api: ApiStore, events: SchedulerEvents, options: SchedulerOptions = {}) {
    this.#api = api;
    this.#events = events;
    this.#profiles = new Map(buildProfiles(options.config).map((p) => [p.schedulerName, p]));
    this.#percentage = options.config?.percentageOfNodesToScore ?? 0;
    this.#random = options.random ?? Math.random;
    this.#explain = options.explain ?? true;
    this.queue = new SchedulingQueue(api.clock);
    this.queue.onActive = () => queueMicrotask(() => void this.#run());
    this.#watches.push(
      api.watch('Node', {}, (e) => {
        const node = e.object as Node;
        const name = node.metadata.name!;
        const before = this.#nodes.get(name);
        const changed = !before || e.type === 'DELETED' || schedulingView(before.node) !== schedulingView(node);
        if (e.type === 'DELETED') this.#nodes.delete(name);
        else if (before) before.setNode(node);
        else {
          // A node seen for the first time: the pods already bound to it count on it.
          const info = new NodeInfo(node);
          this.#nodes.set(name, info);
          for (const p of api.list<Pod>('Pod', { fieldSelector: `spec.nodeName=${name}` }).items) {
            if (!isAssigned(p) || p.metadata.deletionTimestamp) continue;
            info.addPod(p);
            this.#placed.set(p.metadata.uid!, name);
          }
        }
        // A heartbeat changes nothing a pod could fit by: only real changes move waiting pods.
        if (changed) this.queue.moveAllToActiveOrBackoff();
      }),
      api.watch('Pod', {}, (e) => this.#onPod(e.object as Pod, e.type === 'DELETED')),
    );
    this.#flush();
  }

  #flush(): void {
    this.#cancelFlush = this.#api.clock.setTimeout(() => {
      this.queue.flushUnschedulable();
      if (!this.#disposed) this.#flush();
    }, 30_000);
  }

  #onPod(pod: Pod, deleted: boolean): void {
    const uid = pod.metadata.uid!;
    const where = this.#placed.get(uid);
    const stays = !deleted && isAssigned(pod) && !pod.metadata.deletionTimestamp;
    if (where && (!stays || where !== pod.spec.nodeName)) {
      this.#nodes.get(where)?.removePod(pod);
      this.#placed.delete(uid);
      // Room freed: pods waiting for it may fit now.
      this.queue.moveAllToActiveOrBackoff();
    }
    const node = stays ? this.#nodes.get(pod.spec.nodeName!) : undefined;
    if (node) {
      node.addPod(pod);
      this.#placed.set(uid, node.name);
    }
    if (deleted || pod.spec.nodeName || pod.metadata.deletionTimestamp) this.queue.delete(uid);
    // Pods of a scheduler this one has no profile for are left to it.
    else if (this.#profiles.has(pod.spec.schedulerName ?? 'default-scheduler')) this.queue.add(pod);
  }

  async #run(): Promise<void> {
    if (this.#running || this.#disposed) return;
    this.#running = true;
    try {
      for (let qp = this.queue.pop(); qp && !this.#disposed; qp = this.queue.pop()) this.#scheduleOne(qp);
    } finally {
      this.#running = false;
    }
  }

  /** One scheduling cycle. */
  #scheduleOne(qp: QueuedPod): void {
    const pod = this.#api.tryGet('Pod', qp.pod.metadata.namespace, qp.pod.metadata.name!) as Pod | undefined;
    if (!pod || pod.metadata.uid !== qp.pod.metadata.uid || pod.spec.nodeName || pod.metadata.deletionTimestamp) return this.queue.delete(qp.pod.metadata.uid!);
    qp.pod = pod;
    const profile = this.#profiles.get(pod.spec.schedulerName ?? 'default-scheduler')!;
    const nodes = [...this.#nodes.values()];
    // Filter from where the last cycle stopped, until enough feasible nodes are found.
    const want = nodesToFind(nodes.length, this.#percentage);
    const verdicts = new Map<string, Status>();
    const feasible: NodeInfo[] = [];
    let processed = 0;
    const state = preFilter(pod, nodes, profile.filters);
    for (let i = 0; i < nodes.length && feasible.length < want; i++) {
      const node = nodes[(this.#nextStart + i) % nodes.length]!;
      const s = filterNode(pod, node, nodes, profile.filters, state);
      verdicts.set(node.name, s);
      if (s.isSuccess()) feasible.push(node);
      processed++;
    }
    if (nodes.length) this.#nextStart = (this.#nextStart + processed) % nodes.length;
    if (feasible.length === 0) return this.#unschedulable(qp, nodes, verdicts, profile);
    const { total, perPlugin } = this.#score(pod, feasible, nodes, profile.scores, state);
    const best = Math.max(...feasible.map((n) => total.get(n.name)!));
    const top = feasible.filter((n) => total.get(n.name) === best);
    const chosen = top[Math.min(top.length - 1, Math.floor(this.#random() * top.length))]!;
    this.#record(pod, verdicts, perPlugin, profile, chosen.name);
    this.#bind(qp, chosen.name);
  }

  #score(pod: Pod, feasible: NodeInfo[], all: NodeInfo[], scores: ScorePlugin[], state: CycleState) {
    const total = new Map(feasible.map((n) => [n.name, 0]));
    const perPlugin: Record<string, Record<string, { raw: number; normalized: number; weighted: number }>> = {};
    // PreScore, then Score and NormalizeScore per plugin, then the weights.
    for (const plugin of scores) plugin.preScore?.(pod, all, state);
    for (const plugin of scores) {
      const raw = feasible.map((n) => plugin.score(pod, n, all, state));
      const normalized = [...raw];
      plugin.normalize?.(normalized);
      feasible.forEach((n, i) => {
        const weighted = normalized[i]! * plugin.weight;
        total.set(n.name, total.get(n.name)! + weighted);
        (perPlugin[n.name] ??= {})[plugin.name] = { raw: raw[i]!, normalized: normalized[i]!, weighted };
      });
    }
    return { total, perPlugin };
  }

  /** kube-scheduler-simulator's annotations: each node's filter verdicts and scores, and the node chosen. */
  #record(pod: Pod, verdicts: Map<string, Status>, scores: Record<string, Record<string, { raw: number; normalized: number; weighted: number }>>, profile: Profile, chosen?: string): void {
    if (!this.#explain) return;
    const filter: Record<string, Record<string, string>> = {};
    for (const [node, s] of verdicts) {
      filter[node] = {};
      for (const f of profile.filters) {
        if (s.plugin === f.name) {
          filter[node]![f.name] = s.message();
          break;
        }
        filter[node]![f.name] = 'passed';
      }
    }
    const raw = Object.fromEntries(Object.entries(scores).map(([n, p]) => [n, Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v.raw)]))]));
    const final = Object.fromEntries(Object.entries(scores).map(([n, p]) => [n, Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v.weighted)]))]));
    try {
      this.#api.mutate<Pod>('Pod', pod.metadata.namespace, pod.metadata.name!, (p) => {
        p.metadata.annotations = {
          ...p.metadata.annotations,
          [FILTER_RESULT]: JSON.stringify(filter),
          [SCORE_RESULT]: JSON.stringify(raw),
          [FINAL_SCORE_RESULT]: JSON.stringify(final),
          [SELECTED_NODE]: chosen ?? '',
        };
      });
    } catch {
      // The pod went meanwhile: nothing to explain.
    }
  }

  #bind(qp: QueuedPod, nodeName: string): void {
    const pod = qp.pod;
    const { namespace, name } = pod.metadata;
    try {
      const bound = this.#api.bind(namespace, name!, nodeName) as Pod;
      // Assumed at once: the next cycle sees it before its watch event arrives.
      this.#nodes.get(nodeName)?.addPod(bound);
      this.#placed.set(pod.metadata.uid!, nodeName);
      this.#api.mutate<Pod>('Pod', namespace, name!, (p) => {
        const conditions = (p.status ??= {}).conditions ?? [];
        p.status.conditions = [...conditions.filter((c) => c.type !== 'PodScheduled'), { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp(this.#api.clock.now()) }];
        delete p.status.nominatedNodeName;
      }, true);
      this.queue.delete(pod.metadata.uid!);
      this.#events.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${nodeName}`);
    } catch (err) {
      if ((err as { reason?: string }).reason === 'NotFound') return this.queue.delete(pod.metadata.uid!);
      this.queue.failed(qp, false);
    }
  }

  #unschedulable(qp: QueuedPod, nodes: NodeInfo[], verdicts: Map<string, Status>, profile: Profile): void {
    const pod = qp.pod;
    const result = nodes.length ? preempt(pod, nodes, verdicts, profile.filters) : {};
    const message = fitErrorMessage(nodes.length, verdicts, result.message);
    if (result.candidate) {
      const { node, victims } = result.candidate;
      for (const v of victims) {
        try {
          this.#api.delete('Pod', v.metadata.namespace, v.metadata.name!);
          this.#events.event(v, 'Normal', 'Preempted', `Preempted by pod ${pod.metadata.uid} on node ${node}`);
        } catch {
          // Gone already.
        }
      }
      this.#api.mutate<Pod>('Pod', pod.metadata.namespace, pod.metadata.name!, (p) => ((p.status ??= {}).nominatedNodeName = node), true);
    }
    this.#record(pod, verdicts, {}, profile);
    try {
      this.#api.mutate<Pod>('Pod', pod.metadata.namespace, pod.metadata.name!, (p) => {
        const conditions = (p.status ??= {}).conditions ?? [];
        const before = conditions.find((c) => c.type === 'PodScheduled');
        const now = timestamp(this.#api.clock.now());
        p.status.conditions = [
          ...conditions.filter((c) => c.type !== 'PodScheduled'),
          { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: before?.status === 'False' ? before.lastTransitionTime ?? now : now },
        ];
      }, true);
    } catch {
      return this.queue.delete(pod.metadata.uid!);
    }
    this.#events.event(pod, 'Warning', 'FailedScheduling', message);
    this.queue.failed(qp, true);
  }

  dispose(): void {
    this.#disposed = true;
    this.#cancelFlush?.();
    for (const w of this.#watches) w.dispose();
  }
}
