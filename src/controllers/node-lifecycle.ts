/**
 * The node lifecycle controller and the taint-eviction controller
 * (pkg/controller/nodelifecycle, tainteviction): every 5 s it checks each
 * node's heartbeat. A node silent for longer than the grace period (50 s)
 * gets its conditions set to Unknown ("Kubelet stopped posting node
 * status."), the node.kubernetes.io/unreachable taints (NoSchedule,
 * NoExecute) and a NodeNotReady event; its pods are marked not Ready. Pods
 * that do not tolerate a NoExecute taint are deleted at once, pods that do
 * after their tolerationSeconds (TaintManagerEviction); their controllers
 * then create replacements elsewhere. A node that posts again loses the
 * taints. A cordoned node gets node.kubernetes.io/unschedulable.
 */
import { timestamp, tolerates, type ApiStore, type Node, type Pod, type Taint } from '../api/index.ts';
import type { Disposable } from '../shared/index.ts';
import { eventRecorder } from './events.ts';

export const MONITOR_PERIOD_S = 5;
export const NODE_MONITOR_GRACE_S = 50;

const UNREACHABLE = 'node.kubernetes.io/unreachable';
const NOT_READY = 'node.kubernetes.io/not-ready';
const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export class NodeLifecycleController implements Disposable {
  readonly #api: ApiStore;
  readonly #nodeEvents;
  readonly #evictions;
  #cancel?: () => void;
  /** Pods already marked for deletion by the eviction, so it is said once. */
  readonly #marked = new Set<string>();
  readonly #grace: number;

  constructor(api: ApiStore, options: { graceSeconds?: number } = {}) {
    this.#api = api;
    this.#nodeEvents = eventRecorder(api, 'node-controller');
    this.#evictions = eventRecorder(api, 'taint-eviction-controller');
    this.#grace = (options.graceSeconds ?? NODE_MONITOR_GRACE_S) * 1000;
    this.#tick();
  }

  #tick(): void {
    this.#cancel = this.#api.clock.setTimeout(() => {
      try {
        this.monitor();
      } finally {
        this.#tick();
      }
    }, MONITOR_PERIOD_S * 1000);
  }

  /** One pass over the nodes and their pods. */
  monitor(): void {
    const api = this.#api;
    const now = api.clock.now();
    for (const node of api.list<Node>('Node').items) {
      try {
        this.#check(node, now);
      } catch (err) {
        console.error(`node lifecycle: ${node.metadata.name}:`, err);
      }
    }
    this.#evict(now);
  }

  #check(node: Node, now: number): void {
    const api = this.#api;
    const name = node.metadata.name!;
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const heard = Date.parse(ready?.lastHeartbeatTime ?? node.metadata.creationTimestamp!);
    const silent = now - heard > this.#grace;
    if (silent && ready?.status !== 'Unknown') {
      api.mutate<Node>('Node', undefined, name, (n) => {
        const status = (n.status ??= {});
        // A node that never posted a status gets the Ready condition it would have had.
        if (!status.conditions?.length) {
          status.conditions = [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastTransitionTime: timestamp(now) }];
          return;
        }
        status.conditions = status.conditions.map((c) => ({
          ...c,
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
          lastTransitionTime: timestamp(now),
        }));
      }, true);
      this.#nodeEvents.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      this.#markPodsNotReady(name);
    }
    const status = silent ? 'Unknown' : ready?.status ?? 'Unknown';
    const want: Taint[] = [];
    if (status === 'Unknown') want.push({ key: UNREACHABLE, effect: 'NoSchedule' }, { key: UNREACHABLE, effect: 'NoExecute' });
    else if (status === 'False') want.push({ key: NOT_READY, effect: 'NoSchedule' }, { key: NOT_READY, effect: 'NoExecute' });
    if (node.spec?.unschedulable) want.push({ key: UNSCHEDULABLE, effect: 'NoSchedule' });
    this.#setTaints(node, want, now);
  }

  /** Puts the controller-owned taints a node should have, and only those (others' taints stay). */
  #setTaints(node: Node, want: Taint[], now: number): void {
    const owned = new Set([UNREACHABLE, NOT_READY, UNSCHEDULABLE]);
    const current = node.spec?.taints ?? [];
    const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
    const kept = current.filter((t) => !owned.has(t.key) || want.some((w) => same(w, t)));
    const added = want.filter((w) => !current.some((t) => same(t, w))).map((t) => ({ ...t, timeAdded: timestamp(now) }));
    if (added.length === 0 && kept.length === current.length) return;
    this.#api.mutate<Node>('Node', undefined, node.metadata.name!, (n) => {
      n.spec = { ...n.spec, taints: [...kept, ...added] };
      if (n.spec.taints!.length === 0) delete n.spec.taints;
    });
  }

  #markPodsNotReady(nodeName: string): void {
    const api = this.#api;
    for (const p of api.list<Pod>('Pod', { fieldSelector: `spec.nodeName=${nodeName}` }).items) {
      if (!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      api.mutate<Pod>('Pod', p.metadata.namespace, p.metadata.name!, (x) => {
        x.status!.conditions = x.status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: timestamp(api.clock.now()) } : c));
      }, true);
    }
  }

  /** Taint-based eviction: each pod on a node with NoExecute taints it does not tolerate (long enough) is deleted. */
  #evict(now: number): void {
    const api = this.#api;
    for (const node of api.list<Node>('Node').items) {
      const taints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
      if (taints.length === 0) continue;
      for (const p of api.list<Pod>('Pod', { fieldSelector: `spec.nodeName=${node.metadata.name}` }).items) {
        if (p.metadata.deletionTimestamp) continue;
        let evictAt = -Infinity;
        for (const taint of taints) {
          const t = (p.spec.tolerations ?? []).filter((x) => tolerates(x, taint));
          if (t.length === 0) {
            evictAt = Math.max(evictAt, now);
            continue;
          }
          const seconds = Math.min(...t.map((x) => x.tolerationSeconds ?? Infinity));
          if (seconds !== Infinity) evictAt = Math.max(evictAt, Date.parse(taint.timeAdded ?? timestamp(now)) + Math.max(0, seconds) * 1000);
        }
        if (evictAt === -Infinity || evictAt > now) continue;
        const key = p.metadata.uid!;
        if (!this.#marked.has(key)) {
          this.#marked.add(key);
          this.#evictions.event(p, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${p.metadata.namespace}/${p.metadata.name}`);
        }
        try {
          api.delete('Pod', p.metadata.namespace, p.metadata.name!);
        } catch (err) {
          if ((err as { reason?: string }).reason !== 'NotFound') throw err;
        }
      }
    }
  }

  dispose(): void {
    this.#cancel?.();
  }
}
