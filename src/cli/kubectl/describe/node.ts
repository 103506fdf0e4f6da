/**
 * `kubectl describe node` (describe.go describeNode, describeNodeResource):
 * roles, labels, taints, the kubelet's lease, conditions, addresses,
 * capacity, system info, the node's non-terminated pods with their share of
 * its allocatable CPU and memory, the allocated totals, and events.
 */
import type { ApiStore, KubeObject, Node, Pod } from '../../../api/index.ts';
import { age } from '../../duration.ts';
import { writeEvents } from './events.ts';
import { printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline, rfc1123z } from './format.ts';
import { addResources, formatQuantity, maxResources, milliValue, resourcesOf, wholeValue, ZERO, type Quantity, type Resources } from './quantity.ts';
import { LEVEL_0, LEVEL_1, tabbed, type PrefixWriter } from './writer.ts';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** findNodeRoles: from `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role=<role>`. */
function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

/** resourcehelper.PodRequestsAndLimits: containers summed, init containers as a floor (sidecars add), overhead on top. */
export function podRequestsAndLimits(pod: Pod): { requests: Resources; limits: Resources } {
  const sum = (part: 'requests' | 'limits') => {
    const total: Resources = new Map();
    for (const c of pod.spec.containers ?? []) addResources(total, resourcesOf(c.resources?.[part]));
    const sidecars: Resources = new Map();
    const init: Resources = new Map();
    for (const c of pod.spec.initContainers ?? []) {
      const own = resourcesOf(c.resources?.[part]);
      if (c.restartPolicy === 'Always') {
        addResources(total, own);
        addResources(sidecars, own);
        maxResources(init, sidecars);
      } else {
        const tmp: Resources = new Map();
        addResources(tmp, own);
        addResources(tmp, sidecars);
        maxResources(init, tmp);
      }
    }
    maxResources(total, init);
    const overhead = resourcesOf(pod.spec.overhead);
    if (part === 'requests') addResources(total, overhead);
    else for (const [k, q] of overhead) if (total.has(k) && total.get(k)!.nano !== 0n) addResources(total, new Map([[k, q]]));
    return total;
  };
  return { requests: sum('requests'), limits: sum('limits') };
}

/** int64(float64(part) / float64(whole) * 100), as kubectl computes the percentages. */
const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.trunc((part / whole) * 100));
const get = (list: Resources, name: string): Quantity => list.get(name) ?? ZERO;

/** A pod's requests as the scheduler counts them: millicores of CPU and bytes of memory. */
export function podRequestTotals(pod: Pod): { cpuMilli: number; memoryBytes: number } {
  const { requests } = podRequestsAndLimits(pod);
  return { cpuMilli: milliValue(get(requests, 'cpu')), memoryBytes: wholeValue(get(requests, 'memory')) };
}

function describeNodeResource(w: PrefixWriter, pods: Pod[], node: Node, now: number): void {
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const status = node.status ?? {};
  const allocatable = resourcesOf(Object.keys(status.allocatable ?? {}).length ? status.allocatable : status.capacity);
  const cpu = milliValue(get(allocatable, 'cpu'));
  const memory = wholeValue(get(allocatable, 'memory'));
  const storage = wholeValue(get(allocatable, 'ephemeral-storage'));
  const totalRequests: Resources = new Map();
  const totalLimits: Resources = new Map();
  for (const pod of pods) {
    const { requests, limits } = podRequestsAndLimits(pod);
    addResources(totalRequests, requests);
    addResources(totalLimits, limits);
    const cpuCell = (q: Quantity) => `${formatQuantity(q)} (${percent(milliValue(q), cpu)}%)`;
    const memCell = (q: Quantity) => `${formatQuantity(q)} (${percent(wholeValue(q), memory)}%)`;
    w.write(
      LEVEL_1,
      `${pod.metadata.namespace ?? ''}\t${pod.metadata.name ?? ''}\t\t${cpuCell(get(requests, 'cpu'))}\t${cpuCell(get(limits, 'cpu'))}\t${memCell(get(requests, 'memory'))}\t${memCell(get(limits, 'memory'))}\t${age(pod.metadata.creationTimestamp, now)}\n`,
    );
  }
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  const row = (name: string, whole: number, value: (q: Quantity) => number) => {
    const r = get(totalRequests, name);
    const l = get(totalLimits, name);
    w.write(LEVEL_1, `${name}\t${formatQuantity(r)} (${percent(value(r), whole)}%)\t${formatQuantity(l)} (${percent(value(l), whole)}%)\n`);
  };
  row('cpu', cpu, milliValue);
  row('memory', memory, wholeValue);
  row('ephemeral-storage', storage, wholeValue);
  const names = [...allocatable.keys()].sort();
  for (const name of names.filter((n) => n.startsWith('hugepages-'))) row(name, wholeValue(get(allocatable, name)), wholeValue);
  for (const name of names.filter((n) => !['cpu', 'memory', 'ephemeral-storage', 'pods'].includes(n) && !n.startsWith('hugepages-'))) {
    w.write(LEVEL_1, `${name}\t${formatQuantity(get(totalRequests, name))}\t${formatQuantity(get(totalLimits, name))}\n`);
  }
}

/**
 * The node's Lease (kube-node-lease), which podplay does not keep as an
 * object: its kubelet renews the Ready condition's heartbeat every 10 s, as
 * a real kubelet renews its lease, so that heartbeat stands for RenewTime.
 */
function describeLease(w: PrefixWriter, node: Node): void {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready?.lastHeartbeatTime) {
    w.write(LEVEL_0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${node.metadata.name}" not found\n`);
    return;
  }
  w.write(LEVEL_0, 'Lease:\n');
  w.write(LEVEL_1, `HolderIdentity:\t${node.metadata.name}\n`);
  w.write(LEVEL_1, 'AcquireTime:\t<unset>\n');
  w.write(LEVEL_1, `RenewTime:\t${rfc1123z(ready.lastHeartbeatTime)}\n`);
}

/** The pods kubectl lists for a node: bound to it and neither Succeeded nor Failed, in every namespace. */
export function nodePods(api: ApiStore, node: Node): Pod[] {
  return api
    .list<Pod>('Pod', { fieldSelector: `spec.nodeName=${node.metadata.name}` })
    .items.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
}

export function describeNode(api: ApiStore, node: Node, events: KubeObject[] | undefined, now: number): string {
  const status = node.status ?? {};
  const spec = (node.spec ?? {}) as Node['spec'] & { podCIDRs?: string[]; providerID?: string };
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${node.metadata.name ?? ''}\n`);
    const roles = nodeRoles(node);
    w.write(LEVEL_0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
    printLabelsMultiline(w, 'Labels', node.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', node.metadata.annotations);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp)}\n`);
    printTaintsMultiline(w, 'Taints', spec.taints);
    w.write(LEVEL_0, `Unschedulable:\t${spec.unschedulable === true}\n`);
    describeLease(w, node);
    if (status.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of status.conditions) {
        w.write(LEVEL_1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
      }
    }
    w.write(LEVEL_0, 'Addresses:\n');
    for (const a of status.addresses ?? []) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);
    for (const [title, list] of [['Capacity', status.capacity], ['Allocatable', status.allocatable]] as const) {
      const names = Object.keys(list ?? {}).sort();
      if (!names.length) continue;
      w.write(LEVEL_0, `${title}:\n`);
      for (const name of names) {
        const q = resourcesOf({ [name]: list![name]! }).get(name);
        w.write(LEVEL_0, `  ${name}:\t${q ? formatQuantity(q) : list![name]}\n`);
      }
    }
    const info = status.nodeInfo ?? {};
    w.write(LEVEL_0, 'System Info:\n');
    const infoRows: Array<[string, string]> = [
      ['Machine ID', 'machineID'],
      ['System UUID', 'systemUUID'],
      ['Boot ID', 'bootID'],
      ['Kernel Version', 'kernelVersion'],
      ['OS Image', 'osImage'],
      ['Operating System', 'operatingSystem'],
      ['Architecture', 'architecture'],
      ['Container Runtime Version', 'containerRuntimeVersion'],
      ['Kubelet Version', 'kubeletVersion'],
      ['Kube-Proxy Version', 'kubeProxyVersion'],
    ];
    for (const [title, key] of infoRows) w.write(LEVEL_0, `  ${title}:\t${info[key] ?? ''}\n`);
    if (spec.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${spec.podCIDR}\n`);
    if (spec.podCIDRs?.length) w.write(LEVEL_0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
    if (spec.providerID) w.write(LEVEL_0, `ProviderID:\t${spec.providerID}\n`);
    describeNodeResource(w, nodePods(api, node), node, now);
    if (events) writeEvents(w, events, now);
  });
}
