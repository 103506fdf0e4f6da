/**
 * The cluster's DNS, answering as CoreDNS's kubernetes plugin does for
 * cluster.local: `<service>.<namespace>.svc.cluster.local` is the Service's
 * ClusterIP (a headless Service's ready endpoints), `<a-b-c-d>.<namespace>.pod.cluster.local`
 * the pod IP a-b-c-d, `<hostname>.<subdomain>.<namespace>.svc.cluster.local`
 * a pod of a headless Service, and `_<port>._<proto>.<service>...` the
 * Service's SRV records. Any other name does not exist (podplay has no
 * outside world): NXDOMAIN, which resolvers report as "no such host".
 * Served over UDP at the kube-dns Service's address (see CLUSTER_DNS).
 */
import * as dnsPacket from '@leichtgewicht/dns-packet';
import type { ApiStore, KubeObject } from '../api/index.ts';
import type { PeerEvents } from '../runtime/index.ts';
import type { HostConnection } from './cluster-network.ts';
import type { ServiceProxy } from './services.ts';

export const CLUSTER_DOMAIN = 'cluster.local';
/** CoreDNS's kubernetes plugin answers with this TTL by default. */
const TTL = 5;
const NXDOMAIN = 3;
const SERVFAIL = 2;

type Answer = dnsPacket.Answer;

export class ClusterDns {
  readonly #api: ApiStore;
  readonly #services: ServiceProxy;

  constructor(api: ApiStore, services: ServiceProxy) {
    this.#api = api;
    this.#services = services;
  }

  /** A host service (see ClusterNetwork): each datagram a query, each answer a datagram back. */
  readonly serve = (conn: HostConnection): PeerEvents => ({
    data: (bytes) => {
      const reply = this.answer(bytes);
      if (reply) conn.peer.send(reply);
    },
    end: () => conn.peer.close(0),
    close: () => undefined,
    pause: () => undefined,
    resume: () => undefined,
  });

  /** The response to one DNS query message, or undefined for something that is not a query. */
  answer(message: Uint8Array): Uint8Array | undefined {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return undefined;
    }
    if (query.type !== 'query') return undefined;
    const questions = query.questions ?? [];
    const answers: Answer[] = [];
    let rcode = 0;
    for (const q of questions) {
      const found = this.lookup(q.name.toLowerCase().replace(/\.$/, ''), q.type);
      if (found === undefined) rcode = NXDOMAIN;
      else answers.push(...found);
    }
    const rd = (query.flags ?? 0) & dnsPacket.RECURSION_DESIRED;
    return dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_AVAILABLE | rd | (questions.length ? rcode : SERVFAIL),
      questions,
      answers,
    });
  }

  /** The records of `name` of `type`; [] when the name exists without such records; undefined when it does not exist. */
  lookup(name: string, type: string): Answer[] | undefined {
    const suffix = `.${CLUSTER_DOMAIN}`;
    if (!name.endsWith(suffix)) return undefined;
    const labels = name.slice(0, -suffix.length).split('.');
    const a = (ips: string[]): Answer[] => (type === 'A' ? ips.filter((ip) => !ip.includes(':')).map((data) => ({ type: 'A', name, ttl: TTL, class: 'IN', data }) as Answer) : []);
    // <a-b-c-d>.<namespace>.pod
    if (labels.length === 3 && labels[2] === 'pod') {
      const ip = labels[0]!.replace(/-/g, '.');
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !this.#namespaceExists(labels[1]!)) return undefined;
      return a([ip]);
    }
    if (labels.at(-1) !== 'svc') return undefined;
    // <service>.<namespace>.svc
    if (labels.length === 3) {
      const svc = this.#service(labels[1]!, labels[0]!);
      if (!svc) return undefined;
      return a(this.#addresses(svc));
    }
    // _<port>._<proto>.<service>.<namespace>.svc
    if (labels.length === 5 && labels[0]!.startsWith('_') && labels[1]!.startsWith('_')) {
      const svc = this.#service(labels[3]!, labels[2]!);
      const port = ((svc?.spec as { ports?: Array<{ name?: string; port: number; protocol?: string }> } | undefined)?.ports ?? []).find(
        (p) => p.name === labels[0]!.slice(1) && (p.protocol ?? 'TCP').toLowerCase() === labels[1]!.slice(1),
      );
      if (!svc || !port) return undefined;
      if (type !== 'SRV') return [];
      return [{ type: 'SRV', name, ttl: TTL, class: 'IN', data: { priority: 0, weight: 100, port: port.port, target: `${svc.metadata.name}.${svc.metadata.namespace}.svc.${CLUSTER_DOMAIN}` } } as Answer];
    }
    // <hostname>.<subdomain>.<namespace>.svc: a pod behind a headless Service
    if (labels.length === 4) {
      const [hostname, subdomain, ns] = labels as [string, string, string];
      const pod = this.#api
        .list('Pod', { namespace: ns })
        .items.find((p) => (p.spec as { hostname?: string; subdomain?: string }).hostname === hostname && (p.spec as { subdomain?: string }).subdomain === subdomain);
      const ip = (pod?.status as { podIP?: string } | undefined)?.podIP;
      return ip ? a([ip]) : undefined;
    }
    return undefined;
  }

  #namespaceExists(ns: string): boolean {
    return this.#api.tryGet('Namespace', undefined, ns) !== undefined;
  }

  #service(ns: string, name: string): KubeObject | undefined {
    return this.#api.tryGet('Service', ns, name);
  }

  /** A Service's A records: its ClusterIP, or (headless) its ready endpoints' addresses. */
  #addresses(svc: KubeObject): string[] {
    const spec = svc.spec as { clusterIP?: string; ports?: Array<{ name?: string; port: number; protocol?: string }> };
    if (spec.clusterIP && spec.clusterIP !== 'None') return [spec.clusterIP];
    const ips = new Set<string>();
    for (const p of spec.ports ?? [{ port: 0 }]) for (const e of this.#services.endpoints(svc, p, p.protocol ?? 'TCP')) ips.add(e.ip);
    return [...ips];
  }
}
