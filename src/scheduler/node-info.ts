/**
 * What the scheduler knows of each node (framework.NodeInfo): its
 * allocatable resources, the pods on it with their requests summed once
 * (incrementally, as pods come and go), the host ports in use and the
 * images it holds. Pod requests are computed as resource.PodRequests does:
 * the containers' sum, or the largest init container if larger, plus the
 * pod's overhead; scoring uses the non-zero requests (100m CPU and 200Mi
 * memory for a container that asks for none).
 */
import { milliValue, value, type Container, type Node, type Pod } from '../api/index.ts';

export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended resources (example.com/gpu) and hugepages, by name. */
  scalar: Record<string, number>;
}

export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export const emptyResource = (): Resource => ({ milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: {} });

function add(to: Resource, r: Resource, sign = 1): void {
  to.milliCPU += sign * r.milliCPU;
  to.memory += sign * r.memory;
  to.ephemeralStorage += sign * r.ephemeralStorage;
  for (const [k, v] of Object.entries(r.scalar)) to.scalar[k] = (to.scalar[k] ?? 0) + sign * v;
}

function max(a: Resource, b: Resource): Resource {
  const out: Resource = { milliCPU: Math.max(a.milliCPU, b.milliCPU), memory: Math.max(a.memory, b.memory), ephemeralStorage: Math.max(a.ephemeralStorage, b.ephemeralStorage), scalar: { ...a.scalar } };
  for (const [k, v] of Object.entries(b.scalar)) out.scalar[k] = Math.max(out.scalar[k] ?? 0, v);
  return out;
}

/** A resource list (`requests`, `allocatable`) as numbers. */
export function resourceOf(list: Record<string, string> | undefined): Resource {
  const r = emptyResource();
  for (const [k, q] of Object.entries(list ?? {})) {
    if (k === 'cpu') r.milliCPU = milliValue(q);
    else if (k === 'memory') r.memory = value(q);
    else if (k === 'ephemeral-storage') r.ephemeralStorage = value(q);
    else if (k !== 'pods') r.scalar[k] = value(q);
  }
  return r;
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const r = resourceOf(c.resources?.requests);
  if (nonZero) {
    if (!c.resources?.requests?.cpu) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (!c.resources?.requests?.memory) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/** resource.PodRequests: containers and sidecars, the largest init container, the overhead. */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const sum = emptyResource();
  for (const c of pod.spec.containers ?? []) add(sum, containerRequests(c, nonZero));
  let sidecars = emptyResource();
  let initMax = emptyResource();
  for (const c of pod.spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      add(sidecars, r);
      initMax = max(initMax, sidecars);
    } else {
      const during = emptyResource();
      add(during, sidecars);
      add(during, r);
      initMax = max(initMax, during);
    }
  }
  add(sum, sidecars);
  const out = max(sum, initMax);
  add(out, resourceOf(pod.spec.overhead));
  return out;
}

export interface PodInfo {
  pod: Pod;
  requests: Resource;
  nonZero: Resource;
}

export const hostPortsOf = (pod: Pod) =>
  [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])].flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort).map((p) => ({ ip: '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort! })));

export class NodeInfo {
  node: Node;
  readonly pods = new Map<string, PodInfo>();
  readonly requested = emptyResource();
  readonly nonZeroRequested = emptyResource();
  allocatable: Resource;
  allowedPodNumber: number;
  /** `protocol/port` of host ports in use (the ip is 0.0.0.0 for every pod here). */
  readonly usedPorts = new Map<string, number>();
  /** Image names on the node, with their size. */
  images = new Map<string, number>();

  constructor(node: Node) {
    this.node = node;
    this.allocatable = resourceOf(node.status?.allocatable);
    this.allowedPodNumber = Number(node.status?.allocatable?.pods ?? 110);
    this.setNode(node);
  }

  get name(): string {
    return this.node.metadata.name!;
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = resourceOf(node.status?.allocatable);
    this.allowedPodNumber = Number(node.status?.allocatable?.pods ?? 110);
    this.images = new Map();
    for (const image of node.status?.images ?? []) for (const name of image.names) this.images.set(name, image.sizeBytes);
  }

  addPod(pod: Pod): void {
    const key = pod.metadata.uid!;
    if (this.pods.has(key)) this.removePod(pod);
    const info = { pod, requests: podRequests(pod), nonZero: podRequests(pod, true) };
    this.pods.set(key, info);
    add(this.requested, info.requests);
    add(this.nonZeroRequested, info.nonZero);
    for (const p of hostPortsOf(pod)) this.usedPorts.set(`${p.protocol}/${p.port}`, (this.usedPorts.get(`${p.protocol}/${p.port}`) ?? 0) + 1);
  }

  removePod(pod: Pod): void {
    const info = this.pods.get(pod.metadata.uid!);
    if (!info) return;
    this.pods.delete(pod.metadata.uid!);
    add(this.requested, info.requests, -1);
    add(this.nonZeroRequested, info.nonZero, -1);
    for (const p of hostPortsOf(info.pod)) {
      const k = `${p.protocol}/${p.port}`;
      const n = (this.usedPorts.get(k) ?? 1) - 1;
      if (n <= 0) this.usedPorts.delete(k);
      else this.usedPorts.set(k, n);
    }
  }
}
