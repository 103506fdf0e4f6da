/**
 * kube-scheduler for podplay's cluster: pending pods of a profile's
 * schedulerName go through the queue; each scheduling cycle runs the
 * profile's plugins (algorithm.ts), assumes the pod on the chosen node,
 * runs Reserve and Permit, and the binding cycle runs PreBind, Bind and
 * PostBind (at once, or once a Permit Wait is allowed). A pod that fits
 * nowhere gets the FailedScheduling event and the PodScheduled=False
 * condition worded as kube-scheduler words them, and PostFilter
 * (DefaultPreemption) may evict lower-priority pods for it. Each attempt's
 * working is written on the pod (explain.ts).
 */
import { timestamp, type ApiStore, type Node, type Pod } from '../api/index.ts';
import type { Disposable } from '../shared/index.ts';
import { decide, type Decision } from './algorithm.ts';
import { SchedulerCache } from './cache.ts';
import { fitErrorMessage } from './diagnosis.ts';
import { explanationAnnotations, type CycleRecord } from './explain.ts';
import type { Handle, Profile, Registry, SchedulerEvents, WaitingPod } from './framework.ts';
import { podInfo, type PodInfo } from './pod-info.ts';
import { BINDING_ANNOTATIONS } from './plugins/default-binder.ts';
import { inTreeRegistry } from './plugins/registry.ts';
import { buildProfiles, type SchedulerConfiguration } from './profile.ts';
import { SchedulingQueue, type QueuedPod } from './queue.ts';
import { runBind, runFilters, runPermit, runPostBind, runPreBind, runPreFilter, runReserve, runUnreserve } from './runtime.ts';
import type { Snapshot } from './snapshot.ts';
import { Status, type CycleState } from './status.ts';
import { PodWaiter } from './waiting-pods.ts';

export interface SchedulerOptions {
  /** Profiles and percentageOfNodesToScore (KubeSchedulerConfiguration); default: the default profile. */
  config?: SchedulerConfiguration;
  /** Out-of-tree plugins by name, next to the in-tree ones. */
  registry?: Registry;
  /** Tie-break among the best nodes (tests pass a fixed one). */
  random?: () => number;
  /** Write each decision on its pod (kube-scheduler-simulator's annotations); default true. */
  explain?: boolean;
}

const NONE = () => undefined;
const isAssigned = (p: Pod) => !!p.spec.nodeName && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
/** How long one run of the loop may hold the thread before it lets others run. */
const SLICE_MS = 20;

export class Scheduler implements Disposable {
  readonly queue: SchedulingQueue;
  readonly cache = new SchedulerCache();
  readonly profiles: Map<string, Profile>;
  readonly #api: ApiStore;
  readonly #events: SchedulerEvents;
  readonly #percentage: number;
  readonly #random: () => number;
  readonly #explain: boolean;
  readonly #waiter: PodWaiter;
  /** Pods nominated to a node, by node name. */
  readonly #nominated = new Map<string, Map<string, PodInfo>>();
  readonly #nominatedTo = new Map<string, string>();
  /** Where the next cycle starts looking, so that every node gets its turn (nextStartNodeIndex). */
  #nextStart = 0;
  readonly #watches: Disposable[] = [];
  #running = false;
  #disposed = false;
  #cancelFlush?: () => void;

  constructor(api: ApiStore, events: SchedulerEvents, options: SchedulerOptions = {}) {
    this.#api = api;
    this.#events = events;
    this.#percentage = options.config?.percentageOfNodesToScore ?? 0;
    this.#random = options.random ?? Math.random;
    this.#explain = options.explain ?? true;
    this.#waiter = new PodWaiter(api.clock);
    // Out-of-tree plugins next to the in-tree ones (an out-of-tree name wins).
    const registry: Registry = new Map([...inTreeRegistry(), ...(options.registry ?? [])]);
    const handle: Handle = {
      api,
      events,
      snapshot: () => this.cache,
      runFilters: (pod, node, snapshot) => this.#runFilters(pod, node, snapshot),
      getWaitingPod: (uid) => this.#waiter.get(uid),
      iterateOverWaitingPods: (visit) => this.#waiter.forEach(visit),
    };
    const profiles = buildProfiles(options.config ?? {}, handle, registry);
    this.profiles = new Map(profiles.map((p) => [p.schedulerName, p]));
    const first = profiles[0]!;
    this.queue = new SchedulingQueue(api.clock, {
      less: (a, b) => first.queueSort.less!(a, b),
      admit: (pod) => (this.#profileOf(pod)?.preEnqueue ?? []).every((p) => p.preEnqueue!(pod).isSuccess()),
    });
    this.queue.onActive = () => queueMicrotask(() => void this.#run());
    this.#watches.push(
      api.watch('Node', {}, (e) => {
        const node = e.object as Node;
        if (e.type === 'DELETED') this.cache.removeNode(node.metadata.name!);
        else if (!this.cache.setNode(node, () => api.list<Pod>('Pod', { fieldSelector: `spec.nodeName=${node.metadata.name}` }).items.filter(isAssigned))) return;
        // A heartbeat changes nothing a pod could fit by: only real changes move waiting pods.
        this.queue.moveAllToActiveOrBackoff();
      }),
      api.watch('Pod', {}, (e) => this.#onPod(e.object as Pod, e.type === 'DELETED')),
    );
    this.#flush();
  }

  #profileOf(pod: Pod): Profile | undefined {
    return this.profiles.get(pod.spec.schedulerName ?? 'default-scheduler');
  }

  #flush(): void {
    this.#cancelFlush = this.#api.clock.setTimeout(() => {
      this.queue.flushUnschedulable();
      if (!this.#disposed) this.#flush();
    }, 30_000);
  }

  /** Each bound pod's labels as last seen, to tell a label change from a status update. */
  readonly #boundLabels = new Map<string, string>();

  #onPod(pod: Pod, deleted: boolean): void {
    const uid = pod.metadata.uid!;
    this.#nominate(pod, deleted);
    if (!deleted && isAssigned(pod)) {
      // Bound (or changed while bound): counted on its node, terminating or not, until it is gone.
      this.cache.finishBinding(uid);
      this.cache.addPod(pod);
      this.queue.delete(uid);
      // AssignedPodAdd and AssignedPodUpdate with new labels: pod affinity and topology spread
      // may let a waiting pod in now (InterPodAffinity's and PodTopologySpread's queueing hints).
      const labels = labelKey(pod);
      if (this.#boundLabels.get(uid) !== labels) {
        this.#boundLabels.set(uid, labels);
        this.queue.moveAllToActiveOrBackoff();
      }
      return;
    }
    if (deleted) this.#boundLabels.delete(uid);
    // A pending pod's own updates leave the room it is assumed to take (waiting at Permit) alone.
    if ((deleted || !this.cache.isAssumed(uid)) && this.cache.removePod(pod)) this.queue.moveAllToActiveOrBackoff();
    if (deleted || pod.spec.nodeName || pod.metadata.deletionTimestamp) {
      this.queue.delete(uid);
      this.#waiter.get(uid)?.reject('', 'pod deleted');
    }
    // Pods of a scheduler this one has no profile for are left to it.
    else if (this.#profileOf(pod)) this.queue.add(pod);
  }

  /** Keeps the nominator in step with pending pods' status.nominatedNodeName. */
  #nominate(pod: Pod, deleted: boolean): void {
    const uid = pod.metadata.uid!;
    const want = !deleted && !pod.spec.nodeName ? pod.status?.nominatedNodeName : undefined;
    const had = this.#nominatedTo.get(uid);
    if (had && had !== want) {
      const m = this.#nominated.get(had);
      m?.delete(uid);
      if (m?.size === 0) this.#nominated.delete(had);
      this.#nominatedTo.delete(uid);
    }
    if (want) {
      let m = this.#nominated.get(want);
      if (!m) this.#nominated.set(want, (m = new Map()));
      m.set(uid, podInfo(pod));
      this.#nominatedTo.set(uid, want);
    }
  }

  #runFilters(pod: PodInfo, node: Parameters<Handle['runFilters']>[1], snapshot: Snapshot): Status {
    const profile = this.#profileOf(pod.pod) ?? this.profiles.values().next().value!;
    const pre = runPreFilter(profile, pod, snapshot);
    return pre.status.isSuccess() ? runFilters(pre.state, pod, node, pre.filters) : pre.status;
  }

  async #run(): Promise<void> {
    if (this.#running || this.#disposed) return;
    this.#running = true;
    try {
      const start = performance.now();
      for (let qp = this.queue.pop(); qp && !this.#disposed; qp = this.queue.pop()) {
        this.#scheduleOne(qp);
        if (performance.now() - start > SLICE_MS) {
          // Let the page (and the cluster's other parts) run, then go on.
          setTimeout(() => void this.#run(), 0);
          break;
        }
      }
    } finally {
      this.#running = false;
    }
  }

  /** One scheduling cycle, and its binding cycle. */
  #scheduleOne(qp: QueuedPod): void {
    const pod = this.#api.tryGet('Pod', qp.pod.metadata.namespace, qp.pod.metadata.name!) as Pod | undefined;
    if (!pod || pod.metadata.uid !== qp.pod.metadata.uid || pod.spec.nodeName || pod.metadata.deletionTimestamp) return this.queue.delete(qp.pod.metadata.uid!);
    qp.pod = pod;
    const profile = this.#profileOf(pod)!;
    const info = podInfo(pod);
    const snapshot = this.cache;
    const n = snapshot.nodes.length;
    const decision = decide(profile, info, snapshot, {
      start: this.#nextStart,
      percentageOfNodesToScore: this.#percentage,
      random: this.#random,
      nominated: this.#nominated.size ? (name) => this.#nominated.get(name)?.values() : NONE,
      keepFiltered: this.#explain,
    });
    if (n) this.#nextStart = (this.#nextStart + decision.processed) % n;
    const record: CycleRecord | undefined = this.#explain ? this.#record(decision) : undefined;
    if (!decision.chosen) return this.#unschedulable(qp, profile, info, decision, record);
    const node = decision.chosen.name;
    const state = decision.pre.state;
    // Assume: counted on the node now, so the next cycle sees it before the binding is written.
    this.cache.assume(pod, node);
    const reserved = runReserve(profile, state, info, node);
    if (!reserved.isSuccess()) return this.#bindingFailed(qp, profile, state, info, node, reserved, false);
    const permit = runPermit(profile, state, info, node);
    if (permit.status.isRejected() || permit.status.code === 'Error') return this.#bindingFailed(qp, profile, state, info, node, permit.status, true);
    if (record) {
      record.selected = node;
      state.write(BINDING_ANNOTATIONS, explanationAnnotations(record));
    }
    if (permit.status.code !== 'Wait') return this.#bind(qp, profile, state, info, node);
    void this.#waiter.wait(info.pod, node, permit.waits).then((s) => {
      if (this.#disposed) return;
      if (s.isSuccess()) this.#bind(qp, profile, state, info, node);
      else this.#bindingFailed(qp, profile, state, info, node, s, true);
    });
  }

  #record(d: Decision): CycleRecord {
    return {
      preFilter: d.pre.results,
      filtered: { nodes: d.filtered, filters: d.pre.filters, rejected: d.rejected },
      ...(d.score ? { score: { nodes: d.feasible, outcome: d.score } } : {}),
    };
  }

  /** The binding cycle: PreBind, Bind, PostBind. */
  #bind(qp: QueuedPod, profile: Profile, state: CycleState, info: PodInfo, node: string): void {
    const pre = runPreBind(profile, state, info, node);
    if (!pre.isSuccess()) return this.#bindingFailed(qp, profile, state, info, node, pre, false);
    const bound = runBind(profile, state, info, node);
    if (!bound.isSuccess()) return this.#bindingFailed(qp, profile, state, info, node, bound, false);
    this.cache.finishBinding(info.uid);
    this.queue.delete(info.uid);
    const { namespace, name } = info.pod.metadata;
    this.#events.event(info.pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`);
    runPostBind(profile, state, info, node);
  }

  /** A failure after the pod was assumed: Unreserve, forget it, and try again later. */
  #bindingFailed(qp: QueuedPod, profile: Profile, state: CycleState, info: PodInfo, node: string, status: Status, unschedulable: boolean): void {
    runUnreserve(profile, state, info, node);
    this.cache.forget(info.pod);
    const current = this.#api.tryGet('Pod', info.pod.metadata.namespace, info.pod.metadata.name!);
    if (!current || current.metadata.uid !== info.uid) return this.queue.delete(info.uid);
    const message = status.message() || status.code;
    this.#events.event(info.pod, 'Warning', 'FailedScheduling', message);
    this.#setUnschedulable(info.pod, message, undefined);
    this.queue.failed(qp, unschedulable);
    // Room the pod held is free again.
    this.queue.moveAllToActiveOrBackoff();
  }

  #unschedulable(qp: QueuedPod, profile: Profile, info: PodInfo, decision: Decision, record: CycleRecord | undefined): void {
    const n = this.cache.nodes.length;
    let preemption: string | undefined;
    let nominated: string | undefined;
    if (n && decision.pre.status.code !== 'Error') {
      for (const plugin of profile.postFilter) {
        const r = plugin.postFilter!(decision.pre.state, info, this.cache, decision.rejected);
        if (r.nominatedNodeName) {
          nominated = r.nominatedNodeName;
          record && (record.postFilter = { plugin: plugin.name, nominated, message: '' });
          break;
        }
        preemption = r.status.message() || undefined;
        if (r.status.code === 'UnschedulableAndUnresolvable' || r.status.code === 'Error') break;
      }
    }
    const message = fitErrorMessage(n, decision.rejected, nominated ? undefined : preemption);
    if (record) {
      try {
        const annotations = explanationAnnotations(record);
        this.#api.mutate<Pod>('Pod', info.pod.metadata.namespace, info.pod.metadata.name!, (p) => void (p.metadata.annotations = { ...p.metadata.annotations, ...annotations }));
      } catch {
        return this.queue.delete(info.uid);
      }
    }
    if (!this.#setUnschedulable(info.pod, message, nominated)) return this.queue.delete(info.uid);
    this.#events.event(info.pod, 'Warning', 'FailedScheduling', message);
    this.queue.failed(qp, true);
  }

  /** PodScheduled=False, reason Unschedulable, with the message (and the nominated node); false when the pod is gone. */
  #setUnschedulable(pod: Pod, message: string, nominated: string | undefined): boolean {
    try {
      this.#api.mutate<Pod>('Pod', pod.metadata.namespace, pod.metadata.name!, (p) => {
        const conditions = (p.status ??= {}).conditions ?? [];
        const before = conditions.find((c) => c.type === 'PodScheduled');
        const now = timestamp(this.#api.clock.now());
        const same = before?.status === 'False' && before.message === message;
        p.status.conditions = [
          ...conditions.filter((c) => c.type !== 'PodScheduled'),
          same ? before : { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: before?.status === 'False' ? before.lastTransitionTime ?? now : now },
        ];
        if (nominated) p.status.nominatedNodeName = nominated;
      }, true);
      return true;
    } catch {
      return false;
    }
  }

  /** Pods Permit holds (for tests and plugins). */
  waitingPods(): WaitingPod[] {
    const out: WaitingPod[] = [];
    this.#waiter.forEach((w) => out.push(w));
    return out;
  }

  dispose(): void {
    this.#disposed = true;
    this.#cancelFlush?.();
    this.#waiter.dispose();
    for (const w of this.#watches) w.dispose();
  }
}

/** A pod's labels as one comparable string. */
function labelKey(pod: Pod): string {
  return JSON.stringify(Object.entries(pod.metadata.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
