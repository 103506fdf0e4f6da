/**
 * Pod IPs, as a cluster's node IPAM controller and the host-local IPAM
 * plugin hand them out: every node gets a /24 of the pod network
 * 10.244.0.0/16 (its spec.podCIDR), and each pod on it the next free address
 * of that range from .2 (.1 is the node's bridge). An address comes free
 * when its pod's sandbox is torn down.
 */
import { PodplayError } from '../shared/index.ts';

export const POD_NETWORK = '10.244.0.0/16';

/** The pod CIDR of the node with `index` (0-based): 10.244.<index>.0/24. */
export function podCidrFor(index: number): string {
  if (index < 0 || index > 255) throw new PodplayError('EINVAL', `a cluster has at most 256 nodes in the pod network ${POD_NETWORK}`);
  return `10.244.${index}.0/24`;
}

export class PodIpam {
  readonly #cidrs = new Map<string, string>();
  readonly #used = new Map<string, Map<number, string>>();
  readonly #byOwner = new Map<string, { node: string; host: number; ip: string }>();

  setCidr(node: string, cidr: string): void {
    this.#cidrs.set(node, cidr);
  }

  cidrOf(node: string): string | undefined {
    return this.#cidrs.get(node);
  }

  /** The address of `owner` (a pod's uid) on `node`: the one it has, or the next free one. */
  allocate(node: string, owner: string): string {
    const had = this.#byOwner.get(owner);
    if (had) return had.ip;
    const cidr = this.#cidrs.get(node);
    if (!cidr) throw new PodplayError('EINVAL', `node "${node}" has no pod CIDR`);
    const prefix = cidr.split('.').slice(0, 3).join('.');
    let used = this.#used.get(node);
    if (!used) this.#used.set(node, (used = new Map()));
    for (let host = 2; host < 255; host++) {
      if (used.has(host)) continue;
      const ip = `${prefix}.${host}`;
      used.set(host, owner);
      this.#byOwner.set(owner, { node, host, ip });
      return ip;
    }
    throw new PodplayError('QuotaExceeded', `failed to allocate for range 0: no IP addresses available in range set: ${prefix}.1-${prefix}.254`);
  }

  /** `owner`'s address comes free. */
  release(owner: string): void {
    const had = this.#byOwner.get(owner);
    if (!had) return;
    this.#byOwner.delete(owner);
    this.#used.get(had.node)?.delete(had.host);
  }

  /** Keeps an address a pod already had (a restarted page's saved state). */
  reserve(node: string, owner: string, ip: string): void {
    const prefix = this.#cidrs.get(node)?.split('.').slice(0, 3).join('.');
    const host = Number(ip.split('.')[3]);
    if (!prefix || !ip.startsWith(prefix + '.') || this.#byOwner.has(owner)) return;
    let used = this.#used.get(node);
    if (!used) this.#used.set(node, (used = new Map()));
    if (used.has(host)) return;
    used.set(host, owner);
    this.#byOwner.set(owner, { node, host, ip });
  }
}
