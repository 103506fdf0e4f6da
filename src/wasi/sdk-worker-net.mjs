// Runs in each of @wasmer/sdk's worker threads, beside sdk-worker-probe.mjs,
// which calls wrapNetwork() for every guest instance. It answers the guest's
// WASIX socket calls (sock_open, sock_bind, sock_listen, sock_connect,
// sock_accept, sock_addr_local/peer, sock_shutdown) and the WASI calls on the
// socket fds it hands out (fd_read, fd_write, fd_close, fd_fdstat_*,
// poll_oneoff), so that a guest's sockets reach the node: see
// guest-network.ts for the other half and docs/network.md for the design.
//
// - Socket fds count from VFD_BASE, far above the fds the SDK hands out.
// - Each socket is one SharedArrayBuffer made here and posted to the node:
//   a header of Int32 slots and two byte rings (rx: node -> guest, tx:
//   guest -> node), each with one writer and one reader.
// - Calls that need the node's answer (bind, connect, accept, ...) post a
//   request and wait with Atomics.wait on the instance's control buffer,
//   whose payload carries the JSON answer.
// - The node rings the instance's doorbell (slot 0 of the control buffer)
//   after every change to any of its sockets; poll_oneoff waits on it, so a
//   guest waiting only on sockets and timers sleeps without spinning.
// Plain JavaScript without imports: Vite copies it as it is.

const NET_MESSAGE = 'podplay-net';
const VFD_BASE = 1 << 24;
const RING = 1 << 15;
const HEADER_BYTES = 64;
// Header slots of a socket's buffer.
const RX_HEAD = 0;
const RX_TAIL = 1;
const RX_EOF = 2;
const TX_HEAD = 3;
const TX_TAIL = 4;
const TX_NOTIFY = 5;
const STATE = 6;
const ERROR = 7;
const PENDING = 8;
const RX_WANT = 9;
// STATE values.
const LISTENING = 1;
const CONNECTED = 2;
const RESET = 3;
// The control buffer: doorbell, answer ready, answer length, then the answer.
const DOORBELL = 0;
const ANSWER = 1;
const ANSWER_LEN = 2;
const CONTROL_BYTES = 16 + (1 << 16);
const ANSWER_TIMEOUT_MS = 30_000;
// WASI errno values.
const E = { AGAIN: 6, BADF: 8, INVAL: 28, MFILE: 33, MSGSIZE: 35, NOTCONN: 53, NOTSUP: 58, PIPE: 64, TIMEDOUT: 73, CONNRESET: 15, NOSYS: 52 };
const FILETYPE_SOCKET_DGRAM = 5;
const FILETYPE_SOCKET_STREAM = 6;
const FDFLAG_NONBLOCK = 4;
const EVENT_CLOCK = 0;
const EVENT_FD_READ = 1;
const EVENT_FD_WRITE = 2;
const HANGUP = 1;
/** How long one wait may last while the guest also waits on the SDK's own fds. */
const MIXED_SLICE_MS = 10;
/** The userdata of the clock subscription added for a mixed wait. */
const OWN_CLOCK = 0xfffffff0n;

const inBrowserWorker = typeof globalThis.WorkerGlobalScope !== 'undefined';
const channels = new Map();
const decoder = new TextDecoder();
const encoder = new TextEncoder();
const now = () => performance.now();

function post(name, message) {
  if (inBrowserWorker) {
    globalThis.postMessage({ ...message, channel: name });
    return;
  }
  let c = channels.get(name);
  if (!c) {
    c = new BroadcastChannel(`${NET_MESSAGE}/${name}`);
    c.unref?.();
    channels.set(name, c);
  }
  c.postMessage(message);
}

/** The ring's used bytes. */
const used = (hdr, head, tail) => (Atomics.load(hdr, tail) - Atomics.load(hdr, head)) | 0;

function ringRead(ring, hdr, head, tail, dst) {
  const h = Atomics.load(hdr, head);
  const n = Math.min(dst.length, (Atomics.load(hdr, tail) - h) | 0);
  const at = h & (ring.length - 1);
  const first = Math.min(n, ring.length - at);
  dst.set(ring.subarray(at, at + first));
  if (n > first) dst.set(ring.subarray(0, n - first), first);
  Atomics.store(hdr, head, (h + n) | 0);
  return n;
}

function ringWrite(ring, hdr, head, tail, src) {
  const t = Atomics.load(hdr, tail);
  const n = Math.min(src.length, ring.length - ((t - Atomics.load(hdr, head)) | 0));
  const at = t & (ring.length - 1);
  const first = Math.min(n, ring.length - at);
  ring.set(src.subarray(0, first), at);
  if (n > first) ring.set(src.subarray(first, n), 0);
  Atomics.store(hdr, tail, (t + n) | 0);
  return n;
}

/**
 * Wraps a guest's imports so that its sockets reach the node. `state` is the
 * probe's: `state.memory` once the instance exists, `state.identity`
 * ({ name, run, pid }) once the guest has read its environment.
 */
function wrapNetwork(imports, state) {
  const wasi = imports.wasi_snapshot_preview1;
  const wasix = imports.wasix_32v1;
  if (!wasi) return imports;
  const sockets = new Map();
  let nextFd = VFD_BASE;
  let control;
  let key;

  const mem = () => new DataView(state.memory.buffer);
  const bytes = () => new Uint8Array(state.memory.buffer);
  const isSocket = (fd) => fd >= VFD_BASE && sockets.has(fd);

  function hello() {
    if (control) return true;
    const id = state.identity;
    if (!id || !state.memory) return false;
    const sab = new SharedArrayBuffer(CONTROL_BYTES);
    control = { sab, slots: new Int32Array(sab, 0, 4), payload: new Uint8Array(sab, 16) };
    key = `${id.run}/${id.pid ?? ''}/${Math.random().toString(36).slice(2)}`;
    post(id.name, { type: NET_MESSAGE, op: 'hello', instance: key, run: id.run, pid: id.pid, control: sab });
    return true;
  }

  let seq = 0;

  /** Asks the node and waits for its answer: { errno } or the op's fields. A late answer to an earlier question is passed over. */
  function ask(message) {
    const mine = ++seq;
    Atomics.store(control.slots, ANSWER, 0);
    post(state.identity.name, { type: NET_MESSAGE, instance: key, seq: mine, ...message });
    const deadline = now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      while (Atomics.load(control.slots, ANSWER) === 0) {
        const left = deadline - now();
        if (left <= 0) return { errno: E.TIMEDOUT };
        Atomics.wait(control.slots, ANSWER, 0, left);
      }
      const len = Atomics.load(control.slots, ANSWER_LEN);
      const answer = JSON.parse(decoder.decode(control.payload.slice(0, len)));
      if (answer.seq === mine) return answer;
      Atomics.store(control.slots, ANSWER, 0);
    }
  }

  function tell(message) {
    post(state.identity.name, { type: NET_MESSAGE, instance: key, ...message });
  }

  function newSocket(kind) {
    const sab = new SharedArrayBuffer(HEADER_BYTES + 2 * RING);
    const fd = nextFd++;
    const sock = {
      fd,
      kind,
      sab,
      hdr: new Int32Array(sab, 0, HEADER_BYTES / 4),
      rx: new Uint8Array(sab, HEADER_BYTES, RING),
      tx: new Uint8Array(sab, HEADER_BYTES + RING, RING),
      nonblock: true,
      readShut: false,
      local: undefined,
      peer: undefined,
    };
    return sock;
  }

  function readAddr(ptr) {
    const b = bytes();
    const family = b[ptr];
    const port = (b[ptr + 2] << 8) | b[ptr + 3];
    const raw = Array.from(b.subarray(ptr + 4, ptr + (family === 1 ? 8 : 20)));
    return { family: family === 1 ? 4 : 6, ip: raw, port };
  }

  function writeAddr(ptr, addr) {
    const b = bytes();
    b.fill(0, ptr, ptr + 20);
    b[ptr] = addr.family === 4 ? 1 : 2;
    b[ptr + 2] = addr.port >> 8;
    b[ptr + 3] = addr.port & 0xff;
    b.set(addr.ip, ptr + 4);
  }

  function iovecs(ptr, count) {
    const v = mem();
    const list = [];
    for (let i = 0; i < count; i++) list.push([v.getUint32(ptr + 8 * i, true), v.getUint32(ptr + 8 * i + 4, true)]);
    return list;
  }

  /** Waits until the doorbell rings or `ms` pass (without a doorbell, just sleeps). */
  function waitDoorbell(seen, ms) {
    Atomics.wait(control.slots, DOORBELL, seen, Math.max(0, ms));
  }

  function readable(sock) {
    const h = sock.hdr;
    if (Atomics.load(h, STATE) === LISTENING) return Atomics.load(h, PENDING) > 0;
    return sock.readShut || used(h, RX_HEAD, RX_TAIL) > 0 || Atomics.load(h, RX_EOF) === 1 || Atomics.load(h, STATE) === RESET;
  }

  function writable(sock) {
    const h = sock.hdr;
    const st = Atomics.load(h, STATE);
    if (st === RESET) return true;
    if (st !== CONNECTED) return false;
    return used(h, TX_HEAD, TX_TAIL) < RING - (sock.kind === 'dgram' ? 2 + 1500 : 0);
  }

  /** The node has bytes waiting for room in the ring: say there is some. */
  function afterRead(sock) {
    if (Atomics.compareExchange(sock.hdr, RX_WANT, 1, 0) === 1) tell({ op: 'rx-space', sock: sock.fd });
  }

  function sockRead(sock, iovs, count, nreadPtr) {
    const h = sock.hdr;
    for (;;) {
      const seen = Atomics.load(control.slots, DOORBELL);
      if (sock.readShut) {
        mem().setUint32(nreadPtr, 0, true);
        return 0;
      }
      // The end and a reset are read before the ring: the node sets them after the last bytes.
      const eof = Atomics.load(h, RX_EOF) === 1;
      const st = Atomics.load(h, STATE);
      if (used(h, RX_HEAD, RX_TAIL) > 0) {
        const list = iovecs(iovs, count);
        let total = 0;
        if (sock.kind === 'dgram') {
          const lenBytes = new Uint8Array(2);
          ringRead(sock.rx, h, RX_HEAD, RX_TAIL, lenBytes);
          let left = (lenBytes[0] << 8) | lenBytes[1];
          const datagram = new Uint8Array(left);
          ringRead(sock.rx, h, RX_HEAD, RX_TAIL, datagram);
          let from = 0;
          for (const [buf, len] of list) {
            const n = Math.min(len, left);
            bytes().set(datagram.subarray(from, from + n), buf);
            from += n;
            left -= n;
            total += n;
            if (!left) break;
          }
        } else {
          for (const [buf, len] of list) {
            if (!len) continue;
            const n = ringRead(sock.rx, h, RX_HEAD, RX_TAIL, bytes().subarray(buf, buf + len));
            total += n;
            if (n < len) break;
          }
        }
        afterRead(sock);
        mem().setUint32(nreadPtr, total, true);
        return 0;
      }
      if (st === RESET) return Atomics.load(h, ERROR) || E.CONNRESET;
      if (eof) {
        mem().setUint32(nreadPtr, 0, true);
        return 0;
      }
      if (st !== CONNECTED) return E.NOTCONN;
      afterRead(sock);
      if (sock.nonblock) return E.AGAIN;
      waitDoorbell(seen, 1000);
    }
  }

  function sockWrite(sock, iovs, count, nwrittenPtr) {
    const h = sock.hdr;
    const list = iovecs(iovs, count);
    const size = list.reduce((n, [, len]) => n + len, 0);
    for (;;) {
      const seen = Atomics.load(control.slots, DOORBELL);
      const st = Atomics.load(h, STATE);
      if (st === RESET) return Atomics.load(h, ERROR) || E.PIPE;
      if (st !== CONNECTED) return E.NOTCONN;
      if (sock.writeShut) return E.PIPE;
      const free = RING - used(h, TX_HEAD, TX_TAIL);
      let total = 0;
      if (sock.kind === 'dgram') {
        if (size > 65507 || size + 2 > RING) return E.MSGSIZE;
        if (free >= size + 2) {
          const datagram = new Uint8Array(size + 2);
          datagram[0] = size >> 8;
          datagram[1] = size & 0xff;
          let at = 2;
          for (const [buf, len] of list) {
            datagram.set(bytes().subarray(buf, buf + len), at);
            at += len;
          }
          ringWrite(sock.tx, h, TX_HEAD, TX_TAIL, datagram);
          total = size;
        }
      } else {
        for (const [buf, len] of list) {
          if (!len) continue;
          const n = ringWrite(sock.tx, h, TX_HEAD, TX_TAIL, bytes().subarray(buf, buf + len));
          total += n;
          if (n < len) break;
        }
      }
      if (total > 0 || size === 0) {
        if (total > 0 && Atomics.compareExchange(h, TX_NOTIFY, 0, 1) === 0) tell({ op: 'tx', sock: sock.fd });
        mem().setUint32(nwrittenPtr, total, true);
        return 0;
      }
      if (sock.nonblock) return E.AGAIN;
      waitDoorbell(seen, 1000);
    }
  }

  const sub = (v, at) => ({
    at,
    userdata: v.getBigUint64(at, true),
    tag: v.getUint8(at + 8),
    fd: v.getUint32(at + 16, true),
    timeout: v.getBigUint64(at + 24, true),
    flags: v.getUint16(at + 40, true),
  });

  function writeEvents(outPtr, neventsPtr, events) {
    const v = mem();
    events.forEach((e, i) => {
      const at = outPtr + 32 * i;
      new Uint8Array(state.memory.buffer, at, 32).fill(0);
      v.setBigUint64(at, e.userdata, true);
      v.setUint16(at + 8, e.error ?? 0, true);
      v.setUint8(at + 10, e.tag);
      v.setBigUint64(at + 16, BigInt(e.nbytes ?? 0), true);
      v.setUint16(at + 24, e.hangup ? HANGUP : 0, true);
    });
    v.setUint32(neventsPtr, events.length, true);
    return 0;
  }

  function socketEvents(subs) {
    const events = [];
    for (const s of subs) {
      const sock = sockets.get(s.fd);
      if (!sock) {
        events.push({ userdata: s.userdata, tag: s.tag, error: E.BADF });
        continue;
      }
      const reset = Atomics.load(sock.hdr, STATE) === RESET;
      if (s.tag === EVENT_FD_READ && readable(sock)) {
        events.push({ userdata: s.userdata, tag: s.tag, nbytes: used(sock.hdr, RX_HEAD, RX_TAIL), hangup: reset || Atomics.load(sock.hdr, RX_EOF) === 1 });
      } else if (s.tag === EVENT_FD_WRITE && writable(sock)) {
        events.push({ userdata: s.userdata, tag: s.tag, nbytes: RING - used(sock.hdr, TX_HEAD, TX_TAIL), hangup: reset });
      }
    }
    return events;
  }

  /** poll_oneoff when some subscriptions are sockets. */
  function poll(raw, inPtr, outPtr, nsubs, neventsPtr) {
    const v = mem();
    const all = [];
    for (let i = 0; i < nsubs; i++) all.push(sub(v, inPtr + 48 * i));
    const socketSubs = all.filter((s) => s.tag !== EVENT_CLOCK && isSocket(s.fd));
    if (!socketSubs.length) return raw(inPtr, outPtr, nsubs, neventsPtr);
    const others = all.filter((s) => !socketSubs.includes(s));
    const clocks = others.filter((s) => s.tag === EVENT_CLOCK);
    const fdSubs = others.filter((s) => s.tag !== EVENT_CLOCK);
    const start = now();
    // Clocks are relative (Go's runtime asks so); an absolute one is waited from now.
    const deadlines = clocks.map((s) => ({ s, at: s.flags & 1 ? start : start + Number(s.timeout) / 1e6 }));
    for (;;) {
      const seen = Atomics.load(control.slots, DOORBELL);
      const ready = socketEvents(socketSubs);
      const t = now();
      const due = deadlines.filter((d) => d.at <= t);
      if (ready.length || due.length) return writeEvents(outPtr, neventsPtr, [...ready, ...due.map((d) => ({ userdata: d.s.userdata, tag: EVENT_CLOCK }))]);
      const next = deadlines.length ? Math.min(...deadlines.map((d) => d.at)) - t : Infinity;
      if (!fdSubs.length) {
        waitDoorbell(seen, Math.min(next, 60_000));
        continue;
      }
      // The SDK's own fds too: ask it for them with a short clock, in place of the subscriptions, then put them back.
      const b = bytes();
      const saved = b.slice(inPtr, inPtr + 48 * nsubs);
      fdSubs.forEach((s, i) => b.set(saved.subarray(s.at - inPtr, s.at - inPtr + 48), inPtr + 48 * i));
      const own = inPtr + 48 * fdSubs.length;
      b.fill(0, own, own + 48);
      v.setBigUint64(own, OWN_CLOCK, true);
      v.setUint8(own + 8, EVENT_CLOCK);
      v.setBigUint64(own + 24, BigInt(Math.max(1, Math.round(Math.min(next, MIXED_SLICE_MS) * 1e6))), true);
      const errno = raw(inPtr, outPtr, fdSubs.length + 1, neventsPtr);
      bytes().set(saved, inPtr);
      if (errno !== 0) return errno;
      const w = mem();
      const n = w.getUint32(neventsPtr, true);
      const got = [];
      for (let i = 0; i < n; i++) {
        const at = outPtr + 32 * i;
        if (w.getBigUint64(at, true) === OWN_CLOCK) continue;
        got.push({ userdata: w.getBigUint64(at, true), error: w.getUint16(at + 8, true), tag: w.getUint8(at + 10), nbytes: Number(w.getBigUint64(at + 16, true)), hangup: w.getUint16(at + 24, true) === HANGUP });
      }
      if (got.length) return writeEvents(outPtr, neventsPtr, [...got, ...socketEvents(socketSubs)]);
    }
  }

  function open(kind, fdPtr) {
    if (!hello()) return E.NOTSUP;
    const sock = newSocket(kind);
    const answer = ask({ op: 'open', sock: sock.fd, kind, sab: sock.sab });
    if (answer.errno) return answer.errno;
    sockets.set(sock.fd, sock);
    mem().setUint32(fdPtr, sock.fd, true);
    return 0;
  }

  function accept(fd, fdPtr, addrPtr) {
    const ln = sockets.get(fd);
    if (!ln) return E.BADF;
    for (;;) {
      const seen = Atomics.load(control.slots, DOORBELL);
      if (Atomics.load(ln.hdr, STATE) !== LISTENING) return E.INVAL;
      if (Atomics.load(ln.hdr, PENDING) > 0) {
        const sock = newSocket(ln.kind);
        const answer = ask({ op: 'accept', sock: ln.fd, conn: sock.fd, sab: sock.sab });
        if (!answer.errno) {
          sock.local = answer.local;
          sock.peer = answer.peer;
          sockets.set(sock.fd, sock);
          mem().setUint32(fdPtr, sock.fd, true);
          if (addrPtr) writeAddr(addrPtr, answer.peer);
          return 0;
        }
        if (answer.errno !== E.AGAIN) return answer.errno;
      }
      if (ln.nonblock) return E.AGAIN;
      waitDoorbell(seen, 1000);
    }
  }

  const w = { ...wasi };
  const x = wasix ? { ...wasix } : undefined;
  const passFd = (name, handler) => {
    const raw = wasi[name];
    if (typeof raw !== 'function') return;
    w[name] = function (fd) {
      const sock = fd >= VFD_BASE ? sockets.get(fd) : undefined;
      if (!sock) return raw.apply(undefined, arguments);
      return handler(sock, ...Array.prototype.slice.call(arguments, 1));
    };
  };
  passFd('fd_read', (sock, iovs, count, nreadPtr) => sockRead(sock, iovs, count, nreadPtr));
  passFd('fd_write', (sock, iovs, count, nwrittenPtr) => sockWrite(sock, iovs, count, nwrittenPtr));
  passFd('fd_close', (sock) => {
    sockets.delete(sock.fd);
    tell({ op: 'close', sock: sock.fd });
    return 0;
  });
  passFd('fd_fdstat_get', (sock, ptr) => {
    const b = bytes();
    b.fill(0, ptr, ptr + 24);
    const v = mem();
    v.setUint8(ptr, sock.kind === 'dgram' ? FILETYPE_SOCKET_DGRAM : FILETYPE_SOCKET_STREAM);
    v.setUint16(ptr + 2, sock.nonblock ? FDFLAG_NONBLOCK : 0, true);
    v.setBigUint64(ptr + 8, 0xffffffffffffffffn, true);
    v.setBigUint64(ptr + 16, 0xffffffffffffffffn, true);
    return 0;
  });
  passFd('fd_fdstat_set_flags', (sock, flags) => {
    sock.nonblock = (flags & FDFLAG_NONBLOCK) !== 0;
    return 0;
  });
  passFd('fd_filestat_get', (sock, ptr) => {
    bytes().fill(0, ptr, ptr + 64);
    mem().setUint8(ptr + 16, sock.kind === 'dgram' ? FILETYPE_SOCKET_DGRAM : FILETYPE_SOCKET_STREAM);
    return 0;
  });
  passFd('sock_shutdown', (sock, how) => {
    if (how & 1) sock.readShut = true;
    if (how & 2 && !sock.writeShut) {
      sock.writeShut = true;
      tell({ op: 'shutdown', sock: sock.fd });
    }
    return Atomics.load(sock.hdr, STATE) === CONNECTED || Atomics.load(sock.hdr, STATE) === RESET ? 0 : E.NOTCONN;
  });
  if (typeof wasi.proc_exit === 'function') {
    w.proc_exit = function () {
      if (control) tell({ op: 'exit' });
      return wasi.proc_exit.apply(undefined, arguments);
    };
  }
  passFd('sock_accept', (sock, _flags, fdPtr) => accept(sock.fd, fdPtr, 0));
  if (typeof wasi.poll_oneoff === 'function') {
    const raw = wasi.poll_oneoff;
    w.poll_oneoff = function (inPtr, outPtr, nsubs, neventsPtr) {
      // A wait on relative clocks of 0 ns only (Go's runtime yielding) is due at once: @wasmer/sdk 0.16
      // never returns from it (cmd/compile hung there), so it is answered here.
      if (nsubs > 0 && state.memory) {
        const v = mem();
        const subs = [];
        for (let i = 0; i < nsubs; i++) subs.push(sub(v, inPtr + 48 * i));
        if (subs.every((s) => s.tag === EVENT_CLOCK && s.timeout === 0n && (s.flags & 1) === 0)) {
          return writeEvents(outPtr, neventsPtr, subs.map((s) => ({ userdata: s.userdata, tag: EVENT_CLOCK })));
        }
      }
      if (!sockets.size) return raw.apply(undefined, arguments);
      return poll(raw, inPtr, outPtr, nsubs, neventsPtr);
    };
  }
  if (x) {
    x.sock_open = (af, socktype, _proto, fdPtr) => {
      if (socktype !== 1 && socktype !== 2) return E.NOTSUP;
      if (af !== 1 && af !== 2) return E.NOTSUP;
      return open(socktype === 1 ? 'stream' : 'dgram', fdPtr);
    };
    const withSock = (fn) =>
      function (fd) {
        const sock = sockets.get(fd);
        if (!sock) return E.BADF;
        return fn(sock, ...Array.prototype.slice.call(arguments, 1));
      };
    x.sock_bind = withSock((sock, addrPtr) => {
      const answer = ask({ op: 'bind', sock: sock.fd, addr: readAddr(addrPtr) });
      if (answer.errno) return answer.errno;
      sock.local = answer.local;
      return 0;
    });
    x.sock_listen = withSock((sock, backlog) => {
      const answer = ask({ op: 'listen', sock: sock.fd, backlog });
      if (answer.errno) return answer.errno;
      sock.local = answer.local;
      return 0;
    });
    x.sock_connect = withSock((sock, addrPtr) => {
      const answer = ask({ op: 'connect', sock: sock.fd, addr: readAddr(addrPtr) });
      if (answer.errno) return answer.errno;
      sock.local = answer.local;
      sock.peer = answer.peer;
      return 0;
    });
    x.sock_addr_local = withSock((sock, addrPtr) => {
      if (!sock.local) return E.NOTCONN;
      writeAddr(addrPtr, sock.local);
      return 0;
    });
    x.sock_addr_peer = withSock((sock, addrPtr) => {
      if (!sock.peer) return E.NOTCONN;
      writeAddr(addrPtr, sock.peer);
      return 0;
    });
    x.sock_accept_v2 = withSock((sock, _flags, fdPtr, addrPtr) => accept(sock.fd, fdPtr, addrPtr));
  }
  return { ...imports, wasi_snapshot_preview1: w, ...(x ? { wasix_32v1: x } : {}) };
}

// sdk-worker-probe.mjs, loaded after this file, wraps every guest's imports with it.
globalThis.__podplayWrapNetwork = wrapNetwork;
