/**
 * `kubectl get` rows of the other kinds podplay serves, as kubectl's
 * printers compute them: Node, Namespace, Service, ConfigMap, Secret,
 * Event, PriorityClass.
 */
import type { KubeObject, Node } from '../../../api/index.ts';
import { age } from '../../duration.ts';

/** A node's STATUS: Ready/NotReady/Unknown, and SchedulingDisabled when cordoned. */
export function nodeStatus(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const status = ready ? [ready.status === 'True' ? 'Ready' : 'NotReady'] : ['Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** ROLES: from `node-role.kubernetes.io/<role>` and `kubernetes.io/role` labels. */
export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort().join(',') || '<none>';
}

const address = (node: Node, type: string) => node.status?.addresses?.find((a) => a.type === type)?.address || '<none>';

interface Port {
  port: number;
  protocol?: string;
  nodePort?: number;
}

export function servicePorts(ports: Port[] | undefined): string {
  if (!ports?.length) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

type Service = KubeObject & { spec: { type?: string; clusterIP?: string; externalIPs?: string[]; externalName?: string; ports?: Port[]; selector?: Record<string, string> }; status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } } };

/** kubectl's formatEndpoints: three, then ` + N more...`. */
function moreOf(list: string[], none: string): string {
  if (!list.length) return none;
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
}

function externalIP(svc: Service): string {
  const type = svc.spec.type ?? 'ClusterIP';
  const ips = svc.spec.externalIPs ?? [];
  const lb = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '');
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return ips.length ? ips.join(',') : '<none>';
    case 'LoadBalancer': {
      const all = [...lb, ...ips];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '<none>';
    default:
      return '<unknown>';
  }
}

/** Event times: lastTimestamp, else firstTimestamp, else eventTime. */
export function eventLastSeen(e: KubeObject, now: number): string {
  const first = (e.firstTimestamp as string | undefined) ?? (e.eventTime as string | undefined);
  return age((e.lastTimestamp as string | undefined) ?? first, now);
}

export function eventObject(e: KubeObject): string {
  const o = e.involvedObject as { kind?: string; name?: string };
  return o.name ? `${(o.kind ?? '').toLowerCase()}/${o.name}` : (o.kind ?? '').toLowerCase();
}

export const CLUSTER_TABLES = {
  Node: {
    columns: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    wide: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
    row(o: KubeObject, now: number, wide: boolean): string[] {
      const n = o as Node;
      const info = n.status?.nodeInfo ?? {};
      const row = [n.metadata.name!, nodeStatus(n), nodeRoles(n), age(n.metadata.creationTimestamp, now), info.kubeletVersion ?? ''];
      return wide ? [...row, address(n, 'InternalIP'), address(n, 'ExternalIP'), info.osImage || '<unknown>', info.kernelVersion || '<unknown>', info.containerRuntimeVersion || '<unknown>'] : row;
    },
  },
  Namespace: {
    columns: ['NAME', 'STATUS', 'AGE'],
    wide: [],
    row: (o: KubeObject, now: number) => [o.metadata.name!, String((o.status as { phase?: string } | undefined)?.phase ?? ''), age(o.metadata.creationTimestamp, now)],
  },
  Service: {
    columns: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    wide: ['SELECTOR'],
    row(o: KubeObject, now: number, wide: boolean): string[] {
      const s = o as Service;
      const row = [s.metadata.name!, s.spec.type ?? 'ClusterIP', s.spec.clusterIP || '<none>', externalIP(s), servicePorts(s.spec.ports), age(s.metadata.creationTimestamp, now)];
      const selector = Object.entries(s.spec.selector ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',') || '<none>';
      return wide ? [...row, selector] : row;
    },
  },
  Endpoints: {
    columns: ['NAME', 'ENDPOINTS', 'AGE'],
    wide: [],
    row(o: KubeObject, now: number): string[] {
      type Subset = { addresses?: Array<{ ip: string }>; ports?: Array<{ port: number }> };
      const list: string[] = [];
      for (const s of (o.subsets as Subset[] | undefined) ?? []) {
        for (const a of s.addresses ?? []) for (const p of s.ports?.length ? s.ports : [undefined]) list.push(p ? `${a.ip}:${p.port}` : a.ip);
      }
      return [o.metadata.name!, moreOf(list, '<none>'), age(o.metadata.creationTimestamp, now)];
    },
  },
  EndpointSlice: {
    columns: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    wide: [],
    row(o: KubeObject, now: number): string[] {
      const ports = ((o.ports as Array<{ port?: number }> | undefined) ?? []).filter((p) => p.port !== undefined).map((p) => String(p.port));
      const addresses = ((o.endpoints as Array<{ addresses: string[] }> | undefined) ?? []).flatMap((e) => e.addresses);
      return [o.metadata.name!, String(o.addressType ?? ''), ports.length ? ports.join(',') : '<unset>', moreOf(addresses, '<unset>'), age(o.metadata.creationTimestamp, now)];
    },
  },
  ConfigMap: {
    columns: ['NAME', 'DATA', 'AGE'],
    wide: [],
    row: (o: KubeObject, now: number) => [o.metadata.name!, String(Object.keys((o.data as object) ?? {}).length + Object.keys((o.binaryData as object) ?? {}).length), age(o.metadata.creationTimestamp, now)],
  },
  Secret: {
    columns: ['NAME', 'TYPE', 'DATA', 'AGE'],
    wide: [],
    row: (o: KubeObject, now: number) => [o.metadata.name!, String(o.type ?? 'Opaque'), String(Object.keys((o.data as object) ?? {}).length), age(o.metadata.creationTimestamp, now)],
  },
  Event: {
    columns: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
    wideColumns: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'],
    wide: [],
    row(e: KubeObject, now: number, wide: boolean): string[] {
      const message = String(e.message ?? '').trim();
      if (!wide) return [eventLastSeen(e, now), String(e.type ?? ''), String(e.reason ?? ''), eventObject(e), message];
      const src = (e.source ?? {}) as { component?: string; host?: string };
      const source = src.component ? (src.host ? `${src.component}, ${src.host}` : src.component) : String(e.reportingComponent ?? '');
      const first = age((e.firstTimestamp as string | undefined) ?? (e.eventTime as string | undefined), now);
      const fieldPath = (e.involvedObject as { fieldPath?: string }).fieldPath ?? '';
      return [eventLastSeen(e, now), String(e.type ?? ''), String(e.reason ?? ''), eventObject(e), fieldPath, source, message, first, String(e.count ?? 1), e.metadata.name!];
    },
  },
  PriorityClass: {
    columns: ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY'],
    wide: [],
    row: (o: KubeObject, now: number) => [o.metadata.name!, String(o.value ?? 0), String(!!o.globalDefault), age(o.metadata.creationTimestamp, now), String(o.preemptionPolicy ?? 'PreemptLowerPriority')],
  },
};
