/**
 * The node's half of guests' sockets (sdk-worker-net.mjs is the guest's
 * half, in the SDK's threads). Each socket is a SharedArrayBuffer the guest
 * made: a header and two rings. This side fills the rx ring from the
 * connection's other end, drains the tx ring into it, answers the guest's
 * requests (bind, listen, connect, accept) and rings the instance's
 * doorbell after each change. Connections leave the node through each run's
 * {@link NetNamespace}, whose `connect` the runtime implements; connections
 * come in through {@link GuestNetwork.incoming}. Ports are per namespace
 * (a pod's containers share them, as they share one network namespace).
 */

import { HostSocket, RX_HEAD, RX_TAIL, type SocketSpace } from './host-socket.ts';

export const NET_MESSAGE = 'podplay-net';

/** An IP address (dotted IPv4 or IPv6 text) and a port. */
export interface SocketAddress {
  ip: string;
  port: number;
}

export type SocketKind = 'stream' | 'dgram';

/**
 * One side of a connection, as its holder sees the other: what it can do to
 * it. A datagram connection carries one datagram per `send`.
 */
export interface Peer {
  send(bytes: Uint8Array): void;
  /** No more bytes from this side (TCP's FIN): the other side reads EOF once it has read the rest. */
  end(): void;
  /** This side is gone: the other side sees `errno` (e.g. ECONNRESET) on its next call, or EOF when 0. */
  close(errno?: number): void;
  /** The other side should stop sending to this one for now (its buffers are full), then go on. */
  pause(): void;
  resume(): void;
}

/** What the other side of a connection tells its holder (the mirror of {@link Peer}). */
export interface PeerEvents {
  data(bytes: Uint8Array): void;
  end(): void;
  close(errno?: number): void;
  pause(): void;
  resume(): void;
}

/** Where a run's sockets live: a pod's network namespace. */
export interface NetNamespace {
  id: string;
  /** The namespace's own addresses (the pod IP); loopback is always its own too. */
  ips: string[];
  /** Connects out; the node routes it (a pod IP, a Service, the DNS, the API). */
  connect(kind: SocketKind, local: SocketAddress, remote: SocketAddress, events: PeerEvents): Promise<{ peer: Peer } | { errno: number }>;
}

/** WASI errno values used here. */
export const ERRNO = { ADDRINUSE: 3, ADDRNOTAVAIL: 4, AGAIN: 6, BADF: 8, CONNREFUSED: 14, CONNRESET: 15, HOSTUNREACH: 23, INVAL: 28, MFILE: 33, NETUNREACH: 40, NOTCONN: 53, NOTSUP: 58, PIPE: 64, TIMEDOUT: 73 } as const;

/** Sockets a pod may have open at once (all its processes): past it, socket() fails with EMFILE ("too many open files"). */
export const SOCKETS_PER_POD = 1024;
/** Linux's ephemeral port range (net.ipv4.ip_local_port_range). */
const EPHEMERAL_FIRST = 32768;
const EPHEMERAL_LAST = 60999;

// Must match sdk-worker-net.mjs.
const PENDING = 8;
const LISTENING = 1;
const CONNECTED = 2;
const DOORBELL = 0;
const ANSWER = 1;
const ANSWER_LEN = 2;

interface WireAddr {
  family: 4 | 6;
  ip: number[];
  port: number;
}

type Message = { type: typeof NET_MESSAGE; channel?: string; instance: string; seq?: number } & (
  | { op: 'hello'; run: string; pid?: number; control: SharedArrayBuffer }
  | { op: 'open'; sock: number; kind: SocketKind; sab: SharedArrayBuffer }
  | { op: 'bind' | 'connect'; sock: number; addr: WireAddr }
  | { op: 'listen'; sock: number; backlog: number }
  | { op: 'accept'; sock: number; conn: number; sab: SharedArrayBuffer }
  | { op: 'tx' | 'rx-space' | 'shutdown' | 'close'; sock: number }
  | { op: 'exit' }
);

interface Instance {
  key: string;
  run: string;
  slots: Int32Array;
  payload: Uint8Array;
  sockets: Map<number, HostSocket>;
}


const networks = new Map<string, GuestNetwork>();

/** Hands a message an SDK worker posted to this thread to the network it names (see sdk-workers.ts). */
export function deliverNetMessage(data: Message): void {
  if (data.channel) networks.get(data.channel)?.receive(data);
}

export function ipText(a: WireAddr): string {
  if (a.family === 4) return a.ip.slice(0, 4).join('.');
  const b = a.ip;
  // An IPv4-mapped address is its IPv4 one.
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return b.slice(12, 16).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  const text = groups.join(':');
  // The longest run of zero groups becomes "::".
  const runs = [...text.matchAll(/(?:^|:)0(?::0)+(?::|$)/g)].sort((x, y) => y[0].length - x[0].length);
  return runs.length ? text.replace(runs[0]![0], '::') : text;
}

function wire(a: SocketAddress): WireAddr {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(a.ip)) return { family: 4, ip: a.ip.split('.').map(Number), port: a.port };
  const [head = '', tail = ''] = a.ip.split('::');
  const parse = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = parse(head);
  const t = a.ip.includes('::') ? parse(tail) : [];
  const groups = [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  return { family: 6, ip: groups.flatMap((g) => [g >> 8, g & 0xff]), port: a.port };
}

const isUnspecified = (ip: string) => ip === '0.0.0.0' || ip === '::';
const isLoopback = (ip: string) => ip.startsWith('127.') || ip === '::1';

/**
 * The sockets of one runner's guests. `name` is the channel the guests'
 * messages come on (the runner's usage monitor's name, which tags its runs).
 */
export class GuestNetwork {
  readonly #instances = new Map<string, Instance>();
  readonly #runs = new Map<string, SocketSpace>();
  readonly #spaces = new Map<string, SocketSpace>();
  readonly #channel?: BroadcastChannel;

  constructor(readonly name: string) {
    networks.set(name, this);
    if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined') {
      const channel = new BroadcastChannel(`${NET_MESSAGE}/${name}`);
      (channel as { unref?: () => void }).unref?.();
      channel.onmessage = (e: MessageEvent<Message>) => this.receive(e.data);
      this.#channel = channel;
    }
  }

  /** The guests of run `run` (and the children they start) use `ns`. */
  attach(run: string, ns: NetNamespace): void {
    let space = this.#spaces.get(ns.id);
    if (!space) this.#spaces.set(ns.id, (space = { ns, runs: 0, ports: new Map(), sockets: 0 }));
    space.ns = ns;
    space.runs++;
    this.#runs.set(run, space);
  }

  /** The run ended: its processes' sockets close (the kernel closes a dead process's sockets). */
  detach(run: string): void {
    const space = this.#runs.get(run);
    this.#runs.delete(run);
    for (const inst of [...this.#instances.values()]) if (inst.run === run) this.#dropInstance(inst);
    if (space && --space.runs === 0 && space.sockets === 0) this.#spaces.delete(space.ns.id);
  }

  /**
   * A connection for namespace `nsId` at `local` (its address and port) from
   * `remote`: handed to the listener there, or refused.
   */
  incoming(nsId: string, kind: SocketKind, local: SocketAddress, remote: SocketAddress, peer: Peer): { events: PeerEvents } | { errno: number } {
    const space = this.#spaces.get(nsId);
    const ln = space?.ports.get(`${kind}:${local.port}`);
    if (!space || !ln || !ln.listening || ln.closed) return { errno: ERRNO.CONNREFUSED };
    if (!(isUnspecified(ln.local!.ip) || ln.local!.ip === local.ip || (isLoopback(ln.local!.ip) && isLoopback(local.ip)))) return { errno: ERRNO.CONNREFUSED };
    if (space.sockets >= SOCKETS_PER_POD) return { errno: ERRNO.CONNREFUSED };
    const conn = new HostSocket(kind, space, ln.ring);
    space.sockets++;
    conn.local = local;
    conn.remote = remote;
    conn.peer = peer;
    ln.pending.push(conn);
    Atomics.add(ln.hdr!, PENDING, 1);
    ln.ring();
    return { events: conn };
  }

  receive(m: Message): void {
    if (m?.type !== NET_MESSAGE) return;
    if (m.op === 'hello') {
      this.#instances.set(m.instance, { key: m.instance, run: m.run, slots: new Int32Array(m.control, 0, 4), payload: new Uint8Array(m.control, 16), sockets: new Map() });
      return;
    }
    const inst = this.#instances.get(m.instance);
    if (!inst) return;
    const space = this.#runs.get(inst.run);
    const answer = (value: object) => this.#answer(inst, { ...value, seq: m.seq });
    if (m.op === 'exit') return this.#dropInstance(inst);
    if (m.op === 'open') {
      if (!space) return answer({ errno: ERRNO.NOTSUP });
      if (space.sockets >= SOCKETS_PER_POD) return answer({ errno: ERRNO.MFILE });
      const s = new HostSocket(m.kind, space, () => this.#ring(inst), m.sab);
      space.sockets++;
      inst.sockets.set(m.sock, s);
      return answer({});
    }
    const s = inst.sockets.get(m.sock);
    if (!s || !space) {
      if ('sock' in m && m.op !== 'tx' && m.op !== 'rx-space' && m.op !== 'close' && m.op !== 'shutdown') answer({ errno: ERRNO.BADF });
      return;
    }
    switch (m.op) {
      case 'bind':
        return answer(this.#bind(s, { ip: ipText(m.addr), port: m.addr.port }));
      case 'listen': {
        if (!s.local) {
          const bound = this.#bind(s, { ip: '::', port: 0 });
          if ('errno' in bound) return answer(bound);
        }
        s.listening = true;
        s.setState(LISTENING);
        return answer({ local: wire(s.local!) });
      }
      case 'connect':
        return void this.#connect(s, { ip: ipText(m.addr), port: m.addr.port }).then(answer);
      case 'accept': {
        const conn = s.pending.shift();
        if (!conn) return answer({ errno: ERRNO.AGAIN });
        Atomics.sub(s.hdr!, PENDING, 1);
        conn.attach(m.sab);
        conn.setState(conn.acceptedState);
        inst.sockets.set(m.conn, conn);
        conn.ring = () => this.#ring(inst);
        conn.flush();
        return answer({ local: wire(conn.local!), peer: wire(conn.remote!) });
      }
      case 'tx':
        return s.drain();
      case 'rx-space':
        return s.flush();
      case 'shutdown':
        return s.finishWriting();
      case 'close':
        inst.sockets.delete(m.sock);
        return this.#close(s);
    }
  }

  #bind(s: HostSocket, want: SocketAddress): { local: WireAddr } | { errno: number } {
    const space = s.space;
    if (s.local) return { errno: ERRNO.INVAL };
    if (!isUnspecified(want.ip) && !isLoopback(want.ip) && !space.ns.ips.includes(want.ip)) return { errno: ERRNO.ADDRNOTAVAIL };
    let port = want.port;
    if (port === 0) {
      port = this.#ephemeral(space, s.kind);
      if (!port) return { errno: ERRNO.ADDRINUSE };
    } else if (space.ports.has(`${s.kind}:${port}`)) return { errno: ERRNO.ADDRINUSE };
    s.portKey = `${s.kind}:${port}`;
    space.ports.set(s.portKey, s);
    s.local = { ip: want.ip, port };
    return { local: wire(s.local) };
  }

  #ephemeral(space: SocketSpace, kind: SocketKind): number {
    const span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
    const start = EPHEMERAL_FIRST + Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const port = EPHEMERAL_FIRST + ((start - EPHEMERAL_FIRST + i) % span);
      if (!space.ports.has(`${kind}:${port}`)) return port;
    }
    return 0;
  }

  async #connect(s: HostSocket, remote: SocketAddress): Promise<object> {
    if (s.peer) return { errno: 30 /* EISCONN */ };
    if (!s.local) {
      const bound = this.#bind(s, { ip: '0.0.0.0', port: 0 });
      if ('errno' in bound) return bound;
    }
    // The source address: the loopback for a loopback peer, else the pod's address.
    const ownIp = isLoopback(remote.ip) ? remote.ip : (s.space.ns.ips[0] ?? '0.0.0.0');
    if (isUnspecified(s.local!.ip)) s.local = { ip: ownIp, port: s.local!.port };
    const result = await s.space.ns.connect(s.kind, s.local!, remote, s);
    if ('errno' in result) {
      this.#release(s);
      s.local = undefined;
      return result;
    }
    if (s.closed) {
      result.peer.close(0);
      return { errno: ERRNO.BADF };
    }
    s.peer = result.peer;
    s.remote = remote;
    s.setState(CONNECTED);
    return { local: wire(s.local!), peer: wire(remote) };
  }

  #release(s: HostSocket): void {
    if (s.portKey && s.space.ports.get(s.portKey) === s) s.space.ports.delete(s.portKey);
    s.portKey = undefined;
  }

  #close(s: HostSocket): void {
    if (s.closed) return;
    // Unread bytes make Linux send a reset; otherwise the other side reads EOF after what is still to be sent.
    const unread = s.queued > 0 || (s.hdr && ((Atomics.load(s.hdr, RX_TAIL) - Atomics.load(s.hdr, RX_HEAD)) | 0) > 0);
    s.finishAll(unread ? ERRNO.CONNRESET : 0);
    s.closed = true;
    this.#release(s);
    s.space.sockets--;
    for (const p of s.pending.splice(0)) {
      p.peer?.close(ERRNO.CONNRESET);
      s.space.sockets--;
    }
    if (s.space.runs === 0 && s.space.sockets === 0) this.#spaces.delete(s.space.ns.id);
  }

  #dropInstance(inst: Instance): void {
    this.#instances.delete(inst.key);
    for (const s of inst.sockets.values()) this.#close(s);
    inst.sockets.clear();
  }

  #ring(inst: Instance): void {
    Atomics.add(inst.slots, DOORBELL, 1);
    Atomics.notify(inst.slots, DOORBELL);
  }

  #answer(inst: Instance, value: object): void {
    const bytes = new TextEncoder().encode(JSON.stringify(value));
    inst.payload.set(bytes.subarray(0, inst.payload.length));
    Atomics.store(inst.slots, ANSWER_LEN, bytes.length);
    Atomics.store(inst.slots, ANSWER, 1);
    Atomics.notify(inst.slots, ANSWER);
  }

  close(): void {
    for (const inst of [...this.#instances.values()]) this.#dropInstance(inst);
    networks.delete(this.name);
    this.#channel?.close();
  }
}
