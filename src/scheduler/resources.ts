/**
 * Resources as the scheduler counts them (framework.Resource): milli-CPU,
 * bytes of memory and ephemeral storage, and extended resources by name.
 * A pod's requests are computed as resource.PodRequests does: the
 * containers' sum (sidecars included), or the largest init container if
 * larger, plus the pod's overhead. Scoring uses the non-zero requests:
 * 100m CPU and 200Mi memory for a container that asks for none.
 */
import { milliValue, value, type Container, type Pod } from '../api/index.ts';

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

/** Adds `r` to `to` (or takes it away, with sign -1). */
export function addResource(to: Resource, r: Resource, sign = 1): void {
  to.milliCPU += sign * r.milliCPU;
  to.memory += sign * r.memory;
  to.ephemeralStorage += sign * r.ephemeralStorage;
  for (const k in r.scalar) to.scalar[k] = (to.scalar[k] ?? 0) + sign * r.scalar[k]!;
}

function maxResource(a: Resource, b: Resource): Resource {
  const out: Resource = { milliCPU: Math.max(a.milliCPU, b.milliCPU), memory: Math.max(a.memory, b.memory), ephemeralStorage: Math.max(a.ephemeralStorage, b.ephemeralStorage), scalar: { ...a.scalar } };
  for (const k in b.scalar) out.scalar[k] = Math.max(out.scalar[k] ?? 0, b.scalar[k]!);
  return out;
}

/** A resource list (`requests`, `allocatable`) as numbers. */
export function resourceOf(list: Record<string, string> | undefined): Resource {
  const r = emptyResource();
  for (const k in list) {
    const q = list[k]!;
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
  for (const c of pod.spec.containers ?? []) addResource(sum, containerRequests(c, nonZero));
  const sidecars = emptyResource();
  let initMax = emptyResource();
  for (const c of pod.spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addResource(sidecars, r);
      initMax = maxResource(initMax, sidecars);
    } else {
      const during = emptyResource();
      addResource(during, sidecars);
      addResource(during, r);
      initMax = maxResource(initMax, during);
    }
  }
  addResource(sum, sidecars);
  const out = maxResource(sum, initMax);
  addResource(out, resourceOf(pod.spec.overhead));
  return out;
}
