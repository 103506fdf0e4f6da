/**
 * A cluster's whole network, composed: the routes and connections
 * (ClusterNetwork), pods' addresses and namespaces (PodNetworks), Services
 * (ServiceProxy, fed by the EndpointSlice controller) and the cluster DNS at
 * the kube-dns Service's address.
 */
import type { ApiStore } from '../api/index.ts';
import type { Disposable } from '../shared/index.ts';
import { ClusterNetwork, type HostService } from './cluster-network.ts';
import { ClusterDns } from './dns.ts';
import { PodNetworks } from './pod-network.ts';
import { ServiceProxy } from './services.ts';

/** The kube-dns Service's ClusterIP (the kubelet's clusterDNS). */
export const DNS_IP = '10.96.0.10';

export class PodplayNetwork implements Disposable {
  readonly network = new ClusterNetwork();
  readonly pods: PodNetworks;
  readonly services: ServiceProxy;
  readonly dns: ClusterDns;
  readonly #hosts = new Map<string, HostService>();

  constructor(api: ApiStore) {
    this.pods = new PodNetworks(this.network);
    this.services = new ServiceProxy(api);
    this.dns = new ClusterDns(api, this.services);
    this.serve('dgram', DNS_IP, 53, this.dns.serve);
    this.network.addRouter((kind, remote) => {
      const service = this.#hosts.get(`${kind} ${remote.ip}:${remote.port}`);
      return service ? { to: 'host', service } : undefined;
    });
    this.network.addRouter((kind, remote) => this.services.route(kind, remote));
  }

  /** Serves `ip:port` from the host (the DNS, the API server), ahead of any Service there. */
  serve(kind: 'stream' | 'dgram', ip: string, port: number, service: HostService): void {
    this.#hosts.set(`${kind} ${ip}:${port}`, service);
  }

  dispose(): void {
    for (const node of this.network.nodes) this.network.removeNode(node);
  }
}
