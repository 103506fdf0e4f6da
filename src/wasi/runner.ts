import type { Package, Process, Wasmer } from '@wasmer/sdk';
import { PodplayError, SIGNALS, sha256, type Digest } from '../shared/index.ts';
import { basename, type FileNode, type Vfs } from '../vfs/index.ts';
import { VfsFileServer } from './fs-server.ts';
import { withMemoryLimit } from './memory-limit.ts';
import { installModuleCache, registerModule } from './module-cache.ts';

/** Gives the compiled module for a program's bytes (the page compiles each distinct module once). */
export type ModuleCompiler = (bytes: Uint8Array) => Promise<WebAssembly.Module>;
import { installHostBridge, type HostMount } from './host-bridge.ts';
import { CONTROL_DIR, ControlMount, ControlService } from './control.ts';
import type { ProcessInfo, SignalAction } from './processes.ts';
import { USAGE_ENV } from './usage.ts';
import { resolveProgram, signalModel } from './program.ts';
import { isNode, loadSdk } from './sdk.ts';
import { UsageMonitor } from './usage.ts';
import { GuestNetwork, type NetNamespace } from './guest-network.ts';

/** How a run ended. `exited` covers every exit the program chose, 0 or not. */
export interface RunResult {
  kind: 'exited' | 'killed';
  exitCode: number;
  /** Killed because the group's processes together passed the memory limit (the OOM killer's SIGKILL). */
  oomKilled?: boolean;
  /** Set when reading the program's output failed: some output may be missing. */
  streamError?: string;
}

export interface RunSpec {
  /** The container's own tree. The guest reads and writes it live. */
  rootfs: Vfs;
  /** argv[0] names the program (a path, or a name looked up on PATH). */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** Bytes for stdin, then EOF; without it stdin is closed (like docker run without -i). */
  stdin?: Uint8Array | string;
  /** Keep stdin open for {@link RunningProgram.writeStdin} (docker run -i, kubectl attach). */
  interactive?: boolean;
  /** The most linear memory the program may grow to, in bytes (see withMemoryLimit). */
  memoryLimit?: number;
  /** Runs whose usage counts together (a container and its execs); see {@link WasiRunner.usage}. They share one process table. */
  usageGroup?: string;
  /** The most processes the group may have at once (docker run --pids-limit); see processes.ts. */
  pidsLimit?: number;
  /** The network namespace the program's sockets live in (a pod's); without it, sockets stay inside each process (Go's own fake network). */
  network?: NetNamespace;
  onStdout?: (chunk: Uint8Array) => void;
  onStderr?: (chunk: Uint8Array) => void;
}

/** What a signal did to a program's first process (its PID 1). */
export type SignalOutcome = 'ended' | 'ignored' | 'delivered';

export interface RunningProgram {
  readonly result: Promise<RunResult>;
  kill(): Promise<void>;
  /**
   * Sends a signal to the program's first process, which is PID 1 of its
   * container, and does what Linux would (see {@link signalEffect}).
   */
  signal(signal: number): Promise<SignalOutcome>;
  /** The container pid of the program's first process (1 for a container's program; execs come after). */
  readonly pid: number;
  /** Writes to an interactive program's stdin (false when its stdin is not open). */
  writeStdin(data: Uint8Array | string): Promise<boolean>;
  /** Closes stdin: the program reads EOF. */
  closeStdin(): Promise<void>;
}

/** What a signal does to a process: see {@link signalEffect}. */
export type SignalEffect =
  | { kind: 'ignored' }
  | { kind: 'notify' }
  | { kind: 'killed'; signal: number }
  | { kind: 'exited'; exitCode: number; stderr?: string };

/** Signals whose default action is to do nothing (signal(7): Ign), or to stop, which podplay does not model. */
const DEFAULT_IGNORED = new Set([SIGNALS.CHLD, SIGNALS.CONT, SIGNALS.URG, SIGNALS.WINCH, SIGNALS.STOP, SIGNALS.TSTP, SIGNALS.TTIN, SIGNALS.TTOU]);

/** Signals Go's runtime ends the program on (sigtable: _SigKill), silently. */
const GO_KILL = new Set([SIGNALS.HUP, SIGNALS.INT, SIGNALS.TERM]);
/** Signals Go's runtime throws on (_SigThrow): it prints the signal's name and a dump, and exits 2. */
const GO_THROW: Record<number, string> = { [SIGNALS.QUIT]: 'SIGQUIT: quit', [SIGNALS.ABRT]: 'SIGABRT: abort', [SIGNALS.ILL]: 'SIGILL: illegal instruction', [SIGNALS.TRAP]: 'SIGTRAP: trace trap', [SIGNALS.SYS]: 'SIGSYS: bad system call', [SIGNALS.STKFLT]: 'SIGSTKFLT: stack fault' };

/**
 * What Linux does with `signal` sent to a process (`pid1`: the container's
 * first process). wasip1 programs cannot install handlers, so podplay plays
 * the part of the one the program would have (docs/guest.md#signals):
 * - SIGKILL kills (128 + 9).
 * - A declared disposition (package guest, over the control directory) wins:
 *   `exit` ends the program with its status, `notify` hands the signal to
 *   the program, `ignore` leaves it running, `default` is the kernel's
 *   default action — which PID 1 is spared.
 * - A Go program has the Go runtime's handlers: on SIGTERM, SIGINT and
 *   SIGHUP the runtime re-raises the signal with the default action, which
 *   kills it (128 + N) — or, as PID 1, does nothing, and the runtime exits
 *   with status 2 (runtime.dieFromSignal); on SIGQUIT, SIGABRT and the like
 *   it prints a trace and exits 2; other signals it ignores unless asked for.
 * - Any other program has no handler: the default action (PID 1: nothing).
 */
export function signalEffect(signal: number, declared: SignalAction | undefined, goRuntime: boolean, pid1 = true): SignalEffect {
  if (signal === SIGNALS.KILL) return { kind: 'killed', signal };
  const byDefault = (): SignalEffect => (pid1 || DEFAULT_IGNORED.has(signal) ? { kind: 'ignored' } : { kind: 'killed', signal });
  if (declared) {
    if (declared.action === 'exit') return { kind: 'exited', exitCode: declared.status, ...(declared.message ? { stderr: declared.message } : {}) };
    if (declared.action === 'default') return byDefault();
    return declared.action === 'notify' ? { kind: 'notify' } : { kind: 'ignored' };
  }
  if (goRuntime && GO_KILL.has(signal)) return pid1 ? { kind: 'exited', exitCode: 2 } : { kind: 'killed', signal };
  if (goRuntime && GO_THROW[signal]) return { kind: 'exited', exitCode: 2, stderr: `${GO_THROW[signal]}\n(goroutine traces of a wasm program are not available in podplay)\n` };
  return goRuntime ? { kind: 'ignored' } : byDefault();
}

/** How often a run with a memory limit checks its group's memory (see UsageMonitor.enforce). */
const MEMORY_CHECK_MS = 100;

/** How long a killed program's output is still read (a child it started may hold it open). */
const KILLED_OUTPUT_MS = 200;

/** Guest paths the SDK keeps for itself; an image directory there cannot be served. */
const RESERVED = new Set(['workspace']);

/**
 * Runs wasm programs of a container's tree with @wasmer/sdk: the program is
 * read from the tree and loaded as a package (compiled once per digest and
 * command name), and every top-level directory of the tree is mounted into
 * the guest through the host-filesystem bridge, so the guest sees the tree
 * itself, not a copy. Create one per thread; it must not be the page's main
 * thread (the SDK blocks with Atomics.wait).
 */
export class WasiRunner {
  readonly server: VfsFileServer;
  /** Memory and CPU time of running programs, by {@link RunSpec.usageGroup}. */
  readonly usage = new UsageMonitor();
  /** The sockets of running programs (see guest-network.ts). */
  readonly network = new GuestNetwork(this.usage.name);
  readonly #wasmer: Wasmer;
  readonly #createSandbox: Awaited<ReturnType<typeof installHostBridge>>;
  readonly #packages = new Map<string, Promise<Package>>();
  /** Digests by the bytes' buffer and range: clones of an image tree share their file bytes. */
  readonly #digests = new WeakMap<ArrayBufferLike, Map<string, Promise<Digest>>>();

  readonly #compile: ModuleCompiler | undefined;
  /** One control service per group of runs (a container and its execs): its process table and signal dispositions. */
  readonly #controls = new Map<string, { service: ControlService; runs: number; sandboxRuns: Map<number, string> }>();
  #sandboxes = 0;

  private constructor(wasmer: Wasmer, server: VfsFileServer, createSandbox: Awaited<ReturnType<typeof installHostBridge>>, compile?: ModuleCompiler) {
    this.#compile = compile;
    this.#wasmer = wasmer;
    this.server = server;
    this.#createSandbox = createSandbox;
  }

  /**
   * `compile` gives the compiled module for a program's bytes; a node worker
   * passes one that asks the page, which compiles each distinct module once
   * and posts it to every node (see module-cache.ts).
   */
  static async create(compile?: ModuleCompiler, sdkModule?: WebAssembly.Module): Promise<WasiRunner> {
    if (!isNode && !(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated) {
      throw new PodplayError(
        'CrossOriginIsolationMissing',
        'this page is not cross-origin isolated, so WebAssembly threads (SharedArrayBuffer) are off: serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp.',
      );
    }
    const sdk = await loadSdk();
    const wasmer = new sdk.Wasmer({ cache: false, wasm: sdkModule });
    await wasmer.ready();
    const server = new VfsFileServer();
    const createSandbox = await installHostBridge(wasmer, (mount, method, args) => server.call(mount, method, args));
    if (compile) installModuleCache();
    return new WasiRunner(wasmer, server, createSandbox, compile);
  }

  /** The processes of a group of runs (a container's: docker top), or undefined when none runs. */
  processes(group: string): ProcessInfo[] | undefined {
    return this.#controls.get(group)?.service.processes.table.list();
  }

  /** Packages loaded so far (each distinct module + command name once). */
  get packageCount(): number {
    return this.#packages.size;
  }

  #package(file: FileNode, command: string, memoryLimit?: number): Promise<Package> {
    const bytes = file.content();
    let byRange = this.#digests.get(bytes.buffer);
    if (!byRange) this.#digests.set(bytes.buffer, (byRange = new Map()));
    const range = `${bytes.byteOffset}:${bytes.byteLength}`;
    let digest = byRange.get(range);
    if (!digest) byRange.set(range, (digest = sha256(bytes)));
    return digest.then((d) => {
      const key = `${d} ${command} ${memoryLimit ?? ''}`;
      let pkg = this.#packages.get(key);
      if (!pkg) {
        const bytes = memoryLimit === undefined ? file.content().slice() : withMemoryLimit(file.content().slice(), memoryLimit);
        const compiled = this.#compile ? this.#compile(bytes).then((m) => registerModule(bytes, m)) : Promise.resolve();
        pkg = compiled.then(() => this.#wasmer.packages.create({ modules: { main: bytes }, commands: { [command]: { module: 'main' } } }));
        pkg.catch(() => this.#packages.delete(key));
        this.#packages.set(key, pkg);
      }
      return pkg;
    });
  }

  #mounts(rootfs: Vfs, control: ControlMount): HostMount[] {
    const mounts: HostMount[] = [{ path: CONTROL_DIR, mountId: this.server.addHandler(control), readOnly: false }];
    for (const name of rootfs.root.children.keys()) {
      if (RESERVED.has(name)) continue;
      const r = rootfs.resolve(`/${name}`, true);
      if (r.node?.kind !== 'dir') continue;
      mounts.push({ path: `/${name}`, mountId: this.server.addMount(rootfs, r.realPath), readOnly: false });
    }
    return mounts;
  }

  async start(spec: RunSpec): Promise<RunningProgram> {
    const program = resolveProgram(spec.rootfs, spec.argv, spec.cwd, spec.env.PATH);
    const command = basename(program.argv[0]!) || 'main';
    const pkg = await this.#package(program.file, command, spec.memoryLimit);
    const group = spec.usageGroup ?? `run ${this.#sandboxes + 1}`;
    const tag = this.usage.begin(spec.usageGroup ?? '');
    if (spec.network) this.network.attach(tag.run, spec.network);
    let shared = this.#controls.get(group);
    if (!shared) {
      const runs = new Map<number, string>();
      const service = new ControlService(spec.rootfs, {
        pidsLimit: spec.pidsLimit,
        // A child counts with the run of the sandbox that started it, under its own pid.
        childEnv: (caller, pid) => ({ [USAGE_ENV]: `${this.usage.tag(runs.get(caller.sandbox) ?? tag.run)}/${pid}` }),
      });
      this.#controls.set(group, (shared = { service, runs: 0, sandboxRuns: runs }));
    }
    const service = shared.service;
    const sandboxId = ++this.#sandboxes;
    let goRuntime = signalModel(program.file.content()) === 'go';
    // The program's first process; the running program's signal() is its sink once it exists.
    let sink: (signal: number) => Promise<unknown> = async () => undefined;
    let pid: number;
    try {
      pid = service.processes.begin(program.argv, sandboxId, {
        signal: (signal) => sink(signal),
        // An exec'd program brings its own runtime: Go's handlers, or none.
        exec: (path) => {
          const node = spec.rootfs.lookup(path);
          if (node?.kind === 'file') goRuntime = signalModel(node.content()) === 'go';
        },
      });
    } catch (err) {
      this.usage.end(tag.run);
      this.network.detach(tag.run);
      if (shared.runs === 0) this.#controls.delete(group);
      throw new PodplayError('RuntimeFailed', `could not start ${program.path}: ${(err as Error).message}`, { cause: err });
    }
    shared.runs++;
    shared.sandboxRuns.set(sandboxId, tag.run);
    const control = new ControlMount(service, sandboxId, pid);
    const mounts = this.#mounts(spec.rootfs, control);
    const release = () => {
      mounts.forEach((m) => this.server.removeMount(m.mountId));
      this.usage.end(tag.run);
      this.network.detach(tag.run);
      service.processes.end(sandboxId);
      shared.sandboxRuns.delete(sandboxId);
      if (--shared.runs === 0) this.#controls.delete(group);
      clearInterval(watchdog);
    };
    // The memory limit holds for the container's processes together (see UsageMonitor.enforce).
    let oomKilled = false;
    const usageGroup = spec.usageGroup ?? '';
    const oomKillsBefore = this.usage.oomKills(usageGroup);
    const watchdog = spec.memoryLimit === undefined ? undefined : setInterval(() => {
      const hit = this.usage.enforce(usageGroup, spec.memoryLimit!);
      if (!hit) return;
      if (hit.pid !== undefined) service.processes.markKilled(hit.pid, SIGNALS.KILL);
      else if (hit.run === tag.run && !oomKilled) {
        oomKilled = true;
        void running.kill();
      }
    }, MEMORY_CHECK_MS);
    let process: Process;
    let sandbox;
    try {
      sandbox = await this.#createSandbox(mounts, { packages: [pkg], network: { mode: 'disabled' } });
      process = await sandbox
        .command(pkg.command(command), program.argv.slice(1), { cwd: spec.cwd, env: { ...spec.env, PWD: spec.cwd, ...tag.env } })
        .spawn({ stdin: spec.stdin === undefined && !spec.interactive ? 'closed' : 'pipe', stdout: 'pipe', stderr: 'pipe' });
    } catch (err) {
      release();
      await sandbox?.close();
      throw new PodplayError('RuntimeFailed', `could not start ${program.path}: ${(err as Error).message}`, { cause: err });
    }
    // Writes to stdin go one after another; closing waits for them.
    let stdinOpen = process.stdin !== null && process.stdin !== undefined;
    let stdinQueue: Promise<unknown> = Promise.resolve();
    const writeStdin = async (data: Uint8Array | string): Promise<boolean> => {
      if (!stdinOpen || !process.stdin) return false;
      const stdin = process.stdin;
      stdinQueue = stdinQueue.then(() => stdin.write(data)).catch(() => undefined);
      await stdinQueue;
      return true;
    };
    const closeStdin = async (): Promise<void> => {
      if (!stdinOpen || !process.stdin) return;
      stdinOpen = false;
      const stdin = process.stdin;
      stdinQueue = stdinQueue.then(() => stdin.close()).catch(() => undefined);
      await stdinQueue;
    };
    if (spec.stdin !== undefined) {
      void writeStdin(spec.stdin);
      if (!spec.interactive) void closeStdin();
    }
    const pump = async (stream: AsyncIterable<Uint8Array> | null, sink?: (c: Uint8Array) => void) => {
      if (!stream) return;
      for await (const chunk of stream) sink?.(chunk);
    };
    let streamError: string | undefined;
    const streams = Promise.all([pump(process.stdout, spec.onStdout), pump(process.stderr, spec.onStderr)]).catch((e: Error) => {
      streamError = e?.message ?? String(e);
    });
    let killed = false;
    // Once the program is killed, its output is awaited briefly: a child it
    // started may hold stdout open while it dies (or never, if it spins).
    let ended!: () => void;
    const endedByHost = new Promise<void>((r) => (ended = r)).then(() => new Promise<void>((r) => setTimeout(r, KILLED_OUTPUT_MS)));
    /** How the run ends when a signal's handler ended it (the host stopped the process on its behalf). */
    let endedBy: RunResult | undefined;
    const result = (async (): Promise<RunResult> => {
      try {
        // Drain stdout and stderr to EOF before reaping the process.
        await Promise.race([streams, endedByHost]);
        const out = await process.wait({ check: false });
        const r: RunResult = endedBy ?? (killed ? { kind: 'killed', exitCode: 137, ...(oomKilled ? { oomKilled } : {}) } : { kind: 'exited', exitCode: out.exitCode });
        // A process of the container killed for memory, and the container failing after it, is OOMKilled as the
        // cgroup's OOM event makes it for docker and the kubelet (go build's linker killed, go reporting it).
        if (!r.oomKilled && r.exitCode !== 0 && this.usage.oomKills(usageGroup) > oomKillsBefore) r.oomKilled = true;
        if (streamError) r.streamError = streamError;
        return r;
      } finally {
        release();
        await sandbox.close().catch(() => undefined);
      }
    })();
    const running: RunningProgram = {
      result,
      kill: async () => {
        killed = true;
        stdinOpen = false;
        await process.kill().catch(() => undefined);
        ended();
      },
      signal: async (signal: number): Promise<SignalOutcome> => {
        const effect = signalEffect(signal, service.processes.actionOf(pid, signal), goRuntime, pid === 1);
        if (effect.kind === 'ignored') return 'ignored';
        if (effect.kind === 'notify') {
          service.processes.deliver(pid, signal);
          return 'delivered';
        }
        if (effect.kind === 'killed') {
          if (effect.signal === SIGNALS.KILL) killed = true;
          else endedBy ??= { kind: 'killed', exitCode: 128 + effect.signal };
        } else {
          if (effect.stderr) spec.onStderr?.(new TextEncoder().encode(effect.stderr));
          endedBy ??= { kind: 'exited', exitCode: effect.exitCode };
        }
        stdinOpen = false;
        await process.kill().catch(() => undefined);
        ended();
        return 'ended';
      },
      writeStdin,
      closeStdin,
      pid,
    };
    sink = (signal) => running.signal(signal);
    return running;
  }

  async dispose(): Promise<void> {
    this.usage.close();
    await this.#wasmer.close();
  }
}
