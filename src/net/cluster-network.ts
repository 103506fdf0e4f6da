/**
 * The cluster's network, on the page's thread: what a CNI plugin, kube-proxy
 * and the node's routing table do together. Pods' network namespaces are
 * registered with their IPs (see ipam.ts); a guest's connect is routed to
 * the namespace that has the address (a pod IP, or loopback back to its own
 * pod), to a Service's ready endpoint (its ClusterIP and port rewritten to
 * a pod's, as kube-proxy's DNAT does; see services.ts), or to a service the
 * host itself answers (the cluster DNS, the API server). The bytes of each
 * connection then flow through here between its two ends: a node worker's
 * guest socket, or a host-side handler.
 */
import { deliver, peerOver, type EndMessage, type NetworkToNode, type NodeToNetwork, type Peer, type PeerEvents, type Port, type SocketAddress, type SocketKind } from '../runtime/index.ts';

/** WASI errno values the network answers with (Go prints Linux's words for them). */
export const NET_ERRNO = { CONNREFUSED: 14, HOSTUNREACH: 23, NETUNREACH: 40, TIMEDOUT: 73 } as const;

/** Where a connection goes. */
export type Route =
  | { to: 'namespace'; namespace: string; local: SocketAddress }
  | { to: 'host'; service: HostService }
  /** Another address (a Service's endpoint: kube-proxy's DNAT); the caller keeps seeing the address it asked for. */
  | { to: 'address'; address: SocketAddress }
  | { to: 'nowhere'; errno: number };

/** A service the host answers itself (the DNS, the API server): it gets the connection and gives the events handler for it. */
export type HostService = (conn: HostConnection) => PeerEvents;

/** A host-side connection's view: the guest's address, the address it reached, and the way to talk back. */
export interface HostConnection {
  kind: SocketKind;
  remote: SocketAddress;
  local: SocketAddress;
  peer: Peer;
}

/** Answers "where does a connection to `remote` go?" for addresses that are not pods' own (Services, the DNS, the API). */
export type Router = (kind: SocketKind, remote: SocketAddress) => Route | undefined;

interface NodeLink {
  name: string;
  port: Port;
  waiting: Map<number, (errno: number | undefined) => void>;
}

interface End {
  id: number;
  /** The node holding it; absent for a host-side end. */
  node?: NodeLink;
  /** A host-side end's handler. */
  events?: PeerEvents;
  peer?: number;
}

const isLoopback = (ip: string) => ip.startsWith('127.') || ip === '::1';

export class ClusterNetwork {
  readonly #nodes = new Map<string, NodeLink>();
  /** Pod IP -> namespace and the node it lives on. */
  readonly #byIp = new Map<string, { namespace: string; node: string }>();
  readonly #namespaces = new Map<string, { node: string; ips: string[] }>();
  readonly #ends = new Map<number, End>();
  readonly #routers: Router[] = [];
  #nextEnd = 0;
  #nextReq = 0;

  /** A node worker's port (NodeWorker.attachNetwork): its guests connect through it. */
  addNode(name: string, port: Port): void {
    const link: NodeLink = { name, port, waiting: new Map() };
    this.#nodes.set(name, link);
    port.onmessage = (e) => this.#receive(link, e.data as NodeToNetwork);
    (port as { unref?: () => void }).unref?.();
  }

  /** The node is gone: its ends close as if reset, its namespaces leave. */
  removeNode(name: string): void {
    const link = this.#nodes.get(name);
    if (!link) return;
    this.#nodes.delete(name);
    // Connections waiting for the node's answer: there is no one there any more.
    for (const resolve of link.waiting.values()) resolve(NET_ERRNO.HOSTUNREACH);
    link.waiting.clear();
    for (const end of [...this.#ends.values()]) if (end.node === link) this.#closeEnd(end, 15 /* ECONNRESET */);
    for (const [ns, info] of [...this.#namespaces]) if (info.node === name) this.removeNamespace(ns);
    (link.port as { close?: () => void }).close?.();
  }

  /** A pod's network namespace on `node`, with its addresses. */
  addNamespace(namespace: string, node: string, ips: string[]): void {
    this.#namespaces.set(namespace, { node, ips });
    for (const ip of ips) this.#byIp.set(ip, { namespace, node });
  }

  removeNamespace(namespace: string): void {
    const info = this.#namespaces.get(namespace);
    if (!info) return;
    this.#namespaces.delete(namespace);
    for (const ip of info.ips) if (this.#byIp.get(ip)?.namespace === namespace) this.#byIp.delete(ip);
  }

  /** Adds a router asked, in order, for addresses that are no pod's. */
  addRouter(router: Router): void {
    this.#routers.push(router);
  }

  route(kind: SocketKind, from: string | undefined, remote: SocketAddress, depth = 0): Route {
    if (from && isLoopback(remote.ip)) return { to: 'namespace', namespace: from, local: remote };
    const pod = this.#byIp.get(remote.ip);
    if (pod) return { to: 'namespace', namespace: pod.namespace, local: remote };
    for (const r of this.#routers) {
      const route = r(kind, remote);
      if (!route) continue;
      if (route.to !== 'address') return route;
      // A Service's endpoint: a pod, or an address the host serves (the API server's).
      const next = depth < 2 ? this.route(kind, undefined, route.address, depth + 1) : undefined;
      return next && next.to !== 'address' ? next : { to: 'nowhere', errno: NET_ERRNO.HOSTUNREACH };
    }
    // Inside the cluster's ranges nothing answers there; elsewhere there is no network at all.
    return { to: 'nowhere', errno: /^10\./.test(remote.ip) ? NET_ERRNO.HOSTUNREACH : NET_ERRNO.NETUNREACH };
  }

  /**
   * Connects from the host (a kubelet's probe, a port-forward) to `remote`,
   * routed as a guest's connection would be. Source: `source` (the node's IP).
   */
  async dial(kind: SocketKind, remote: SocketAddress, source: SocketAddress, events: PeerEvents): Promise<{ peer: Peer } | { errno: number }> {
    const end = this.#newEnd({ events });
    const r = await this.#connect(end, kind, undefined, source, remote);
    if (r !== undefined) {
      this.#ends.delete(end.id);
      return { errno: r };
    }
    return { peer: this.#hostPeer(end) };
  }

  /**
   * Connects from inside namespace `namespace` to its own `port` on the
   * loopback (kubectl port-forward: the kubelet enters the pod's network
   * namespace and dials localhost there).
   */
  async dialInto(namespace: string, port: number, events: PeerEvents): Promise<{ peer: Peer } | { errno: number }> {
    const target = this.#namespaces.get(namespace);
    const link = target && this.#nodes.get(target.node);
    if (!link) return { errno: NET_ERRNO.HOSTUNREACH };
    const end = this.#newEnd({ events });
    const to = this.#newEnd({ node: link, peer: end.id });
    const req = ++this.#nextReq;
    const answered = new Promise<number | undefined>((resolve) => link.waiting.set(req, resolve));
    const source = { ip: '127.0.0.1', port: 32768 + Math.floor(Math.random() * 28232) };
    this.#post(link, { type: 'incoming', req, end: to.id, ns: namespace, kind: 'stream', local: { ip: '127.0.0.1', port }, remote: source });
    const errno = await answered;
    if (errno !== undefined) {
      this.#ends.delete(to.id);
      this.#ends.delete(end.id);
      return { errno };
    }
    end.peer = to.id;
    return { peer: this.#hostPeer(end) };
  }

  #newEnd(fields: Omit<End, 'id'>): End {
    const end: End = { id: ++this.#nextEnd, ...fields };
    this.#ends.set(end.id, end);
    return end;
  }

  /** Tells end `end`'s other side what `end`'s holder (a host handler) does. */
  #hostPeer(end: End): Peer {
    const forward = (m: EndMessage) => this.#forward(end, m);
    return peerOver(forward, end.id);
  }

  /** Connects `from` to whatever `remote` routes to; undefined when connected, else the errno. */
  async #connect(from: End, kind: SocketKind, namespace: string | undefined, local: SocketAddress, remote: SocketAddress): Promise<number | undefined> {
    const route = this.route(kind, namespace, remote);
    if (route.to === 'nowhere') return route.errno;
    if (route.to === 'address') return NET_ERRNO.HOSTUNREACH;
    if (route.to === 'host') {
      const to = this.#newEnd({ peer: from.id });
      from.peer = to.id;
      to.events = route.service({ kind, remote: local, local: remote, peer: this.#hostPeer(to) });
      return undefined;
    }
    const target = this.#namespaces.get(route.namespace);
    const link = target && this.#nodes.get(target.node);
    if (!link) return NET_ERRNO.HOSTUNREACH;
    const to = this.#newEnd({ node: link, peer: from.id });
    const req = ++this.#nextReq;
    const answered = new Promise<number | undefined>((resolve) => link.waiting.set(req, resolve));
    this.#post(link, { type: 'incoming', req, end: to.id, ns: route.namespace, kind, local: route.local, remote: local });
    const errno = await answered;
    if (errno !== undefined) {
      this.#ends.delete(to.id);
      return errno;
    }
    from.peer = to.id;
    return undefined;
  }

  #post(link: NodeLink, m: NetworkToNode): void {
    const transfer = m.type === 'data' ? [m.bytes.buffer as ArrayBuffer] : [];
    link.port.postMessage(m, transfer);
  }

  #receive(link: NodeLink, m: NodeToNetwork): void {
    switch (m.type) {
      case 'connect': {
        const from = this.#newEnd({ node: link });
        void this.#connect(from, m.kind, m.ns, m.local, m.remote).then((errno) => {
          if (errno !== undefined) this.#ends.delete(from.id);
          this.#post(link, errno === undefined ? { type: 'connect-result', req: m.req, end: from.id } : { type: 'connect-result', req: m.req, errno });
        });
        return;
      }
      case 'incoming-result':
        link.waiting.get(m.req)?.(m.errno);
        link.waiting.delete(m.req);
        return;
      default: {
        const end = this.#ends.get(m.end);
        if (end?.node === link) this.#forward(end, m);
      }
    }
  }

  /** What `from`'s holder did goes to the other side. */
  #forward(from: End, m: EndMessage): void {
    const to = from.peer === undefined ? undefined : this.#ends.get(from.peer);
    if (m.type === 'close') {
      this.#ends.delete(from.id);
      if (to) this.#ends.delete(to.id);
    }
    if (!to) return;
    if (to.node) this.#post(to.node, { ...m, end: to.id } as NetworkToNode);
    else if (to.events) deliver(to.events, m);
  }

  #closeEnd(end: End, errno: number): void {
    this.#ends.delete(end.id);
    const to = end.peer === undefined ? undefined : this.#ends.get(end.peer);
    if (!to) return;
    this.#ends.delete(to.id);
    if (to.node) this.#post(to.node, { type: 'close', end: to.id, errno });
    else to.events?.close(errno);
  }

  /** The names of the nodes attached. */
  get nodes(): string[] {
    return [...this.#nodes.keys()];
  }

  /** Connections open now (both ends count once). */
  get connections(): number {
    return Math.floor(this.#ends.size / 2);
  }
}
