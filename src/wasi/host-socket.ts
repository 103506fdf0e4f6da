/**
 * One guest socket as the node holds it (see guest-network.ts): the rings
 * of the SharedArrayBuffer the guest made, bytes from the connection's other
 * end queued until the rx ring has room (its sender paused past
 * {@link QUEUE_HIGH}), and what the guest wrote sent on.
 */
import type { NetNamespace, Peer, PeerEvents, SocketAddress, SocketKind } from './guest-network.ts';
import { ERRNO } from './guest-network.ts';

/** Bytes held for a socket beyond its ring before the sender is paused. */
const QUEUE_HIGH = 256 * 1024;

// Must match sdk-worker-net.mjs.
const HEADER_BYTES = 64;
export const RX_HEAD = 0;
export const RX_TAIL = 1;
const RX_EOF = 2;
const TX_HEAD = 3;
const TX_TAIL = 4;
const TX_NOTIFY = 5;
const STATE = 6;
const CONNECTED = 2;
const ERROR = 7;
const RX_WANT = 9;
const RESET = 3;

/** What a socket's ports and sockets are counted in: a pod's network namespace. */
export interface SocketSpace {
  ns: NetNamespace;
  runs: number;
  /** Bound ports: `stream:8080` -> socket. */
  ports: Map<string, HostSocket>;
  sockets: number;
}

/** One socket, from the node's side. */
export class HostSocket implements PeerEvents {
  readonly kind: SocketKind;
  readonly space: SocketSpace;
  /** Rings the doorbell of the instance that holds this socket (a listener's, until accepted). */
  ring: () => void;
  hdr?: Int32Array;
  rx?: Uint8Array;
  tx?: Uint8Array;
  local?: SocketAddress;
  remote?: SocketAddress;
  peer?: Peer;
  /** Bytes from the peer not yet in the rx ring. */
  readonly queue: Uint8Array[] = [];
  queued = 0;
  #eofPending = false;
  #peerPaused = false;
  #pausedPeer = false;
  #remoteGone = false;
  /** Connections waiting for accept (a listener's). */
  readonly pending: HostSocket[] = [];
  listening = false;
  closed = false;
  portKey?: string;

  constructor(kind: SocketKind, space: SocketSpace, ring: () => void, sab?: SharedArrayBuffer) {
    this.kind = kind;
    this.space = space;
    this.ring = ring;
    if (sab) this.attach(sab);
  }

  /** A reset that came before the guest accepted the connection (no buffer yet to say it in). */
  #resetBeforeAttach = 0;
  /** What the guest did that the other side hears once its last bytes are sent (it had asked to wait). */
  #endAfterDrain = false;
  #closeAfterDrain?: number;

  attach(sab: SharedArrayBuffer): void {
    const ringBytes = (sab.byteLength - HEADER_BYTES) / 2;
    this.hdr = new Int32Array(sab, 0, HEADER_BYTES / 4);
    this.rx = new Uint8Array(sab, HEADER_BYTES, ringBytes);
    this.tx = new Uint8Array(sab, HEADER_BYTES + ringBytes, ringBytes);
  }

  /** The state an accepted connection starts in: connected, or reset if its other side already went. */
  get acceptedState(): number {
    return this.#resetBeforeAttach ? RESET : CONNECTED;
  }

  setState(state: number, errno = 0): void {
    if (!this.hdr) {
      if (state === RESET) this.#resetBeforeAttach = errno || ERRNO.CONNRESET;
      return;
    }
    if (errno) Atomics.store(this.hdr, ERROR, errno);
    else if (state === RESET && this.#resetBeforeAttach) Atomics.store(this.hdr, ERROR, this.#resetBeforeAttach);
    Atomics.store(this.hdr, STATE, state);
  }

  /** The guest shut its writing side: the other side reads EOF after what is still to be sent. */
  finishWriting(): void {
    this.#endAfterDrain = true;
    this.drain();
  }

  /** The guest closed the socket: the other side hears it after what is still to be sent. */
  finishAll(errno: number): void {
    this.#closeAfterDrain = errno;
    this.drain();
  }

  // PeerEvents: what the other side does.
  data(bytes: Uint8Array): void {
    if (this.closed) return;
    const chunk = this.kind === 'dgram' ? framed(bytes) : bytes;
    this.queue.push(chunk);
    this.queued += chunk.length;
    this.flush();
    if (this.queued > QUEUE_HIGH && !this.#pausedPeer && this.peer) {
      this.#pausedPeer = true;
      this.peer.pause();
    }
  }

  end(): void {
    this.#eofPending = true;
    this.flush();
  }

  close(errno = 0): void {
    this.#remoteGone = true;
    if (errno) {
      this.setState(RESET, errno);
      this.ring();
    } else this.end();
  }

  pause(): void {
    this.#peerPaused = true;
  }

  resume(): void {
    this.#peerPaused = false;
    this.drain();
  }

  /** Moves queued bytes into the rx ring, as far as it has room. */
  flush(): void {
    const hdr = this.hdr;
    const rx = this.rx;
    if (!hdr || !rx) return;
    let moved = false;
    while (this.queue.length) {
      const chunk = this.queue[0]!;
      const room = () => rx.length - ((Atomics.load(hdr, RX_TAIL) - Atomics.load(hdr, RX_HEAD)) | 0);
      const fits = (free: number) => free > 0 && (this.kind !== 'dgram' || free >= chunk.length);
      if (!fits(room())) {
        // Ask for word of room first, then look again: a guest that emptied the ring in between sees the flag.
        Atomics.store(hdr, RX_WANT, 1);
        if (!fits(room())) break;
        Atomics.store(hdr, RX_WANT, 0);
      }
      const n = ringWrite(rx, hdr, RX_HEAD, RX_TAIL, chunk);
      moved = true;
      this.queued -= n;
      if (n < chunk.length) {
        this.queue[0] = chunk.subarray(n);
        break;
      }
      this.queue.shift();
    }
    if (this.queue.length) Atomics.store(hdr, RX_WANT, 1);
    else if (this.#eofPending && Atomics.load(hdr, RX_EOF) === 0) {
      Atomics.store(hdr, RX_EOF, 1);
      moved = true;
    }
    if (this.#pausedPeer && this.queued < QUEUE_HIGH / 2) {
      this.#pausedPeer = false;
      this.peer?.resume();
    }
    if (moved) this.ring();
  }

  /** Sends what the guest wrote, unless the other side asked to wait; then its end or close, if the guest has given them. */
  drain(): void {
    const hdr = this.hdr;
    const tx = this.tx;
    if (!hdr || !tx) return this.#afterDrain();
    Atomics.store(hdr, TX_NOTIFY, 0);
    if (this.#peerPaused) return;
    const size = (Atomics.load(hdr, TX_TAIL) - Atomics.load(hdr, TX_HEAD)) | 0;
    if (size <= 0) return this.#afterDrain();
    const bytes = new Uint8Array(size);
    ringRead(tx, hdr, TX_HEAD, TX_TAIL, bytes);
    this.ring();
    if (this.#remoteGone && this.kind === 'stream') {
      // Writing to a connection the other side has closed: Linux answers with a reset, then EPIPE.
      this.setState(RESET, ERRNO.PIPE);
      this.ring();
      return;
    }
    if (!this.peer) return;
    if (this.kind === 'stream') this.peer.send(bytes);
    else for (const d of unframe(bytes)) this.peer.send(d);
    this.#afterDrain();
  }

  #afterDrain(): void {
    if (this.#peerPaused) return;
    if (this.#endAfterDrain) {
      this.#endAfterDrain = false;
      this.peer?.end();
    }
    if (this.#closeAfterDrain !== undefined) {
      const errno = this.#closeAfterDrain;
      this.#closeAfterDrain = undefined;
      this.peer?.close(errno);
    }
  }
}

function framed(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 2);
  out[0] = bytes.length >> 8;
  out[1] = bytes.length & 0xff;
  out.set(bytes, 2);
  return out;
}

function unframe(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at + 2 <= bytes.length; ) {
    const n = (bytes[at]! << 8) | bytes[at + 1]!;
    out.push(bytes.slice(at + 2, at + 2 + n));
    at += 2 + n;
  }
  return out;
}

function ringWrite(ring: Uint8Array, hdr: Int32Array, head: number, tail: number, src: Uint8Array): number {
  const t = Atomics.load(hdr, tail);
  const n = Math.min(src.length, ring.length - ((t - Atomics.load(hdr, head)) | 0));
  const at = t & (ring.length - 1);
  const first = Math.min(n, ring.length - at);
  ring.set(src.subarray(0, first), at);
  if (n > first) ring.set(src.subarray(first, n), 0);
  Atomics.store(hdr, tail, (t + n) | 0);
  return n;
}

function ringRead(ring: Uint8Array, hdr: Int32Array, head: number, tail: number, dst: Uint8Array): number {
  const h = Atomics.load(hdr, head);
  const n = Math.min(dst.length, (Atomics.load(hdr, tail) - h) | 0);
  const at = h & (ring.length - 1);
  const first = Math.min(n, ring.length - at);
  dst.set(ring.subarray(at, at + first));
  if (n > first) dst.set(ring.subarray(0, n - first), first);
  Atomics.store(hdr, head, (h + n) | 0);
  return n;
}

