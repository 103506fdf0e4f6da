/**
 * The admission steps that read other objects: a pod's priority from its
 * PriorityClass (the Priority plugin; a PriorityClass marked globalDefault
 * applies to pods that name none) and its service account's volume (see
 * service-account-admission.ts), and a Service's cluster IP from the
 * service range 10.96.0.0/12 (10.96.0.1 is the `kubernetes` Service's).
 */
import { apiErrors } from './errors.ts';
import type { KubeObject } from './meta.ts';
import type { ApiStore } from './store.ts';
import type { PodSpec } from './types.ts';
import { admitServiceAccount } from './service-account-admission.ts';

export function admitPod(pod: KubeObject, api: ApiStore): void {
  const spec = pod.spec as PodSpec | undefined;
  if (!spec || typeof spec !== 'object') return;
  let pc: KubeObject | undefined;
  if (spec.priorityClassName) {
    pc = api.tryGet('PriorityClass', undefined, spec.priorityClassName);
    if (!pc) throw apiErrors.forbidden('pods', pod.metadata.name ?? '', `no PriorityClass with name ${spec.priorityClassName} was found`);
  } else {
    pc = api.list('PriorityClass').items.find((c) => c.globalDefault === true);
    if (pc) spec.priorityClassName = pc.metadata.name;
  }
  if (pc) {
    spec.priority = Number(pc.value);
    spec.preemptionPolicy = String(pc.preemptionPolicy ?? 'PreemptLowerPriority');
  }
  admitServiceAccount(pod, api);
}

function ipOf(n: number): string {
  return `10.${96 + ((n >> 16) & 0x0f)}.${(n >> 8) & 0xff}.${n & 0xff}`;
}

export function admitService(svc: KubeObject, api: ApiStore): void {
  const spec = svc.spec as { type?: string; clusterIP?: string; clusterIPs?: string[] };
  if (!spec || spec.type === 'ExternalName' || spec.clusterIP === 'None') return;
  if (!spec.clusterIP) {
    const used = new Set(api.list('Service').items.map((s) => (s.spec as { clusterIP?: string }).clusterIP));
    let n = 2;
    while (used.has(ipOf(n))) n++;
    spec.clusterIP = ipOf(n);
  }
  spec.clusterIPs = [spec.clusterIP];
}
