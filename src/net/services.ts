/**
 * kube-proxy's part: a connection to a Service's ClusterIP and port goes to
 * one of the Service's ready endpoints (from its EndpointSlices), at the
 * endpoint's port for that Service port, taken in turn (round robin, as
 * IPVS's default scheduler does). A Service port without ready endpoints
 * refuses the connection, as kube-proxy's REJECT rule does.
 */
import type { ApiStore, KubeObject } from '../api/index.ts';
import type { SocketAddress, SocketKind } from '../runtime/index.ts';
import { NET_ERRNO, type Route } from './cluster-network.ts';

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
}

interface Slice extends KubeObject {
  endpoints?: Array<{ addresses: string[]; conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean } }>;
  ports?: Array<{ name?: string; port?: number; protocol?: string }>;
}

/** The Service IP range: 10.96.0.0/12. */
export function isServiceIp(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return a === 10 && b! >= 96 && b! < 112;
}

export class ServiceProxy {
  readonly #api: ApiStore;
  readonly #turn = new Map<string, number>();

  constructor(api: ApiStore) {
    this.#api = api;
  }

  /** Where a connection to `remote` goes, or undefined when `remote` is no Service's address. */
  route(kind: SocketKind, remote: SocketAddress): Route | undefined {
    if (!isServiceIp(remote.ip)) return undefined;
    const protocol = kind === 'stream' ? 'TCP' : 'UDP';
    const svc = this.#api.list('Service').items.find((s) => (s.spec as { clusterIP?: string }).clusterIP === remote.ip);
    if (!svc) return { to: 'nowhere', errno: NET_ERRNO.HOSTUNREACH };
    const port = ((svc.spec as { ports?: ServicePort[] }).ports ?? []).find((p) => p.port === remote.port && (p.protocol ?? 'TCP') === protocol);
    if (!port) return { to: 'nowhere', errno: NET_ERRNO.CONNREFUSED };
    const targets = this.endpoints(svc, port, protocol);
    if (!targets.length) return { to: 'nowhere', errno: NET_ERRNO.CONNREFUSED };
    const key = `${svc.metadata.uid}/${port.port}/${protocol}`;
    const turn = this.#turn.get(key) ?? 0;
    this.#turn.set(key, turn + 1);
    const target = targets[turn % targets.length]!;
    return { to: 'address', address: target };
  }

  /** The ready endpoints of one Service port: pod IP and target port. */
  endpoints(svc: KubeObject, port: ServicePort, protocol: string): SocketAddress[] {
    const slices = this.#api.list<Slice>('EndpointSlice', { namespace: svc.metadata.namespace, labelSelector: `kubernetes.io/service-name=${svc.metadata.name}` }).items;
    const out: SocketAddress[] = [];
    for (const slice of slices) {
      const p = (slice.ports ?? []).find((sp) => (sp.name ?? '') === (port.name ?? '') && (sp.protocol ?? 'TCP') === protocol);
      if (!p?.port) continue;
      for (const e of slice.endpoints ?? []) {
        if (e.conditions?.ready === false) continue;
        for (const ip of e.addresses) out.push({ ip, port: p.port });
      }
    }
    return out.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
  }
}
