/**
 * The wire between a node worker's guest sockets and the cluster network on
 * the page's thread (src/net): one MessagePort per node, carrying
 * connection set-up and the bytes of every connection. Each side of a
 * connection has an end id the cluster network gave it; a node names its
 * own end in what it sends, the network names the node's end in what it
 * sends back.
 */
import type { GuestNetwork, NetNamespace, Peer, PeerEvents, SocketAddress, SocketKind } from '../wasi/index.ts';

/** A node's request to the network, or the bytes and events of one of its ends. */
export type NodeToNetwork =
  | { type: 'connect'; req: number; ns: string; kind: SocketKind; local: SocketAddress; remote: SocketAddress }
  | { type: 'incoming-result'; req: number; errno?: number }
  | EndMessage;

/** The network's answers, connections for the node's listeners, and the bytes and events of the node's ends. */
export type NetworkToNode =
  | { type: 'connect-result'; req: number; end?: number; errno?: number }
  | { type: 'incoming'; req: number; end: number; ns: string; kind: SocketKind; local: SocketAddress; remote: SocketAddress }
  | EndMessage;

export type EndMessage =
  | { type: 'data'; end: number; bytes: Uint8Array }
  | { type: 'end' | 'pause' | 'resume'; end: number }
  | { type: 'close'; end: number; errno?: number };

/** Something that carries messages both ways (a MessagePort). */
export interface Port {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
}

/** Tells the other side of end `id` (through the network) what this side does. */
export function peerOver(send: (m: EndMessage, transfer?: Transferable[]) => void, id: number): Peer {
  return {
    send: (bytes) => {
      const copy = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && !(bytes.buffer instanceof SharedArrayBuffer) ? bytes : bytes.slice();
      send({ type: 'data', end: id, bytes: copy }, [copy.buffer as ArrayBuffer]);
    },
    end: () => send({ type: 'end', end: id }),
    close: (errno = 0) => send({ type: 'close', end: id, errno }),
    pause: () => send({ type: 'pause', end: id }),
    resume: () => send({ type: 'resume', end: id }),
  };
}

/** Hands an end's message to whoever holds the end. */
export function deliver(events: PeerEvents, m: EndMessage): void {
  switch (m.type) {
    case 'data':
      return events.data(m.bytes);
    case 'end':
      return events.end();
    case 'close':
      return events.close(m.errno);
    case 'pause':
      return events.pause();
    case 'resume':
      return events.resume();
  }
}

/**
 * The node worker's end of the wire: the namespaces of its pods connect
 * out through it, and connections for its guests' listeners come in.
 */
export class NetworkLink {
  readonly #port: Port;
  readonly #guests: GuestNetwork;
  readonly #ends = new Map<number, PeerEvents>();
  readonly #waiting = new Map<number, (r: { end?: number; errno?: number }) => void>();
  #next = 0;

  constructor(port: Port, guests: GuestNetwork) {
    this.#port = port;
    this.#guests = guests;
    port.onmessage = (e) => this.#receive(e.data as NetworkToNode);
  }

  #send = (m: NodeToNetwork, transfer?: Transferable[]) => this.#port.postMessage(m, transfer ?? []);

  /** The namespace `id` with addresses `ips`, whose connections go out over this link. */
  namespace(id: string, ips: string[]): NetNamespace {
    return {
      id,
      ips,
      connect: async (kind, local, remote, events) => {
        const req = ++this.#next;
        const answer = new Promise<{ end?: number; errno?: number }>((resolve) => this.#waiting.set(req, resolve));
        this.#send({ type: 'connect', req, ns: id, kind, local, remote });
        const r = await answer;
        if (r.end === undefined) return { errno: r.errno ?? 111 };
        this.#ends.set(r.end, events);
        return { peer: this.#peer(r.end) };
      },
    };
  }

  #peer(end: number): Peer {
    const peer = peerOver(this.#send, end);
    // Closing this side forgets it: later messages for it have nobody to go to.
    return { ...peer, close: (errno) => (this.#ends.delete(end), peer.close(errno)) };
  }

  #receive(m: NetworkToNode): void {
    switch (m.type) {
      case 'connect-result':
        this.#waiting.get(m.req)?.(m);
        this.#waiting.delete(m.req);
        return;
      case 'incoming': {
        const r = this.#guests.incoming(m.ns, m.kind, m.local, m.remote, this.#peer(m.end));
        if ('errno' in r) return this.#send({ type: 'incoming-result', req: m.req, errno: r.errno });
        this.#ends.set(m.end, r.events);
        return this.#send({ type: 'incoming-result', req: m.req });
      }
      default: {
        const events = this.#ends.get(m.end);
        if (!events) return;
        if (m.type === 'close') this.#ends.delete(m.end);
        deliver(events, m);
      }
    }
  }
}
