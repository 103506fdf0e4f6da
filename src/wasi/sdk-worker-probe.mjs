// Runs first in each of @wasmer/sdk's worker threads (see sdk-workers.ts),
// where the SDK instantiates guest programs. It wraps each guest's WASI
// imports for two things.
//
// 1. One answer per path per call. Resolving a path, the SDK stats the same
//    path of a mounted directory two or three times within one WASI call
//    (path_open of /etc/hello/greeting: seven stats, four distinct), and each
//    stat is a round trip to the runner's thread (~0.1-0.2 ms). Within one
//    WASI call, a stat answer is reused until any other filesystem method
//    runs; every WASI call starts with none.
//
// 2. Resource usage, shared with the runner that started the program:
//
// - The runner puts `PODPLAY_USAGE=<channel>/<run>` in the program's
//   environment. When the guest reads its environment (Go's runtime does so
//   first thing), the probe takes that entry out of guest memory again: it
//   zeroes the string, which Go's os.Environ and Getenv skip, so the program
//   never sees it.
// - Per run, a SharedArrayBuffer of four float64s is posted once: in the
//   browser to the worker's parent, the runner's thread, where sdk-workers.ts
//   takes it before the SDK sees it (Chromium does not carry a
//   SharedArrayBuffer over a BroadcastChannel); in Node on the
//   BroadcastChannel `podplay-usage/<channel>`. It holds [linear memory bytes, CPU ms
//   before the current slice, start of the current slice (epoch ms; 0 while
//   blocked), ended (1)]. The runner reads it at any time, even while the
//   guest spins in a loop that never calls the host.
// - CPU time is the time the guest spent outside its blocking calls
//   (poll_oneoff, which is how Go sleeps, and fd_read): guest code and quick
//   host calls. Memory is the guest's linear memory, sampled at each host
//   call (it only grows).
// Plain JavaScript without imports: Vite copies it as it is.

const MARKER = 'PODPLAY_USAGE=';
const BLOCKING = new Set(['poll_oneoff', 'fd_read']);
const USAGE_MESSAGE = 'podplay-usage';
const SLOTS = 5;
/** slots[KILL] set by the host: the instance is to die as the OOM killer kills (SIGKILL). */
const KILL = 4;
const inBrowserWorker = typeof globalThis.WorkerGlobalScope !== 'undefined';
const channels = new Map();
/** Stat answers of the current WASI call: [mount, path] → value or error. */
const statCache = new Map();
const now = () => performance.timeOrigin + performance.now();

function report(name, run, slots, pid) {
  if (inBrowserWorker) {
    globalThis.postMessage({ type: USAGE_MESSAGE, channel: name, run, slots, pid });
    return;
  }
  let c = channels.get(name);
  if (!c) {
    c = new BroadcastChannel(`${USAGE_MESSAGE}/${name}`);
    c.unref?.();
    channels.set(name, c);
  }
  c.postMessage({ run, slots, pid });
}

function readCString(bytes, at) {
  let end = at;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(at, end));
}

/** Wraps one guest's WASI imports; `memory` is set once the instance exists. */
function probeImports(wasi, state) {
  const sample = () => {
    if (state.slots && state.memory) state.slots[0] = state.memory.buffer.byteLength;
  };
  const wrapped = {};
  for (const [name, raw] of Object.entries(wasi)) {
    if (typeof raw !== 'function') {
      wrapped[name] = raw;
      continue;
    }
    // Each WASI call starts without stat answers (see 1. above).
    const fn = function () {
      if (statCache.size) statCache.clear();
      if (state.slots && state.slots[KILL] === 1 && typeof wasi.proc_exit === 'function') {
        state.slots[KILL] = 2;
        end(state.slots);
        return wasi.proc_exit(137);
      }
      return raw.apply(undefined, arguments);
    };
    if (name === 'environ_sizes_get') {
      wrapped[name] = function (countPtr, sizePtr) {
        const r = fn.apply(undefined, arguments);
        if (state.memory) state.environCount = new DataView(state.memory.buffer).getUint32(countPtr, true);
        return r;
      };
    } else if (name === 'environ_get') {
      wrapped[name] = function (environPtr) {
        const r = fn.apply(undefined, arguments);
        if (state.memory && !state.slots) claim(state, environPtr);
        sample();
        return r;
      };
    } else if (name === 'proc_exit') {
      wrapped[name] = function () {
        if (state.slots) end(state.slots);
        return fn.apply(undefined, arguments);
      };
    } else if (BLOCKING.has(name)) {
      wrapped[name] = function () {
        const slots = state.slots;
        if (!slots) return fn.apply(undefined, arguments);
        const t = now();
        if (slots[2] > 0) slots[1] += t - slots[2];
        slots[2] = 0;
        try {
          return fn.apply(undefined, arguments);
        } finally {
          slots[2] = now();
          sample();
        }
      };
    } else {
      wrapped[name] = function () {
        sample();
        return fn.apply(undefined, arguments);
      };
    }
  }
  return { wrapped, state };
}

function end(slots) {
  const t = now();
  if (slots[2] > 0) slots[1] += t - slots[2];
  slots[2] = 0;
  slots[3] = 1;
}

/** Finds the marker among the environment the guest just read, takes it out, and posts the slots. */
function claim(state, environPtr) {
  const bytes = new Uint8Array(state.memory.buffer);
  const view = new DataView(state.memory.buffer);
  for (let i = 0; i < state.environCount; i++) {
    const at = view.getUint32(environPtr + 4 * i, true);
    if (bytes[at] !== 0x50 /* P */) continue;
    const entry = readCString(bytes, at);
    if (!entry.startsWith(MARKER)) continue;
    bytes[at] = 0;
    // name/run, and /pid for a child a guest started (its container pid).
    const [name, run, pid] = entry.slice(MARKER.length).split('/');
    if (!name || !run) return;
    // [memory, cpu ms, running since, ended, kill asked (the container's memory limit)]
    const slots = new Float64Array(new SharedArrayBuffer(SLOTS * 8));
    slots[0] = state.memory.buffer.byteLength;
    slots[2] = state.startedAt;
    state.slots = slots;
    state.identity = { name, run, pid: pid ? Number(pid) : undefined };
    report(name, run, slots.buffer, pid ? Number(pid) : undefined);
    return;
  }
}

/** The guest's linear memory: its own export, or the memory it imports. */
function memoryOf(instance, imports) {
  if (instance.exports.memory instanceof WebAssembly.Memory) return instance.exports.memory;
  for (const ns of Object.values(imports ?? {})) {
    for (const v of Object.values(ns ?? {})) if (v instanceof WebAssembly.Memory) return v;
  }
  return undefined;
}

function probed(imports) {
  if (typeof imports?.wasi_snapshot_preview1?.environ_get !== 'function') return undefined;
  const state = { memory: undefined, slots: undefined, identity: undefined, environCount: 0 };
  // The guest's sockets (sdk-worker-net.mjs, loaded before this file), under the usage figures.
  const withNetwork = globalThis.__podplayWrapNetwork ? globalThis.__podplayWrapNetwork(imports, state) : imports;
  const { wrapped } = probeImports(withNetwork.wasi_snapshot_preview1, state);
  state.startedAt = now();
  return { imports: { ...withNetwork, wasi_snapshot_preview1: wrapped }, state };
}

/** Wraps the SDK's synchronous call into the host filesystem once it is installed (see 1. above). */
function cacheStats(call) {
  return function (mount, method, args) {
    if (method !== 'stat') {
      if (statCache.size) statCache.clear();
      return call.apply(this, arguments);
    }
    const key = `${mount}\0${args[0]}`;
    let hit = statCache.get(key);
    if (!hit) {
      try {
        hit = { value: call.apply(this, arguments) };
      } catch (error) {
        hit = { error };
      }
      statCache.set(key, hit);
    }
    if (hit.error) throw hit.error;
    return hit.value;
  };
}
let hostFileSystem;
Object.defineProperty(globalThis, '__wasmerHostFileSystem', {
  configurable: true,
  get: () => hostFileSystem,
  set: (call) => {
    hostFileSystem = typeof call === 'function' ? cacheStats(call) : call;
  },
});

const Instance = WebAssembly.Instance;
WebAssembly.Instance = new Proxy(Instance, {
  construct(target, args, newTarget) {
    const p = probed(args[1]);
    if (!p) return Reflect.construct(target, args, newTarget);
    const instance = Reflect.construct(target, [args[0], p.imports], newTarget);
    p.state.memory = memoryOf(instance, p.imports);
    return instance;
  },
});
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = function (source, imports) {
  const p = source instanceof WebAssembly.Module ? probed(imports) : undefined;
  if (!p) return instantiate.apply(this, arguments);
  return instantiate.call(this, source, p.imports).then((instance) => {
    p.state.memory = memoryOf(instance, p.imports);
    return instance;
  });
};
