/**
 * What the scheduler knows of each node (framework.NodeInfo): its labels,
 * taints and allocatable resources, the pods on it with their requests
 * summed incrementally as pods come and go, the host ports in use, the
 * images it holds, and which of its pods have pod (anti-)affinity terms,
 * so that InterPodAffinity looks only where such pods are.
 */
import type { Node, Pod, Taint } from '../api/index.ts';
import { hasAffinity, podInfo, type PodInfo } from './pod-info.ts';
import { addResource, emptyResource, resourceOf, type Resource } from './resources.ts';

export class NodeInfo {
  node!: Node;
  name!: string;
  labels!: Record<string, string>;
  taints!: Taint[];
  unschedulable!: boolean;
  allocatable!: Resource;
  allowedPodNumber!: number;
  /** Image names on the node, with their size. */
  images!: Map<string, number>;
  readonly pods = new Map<string, PodInfo>();
  readonly requested = emptyResource();
  readonly nonZeroRequested = emptyResource();
  /** `protocol/port` of host ports in use (the ip is 0.0.0.0 for every pod here), with how many pods use each. */
  readonly usedPorts = new Map<string, number>();
  /** Pods with any pod (anti-)affinity term, and those with a required anti-affinity term. */
  readonly podsWithAffinity = new Set<PodInfo>();
  readonly podsWithRequiredAntiAffinity = new Set<PodInfo>();

  constructor(node: Node) {
    this.setNode(node);
  }

  setNode(node: Node): void {
    this.node = node;
    this.name = node.metadata.name!;
    this.labels = node.metadata.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = !!node.spec?.unschedulable;
    this.allocatable = resourceOf(node.status?.allocatable);
    this.allowedPodNumber = Number(node.status?.allocatable?.pods ?? 110);
    this.images = new Map();
    for (const image of node.status?.images ?? []) for (const name of image.names) this.images.set(name, image.sizeBytes);
  }

  addPod(pod: Pod | PodInfo): void {
    const info = (pod as PodInfo).requests ? (pod as PodInfo) : podInfo(pod as Pod);
    if (this.pods.has(info.uid)) this.removePod(info.pod);
    this.pods.set(info.uid, info);
    addResource(this.requested, info.requests);
    addResource(this.nonZeroRequested, info.nonZero);
    for (const k of info.hostPorts) this.usedPorts.set(k, (this.usedPorts.get(k) ?? 0) + 1);
    if (hasAffinity(info)) this.podsWithAffinity.add(info);
    if (info.requiredAntiAffinity.length) this.podsWithRequiredAntiAffinity.add(info);
  }

  removePod(pod: Pod): void {
    const info = this.pods.get(pod.metadata.uid!);
    if (!info) return;
    this.pods.delete(info.uid);
    addResource(this.requested, info.requests, -1);
    addResource(this.nonZeroRequested, info.nonZero, -1);
    for (const k of info.hostPorts) {
      const n = (this.usedPorts.get(k) ?? 1) - 1;
      if (n <= 0) this.usedPorts.delete(k);
      else this.usedPorts.set(k, n);
    }
    this.podsWithAffinity.delete(info);
    this.podsWithRequiredAntiAffinity.delete(info);
  }

  /** A copy with the same pods, for what-if checks (preemption). */
  clone(): NodeInfo {
    const copy = new NodeInfo(this.node);
    for (const p of this.pods.values()) copy.addPod(p);
    return copy;
  }
}
