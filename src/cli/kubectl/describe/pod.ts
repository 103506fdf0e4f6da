/**
 * `kubectl describe pod` (describe.go describePod): identity and placement,
 * status, containers, conditions, volumes, QoS class, node selector,
 * tolerations and events.
 */
import type { KubeObject, Pod } from '../../../api/index.ts';
import { humanDuration } from '../../duration.ts';
import { describeContainers, describeResources, describeTopologySpread, describeVolumes, podFieldResolver } from './containers.ts';
import { writeEvents } from './events.ts';
import { controllerOfText, printAnnotationsMultiline, printLabelsMultiline, printTolerationsMultiline, rfc1123z } from './format.ts';
import { cmpQuantity, parseQuantity, type Quantity } from './quantity.ts';
import { LEVEL_0, LEVEL_1, tabbed } from './writer.ts';

export function describePod(pod: Pod, events: KubeObject[] | undefined, now: number): string {
  return tabbed((w) => {
    const { metadata: meta, spec } = pod;
    const status = pod.status ?? {};
    const extra = status as { podIPs?: Array<{ ip: string }>; resize?: string };
    w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${meta.namespace ?? ''}\n`);
    if (spec.priority !== undefined && spec.priority !== null) w.write(LEVEL_0, `Priority:\t${spec.priority}\n`);
    if (spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`);
    const runtimeClass = (spec as { runtimeClassName?: string }).runtimeClassName;
    if (runtimeClass) w.write(LEVEL_0, `Runtime Class Name:\t${runtimeClass}\n`);
    if (spec.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`);
    w.write(LEVEL_0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
    if (status.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
      w.write(LEVEL_0, `Status:\tTerminating (lasts ${humanDuration(now - Date.parse(meta.deletionTimestamp))})\n`);
      w.write(LEVEL_0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? 0}s\n`);
    } else w.write(LEVEL_0, `Status:\t${status.phase ?? ''}\n`);
    if (status.reason) w.write(LEVEL_0, `Reason:\t${status.reason}\n`);
    if (status.message) w.write(LEVEL_0, `Message:\t${status.message}\n`);
    const seccomp = (spec.securityContext as { seccompProfile?: { type: string; localhostProfile?: string } } | undefined)?.seccompProfile;
    if (seccomp) {
      w.write(LEVEL_0, `SeccompProfile:\t${seccomp.type}\n`);
      if (seccomp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
    }
    w.write(LEVEL_0, `IP:\t${status.podIP ?? ''}\n`);
    // The API server fills podIPs from podIP (core/v1 conversion): a pod with an IP has both.
    const ips = extra.podIPs?.length ? extra.podIPs.map((p) => p.ip) : status.podIP ? [status.podIP] : [];
    if (ips.length === 0) w.write(LEVEL_0, 'IPs:\t<none>\n');
    else {
      w.write(LEVEL_0, 'IPs:\n');
      for (const ip of ips) w.write(LEVEL_1, `IP:\t${ip}\n`);
    }
    const controlledBy = controllerOfText(meta);
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
    if (status.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
    const podResources = (spec as { resources?: { limits?: Record<string, string>; requests?: Record<string, string> } }).resources;
    if (podResources) {
      w.write(LEVEL_0, 'Resources:\n');
      describeResources(w, podResources, LEVEL_1);
    }
    const resolver = podFieldResolver(pod);
    if (spec.initContainers?.length) describeContainers(w, 'Init Containers', spec.initContainers, status.initContainerStatuses, resolver, '');
    describeContainers(w, 'Containers', spec.containers ?? [], status.containerStatuses, resolver, '');
    const gates = (spec as { readinessGates?: Array<{ conditionType: string }> }).readinessGates;
    if (gates?.length) {
      w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n');
      for (const g of gates) {
        const c = (status.conditions ?? []).find((x) => x.type === g.conditionType);
        w.write(LEVEL_1, `${g.conditionType} \t${c ? c.status : '<none>'} \n`);
      }
    }
    if (status.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
      for (const c of status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status} \n`);
    }
    describeVolumes(w, spec.volumes, '');
    w.write(LEVEL_0, `QoS Class:\t${status.qosClass || computeQOS(pod)}\n`);
    printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
    printTolerationsMultiline(w, 'Tolerations', spec.tolerations);
    describeTopologySpread(w, spec.topologySpreadConstraints, '');
    if (events) writeEvents(w, events, now);
  });
}

/** kubectl's qos.ComputePodQOS (used when the status has no qosClass): only cpu and memory count. */
export function computeQOS(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const positive = (list: Record<string, string> | undefined) =>
    Object.entries(list ?? {})
      .filter(([k]) => k === 'cpu' || k === 'memory')
      .map(([k, v]) => [k, parseQuantity(v)] as const)
      .filter((e): e is readonly [string, Quantity] => e[1] !== undefined && e[1].nano > 0n);
  const add = (into: Map<string, Quantity>, list: Record<string, string> | undefined) => {
    for (const [k, q] of positive(list)) into.set(k, { nano: (into.get(k)?.nano ?? 0n) + q.nano, format: q.format });
  };
  for (const c of [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])]) {
    add(requests, c.resources?.requests);
    add(limits, c.resources?.limits);
    const found = new Set(positive(c.resources?.limits).map(([k]) => k));
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [k, req] of requests) {
      const lim = limits.get(k);
      if (!lim || cmpQuantity(lim, req) !== 0) guaranteed = false;
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
