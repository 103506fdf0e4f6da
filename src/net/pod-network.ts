/**
 * Pods' networks on each node, as a CNI plugin sets them up: an address
 * from the node's pod CIDR (ipam.ts) and a network namespace the cluster
 * network routes that address to.
 */
import type { ClusterNetwork } from './cluster-network.ts';
import { PodIpam } from './ipam.ts';
import { Probes, type HttpProbe, type ProbeResult } from './probes.ts';

/** What a node's kubelet gets: its CNI (setUp, tearDown) and its prober's way into the network. */
export interface NodePodNetwork {
  setUp(pod: { uid: string; ip?: string }): string;
  tearDown(uid: string): void;
  probeHttp(p: HttpProbe): Promise<ProbeResult>;
  probeTcp(p: { host: string; port: number; timeoutMs: number }): Promise<ProbeResult>;
}

export class PodNetworks {
  readonly ipam = new PodIpam();
  readonly #network: ClusterNetwork;

  constructor(network: ClusterNetwork) {
    this.#network = network;
  }

  /** The kubelet's view for `node` (its CNI): setUp gives a pod its IP and namespace, tearDown takes them back. */
  forNode(node: string, cidr: string, nodeIP: string, kubeletVersion: string): NodePodNetwork {
    this.ipam.setCidr(node, cidr);
    const probes = new Probes(this.#network, nodeIP, kubeletVersion);
    return {
      probeHttp: (p) => probes.http(p),
      probeTcp: (p) => probes.tcp(p),
      setUp: (pod) => {
        if (pod.ip) this.ipam.reserve(node, pod.uid, pod.ip);
        const ip = this.ipam.allocate(node, pod.uid);
        this.#network.addNamespace(pod.uid, node, [ip]);
        return ip;
      },
      tearDown: (uid) => {
        this.#network.removeNamespace(uid);
        this.ipam.release(uid);
      },
    };
  }
}
