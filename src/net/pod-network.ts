/**
 * Pods' networks on each node, as a CNI plugin sets them up: an address
 * from the node's pod CIDR (ipam.ts) and a network namespace the cluster
 * network routes that address to.
 */
import type { ClusterNetwork } from './cluster-network.ts';
import { PodIpam } from './ipam.ts';

export class PodNetworks {
  readonly ipam = new PodIpam();
  readonly #network: ClusterNetwork;

  constructor(network: ClusterNetwork) {
    this.#network = network;
  }

  /** The kubelet's view for `node` (its CNI): setUp gives a pod its IP and namespace, tearDown takes them back. */
  forNode(node: string, cidr: string): { setUp(pod: { uid: string; ip?: string }): string; tearDown(uid: string): void } {
    this.ipam.setCidr(node, cidr);
    return {
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
