/**
 * The scheduler's cache (pkg/scheduler/backend/cache): a NodeInfo per node,
 * kept from the API's watches, with every pod bound to it counted, and pods
 * the scheduler has assumed on a node before their binding is written, so
 * that the next cycle already sees them. It is itself the Snapshot a cycle
 * reads: the node list and the lists of nodes with affinity pods are
 * rebuilt only when they change.
 */
import type { Node, Pod } from '../api/index.ts';
import { NodeInfo } from './node-info.ts';
import { podInfo } from './pod-info.ts';
import { countImages, type Snapshot } from './snapshot.ts';

/** What of a node scheduling depends on (not its heartbeat times). */
const schedulingView = (n: Node) =>
  JSON.stringify([n.metadata.labels, n.spec?.taints, n.spec?.unschedulable, n.status?.allocatable, n.status?.conditions?.map((c) => [c.type, c.status]), n.status?.images]);

/** Which of the affinity node lists a node belongs in. */
const membership = (n: NodeInfo) => (n.podsWithAffinity.size > 0 ? 1 : 0) + (n.podsWithRequiredAntiAffinity.size > 0 ? 2 : 0);

export class SchedulerCache implements Snapshot {
  readonly #nodes = new Map<string, NodeInfo>();
  /** Where each counted (bound or assumed) pod sits, by uid. */
  readonly #placed = new Map<string, string>();
  readonly #assumed = new Set<string>();
  #list: NodeInfo[] | undefined;
  #images: Map<string, number> | undefined;
  #withAffinity: NodeInfo[] | undefined;
  #withRequiredAnti: NodeInfo[] | undefined;

  get nodes(): readonly NodeInfo[] {
    return (this.#list ??= [...this.#nodes.values()]);
  }

  get(name: string): NodeInfo | undefined {
    return this.#nodes.get(name);
  }

  imageNumNodes(name: string): number {
    return (this.#images ??= countImages(this.#nodes.values())).get(name) ?? 0;
  }

  get havePodsWithAffinity(): readonly NodeInfo[] {
    return (this.#withAffinity ??= this.nodes.filter((n) => n.podsWithAffinity.size > 0));
  }

  get havePodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    return (this.#withRequiredAnti ??= this.nodes.filter((n) => n.podsWithRequiredAntiAffinity.size > 0));
  }

  /** A node added or changed; true when what scheduling depends on changed (not a heartbeat). */
  setNode(node: Node, pods: () => Pod[]): boolean {
    const before = this.#nodes.get(node.metadata.name!);
    if (before) {
      const changed = schedulingView(before.node) !== schedulingView(node);
      before.setNode(node);
      if (changed) this.#images = undefined;
      return changed;
    }
    const info = new NodeInfo(node);
    this.#nodes.set(info.name, info);
    this.#list = undefined;
    this.#images = undefined;
    // A node seen for the first time: the pods already bound to it count on it.
    for (const p of pods()) this.addPod(p);
    this.#affinityChanged();
    return true;
  }

  removeNode(name: string): void {
    if (!this.#nodes.delete(name)) return;
    this.#images = undefined;
    for (const [uid, where] of this.#placed) if (where === name) this.#placed.delete(uid);
    this.#list = undefined;
    this.#affinityChanged();
  }

  #affinityChanged(): void {
    this.#withAffinity = undefined;
    this.#withRequiredAnti = undefined;
  }

  /** Counts a pod on its node (bound, or assumed by the scheduler); gives false when its node is unknown. */
  addPod(pod: Pod, nodeName = pod.spec.nodeName!): boolean {
    const node = this.#nodes.get(nodeName);
    if (!node) return false;
    const info = podInfo(pod);
    const before = this.#placed.get(info.uid);
    if (before && before !== nodeName) this.removePod(pod);
    const was = membership(node);
    node.addPod(info);
    this.#placed.set(info.uid, nodeName);
    if (membership(node) !== was) this.#affinityChanged();
    return true;
  }

  /** Stops counting a pod; gives whether it was counted. */
  removePod(pod: Pod): boolean {
    const uid = pod.metadata.uid!;
    const where = this.#placed.get(uid);
    if (!where) return false;
    this.#placed.delete(uid);
    this.#assumed.delete(uid);
    const node = this.#nodes.get(where);
    if (!node) return true;
    const before = membership(node);
    node.removePod(pod);
    if (membership(node) !== before) this.#affinityChanged();
    return true;
  }

  /** AssumePod: counted on the chosen node before the binding is written. */
  assume(pod: Pod, nodeName: string): void {
    this.addPod(pod, nodeName);
    this.#assumed.add(pod.metadata.uid!);
  }

  /** The binding was written: the watch's bound pod replaces the assumed one. */
  finishBinding(uid: string): void {
    this.#assumed.delete(uid);
  }

  /** ForgetPod: a binding that failed or was undone. */
  forget(pod: Pod): void {
    if (this.#assumed.has(pod.metadata.uid!)) this.removePod(pod);
  }

  isAssumed(uid: string): boolean {
    return this.#assumed.has(uid);
  }
}
