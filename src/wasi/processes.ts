import { SIGNALS } from '../shared/index.ts';
import { NOT_MINE, num, requestError, type Request } from './control-protocol.ts';

/**
 * A container's processes, as its PID namespace would number them: the
 * container's program is PID 1, every process started after it (a child a
 * shell spawned, a background job, an exec session) takes the next number.
 * The guest registers what it starts through the control directory
 * (`fork`, `forked`, `exit`), so ps, docker top and the pids limit see every
 * process; a WASIX process is known by its sandbox and its WASIX pid.
 */

/** What ps and docker top show of a process. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  argv: string[];
  /** When it started, ms since the epoch. */
  started: number;
}

interface Entry extends ProcessInfo {
  /** The sandbox (one per runner.start) whose WASIX process this is, and its WASIX pid there. */
  sandbox?: number;
  wasix?: number;
}

/** The error a fork beyond the pids limit gets: EAGAIN, as fork(2) gives it. */
export function pidsLimitError(limit: number): Error {
  return Object.assign(new Error(`fork: Resource temporarily unavailable (the container's pids limit is ${limit})`), { code: 'EAGAIN' });
}

export class ProcessTable {
  readonly #entries = new Map<number, Entry>();
  #next = 1;

  /** The most processes the container may have at once (docker run --pids-limit); undefined: no limit. */
  constructor(public limit?: number) {}

  /** Adds a process; throws EAGAIN beyond the limit. */
  add(info: Omit<ProcessInfo, 'pid' | 'started'> & { sandbox?: number; wasix?: number }): number {
    if (this.limit !== undefined && this.limit > 0 && this.#entries.size >= this.limit) throw pidsLimitError(this.limit);
    const pid = this.#next++;
    this.#entries.set(pid, { ...info, pid, started: Date.now() });
    return pid;
  }

  /** Records the WASIX identity of a process once it has been spawned. */
  bind(pid: number, sandbox: number, wasix: number): void {
    const e = this.#entries.get(pid);
    if (e) Object.assign(e, { sandbox, wasix });
  }

  remove(pid: number): void {
    this.#entries.delete(pid);
  }

  /** Removes every process of a sandbox (its program ended: its children went with it). */
  removeSandbox(sandbox: number): void {
    for (const [pid, e] of this.#entries) if (e.sandbox === sandbox) this.#entries.delete(pid);
  }

  get(pid: number): (ProcessInfo & { sandbox?: number; wasix?: number }) | undefined {
    return this.#entries.get(pid);
  }

  /** The container pid of a sandbox's WASIX process. */
  byWasix(sandbox: number, wasix: number): number | undefined {
    for (const e of this.#entries.values()) if (e.sandbox === sandbox && e.wasix === wasix) return e.pid;
    return undefined;
  }

  get size(): number {
    return this.#entries.size;
  }

  list(): ProcessInfo[] {
    return [...this.#entries.values()].map(({ pid, ppid, argv, started }) => ({ pid, ppid, argv: [...argv], started })).sort((a, b) => a.pid - b.pid);
  }
}

/**
 * What a process does with a signal, as sigaction(2) would have set it up:
 * `default` (no handler: the kernel's default action, which PID 1 is spared),
 * `ignore`, `exit` (a handler that exits with `status`, after writing
 * `message` to stderr: the pause container's), or `notify` (the program
 * takes it through the control directory: package guest's Notify).
 */
export type SignalAction = { action: 'default' | 'ignore' | 'notify' } | { action: 'exit'; status: number; message?: string };

/** Who sent a request: the container pid of the calling process and its sandbox. */
export interface Caller {
  pid: number;
  sandbox: number;
}

/** The host's side of a sandbox's first process: signal() delivers a signal (see WasiRunner's signal()), exec() learns its new program. */
export interface FirstProcess {
  signal(signal: number): Promise<unknown>;
  exec(path: string): void;
}

/**
 * The process requests of the control directory for one container: the
 * process table (fork, forked, exit, ps), signal dispositions (sigaction),
 * the signals a process takes itself (signals) and kill.
 */
export class ProcessRequests {
  readonly table: ProcessTable;
  readonly #actions = new Map<number, Map<number, SignalAction>>();
  readonly #pending = new Map<number, number[]>();
  /** The host's way to signal each sandbox's first process, by container pid. */
  readonly #sinks = new Map<number, FirstProcess>();

  /** Processes the container's memory limit killed (SIGKILL), until their parent reaps them. */
  readonly #killed = new Map<number, number>();

  constructor(
    pidsLimit: number | undefined,
    /** Environment entries a child must get to be counted with the container (its usage tag, naming its pid). */
    readonly childEnv: (caller: Caller, pid: number) => Record<string, string>,
  ) {
    this.table = new ProcessTable(pidsLimit);
  }

  /** Registers a sandbox's first process (the container's program or an exec session). */
  begin(argv: string[], sandbox: number, sink: FirstProcess, ppid = 0): number {
    const pid = this.table.add({ ppid, argv, sandbox, wasix: 1 });
    this.#sinks.set(pid, sink);
    return pid;
  }

  /** A sandbox's program ended: its processes are gone. */
  end(sandbox: number): void {
    for (const p of this.table.list()) {
      if (this.table.get(p.pid)?.sandbox !== sandbox) continue;
      this.#forget(p.pid);
    }
    this.table.removeSandbox(sandbox);
  }

  #forget(pid: number): void {
    this.#actions.delete(pid);
    this.#pending.delete(pid);
    this.#sinks.delete(pid);
  }

  /** A process was killed by `signal` from outside (the memory limit's SIGKILL): its parent learns it at exit. */
  markKilled(pid: number, signal: number): void {
    this.#killed.set(pid, signal);
  }

  actionOf(pid: number, signal: number): SignalAction | undefined {
    return this.#actions.get(pid)?.get(signal);
  }

  /** An execve: the process's handlers are reset, as exec resets them. */
  exec(pid: number, argv?: string[]): void {
    this.#actions.delete(pid);
    const e = this.table.get(pid);
    if (e && argv) e.argv.splice(0, e.argv.length, ...argv);
  }

  deliver(pid: number, signal: number): void {
    const queue = this.#pending.get(pid) ?? [];
    queue.push(signal);
    this.#pending.set(pid, queue);
  }

  handle(req: Request, caller: Caller): unknown {
    switch (req.op) {
      case 'sigaction': {
        // {"op":"sigaction","signals":[15],"action":"exit","status":0,"message":"…"}
        const signals = Array.isArray(req.signals) ? req.signals : [req.signal];
        for (const signal of signals) {
          if (typeof signal !== 'number' || !Number.isInteger(signal) || signal < 1 || signal > 64 || signal === SIGNALS.KILL || signal === SIGNALS.STOP) {
            throw requestError(`sigaction: signal ${String(signal)} cannot be caught or ignored`, 'EINVAL');
          }
        }
        const action = req.action;
        let byPid = this.#actions.get(caller.pid);
        if (action === 'reset') {
          // signal.Reset: the declaration is forgotten, the program's own model applies again (Go's runtime for a Go program).
          for (const signal of signals as number[]) byPid?.delete(signal);
          return null;
        }
        let entry: SignalAction;
        if (action === 'default' || action === 'ignore' || action === 'notify') entry = { action };
        else if (action === 'exit') entry = { action, status: num(req, 'status') & 0xff, ...(typeof req.message === 'string' ? { message: req.message } : {}) };
        else throw requestError('sigaction: action must be default, ignore, exit, notify or reset', 'EINVAL');
        if (!byPid) this.#actions.set(caller.pid, (byPid = new Map()));
        for (const signal of signals as number[]) byPid.set(signal, entry);
        return null;
      }
      case 'signals': {
        const queue = this.#pending.get(caller.pid) ?? [];
        this.#pending.delete(caller.pid);
        return queue;
      }
      case 'fork': {
        // Before starting a process (a child, or a background job of a shell): its pid, or EAGAIN at the pids limit.
        const argv = Array.isArray(req.argv) ? req.argv.map(String) : [];
        const pid = this.table.add({ ppid: caller.pid, argv });
        return { pid, env: this.childEnv(caller, pid) };
      }
      case 'forked': {
        // The child was spawned: its WASIX pid in the caller's sandbox.
        this.table.bind(num(req, 'pid'), caller.sandbox, num(req, 'wasix'));
        return null;
      }
      case 'exit': {
        // A parent reaps a child: {"signal": 9} when podplay killed it (the memory limit), else null.
        const pid = num(req, 'pid');
        const signal = this.#killed.get(pid);
        this.#killed.delete(pid);
        this.#forget(pid);
        this.table.remove(pid);
        return signal === undefined ? null : { signal };
      }
      case 'exec': {
        // {"op":"exec","path":"/usr/local/bin/hello","argv":[…]}: the caller is about to replace its program.
        this.exec(caller.pid, Array.isArray(req.argv) ? req.argv.map(String) : undefined);
        if (typeof req.path === 'string') this.#sinks.get(caller.pid)?.exec(req.path);
        return null;
      }
      case 'ps':
        return this.table.list();
      case 'kill': {
        // {"op":"kill","pid":1,"signal":15}: podplay delivers it, or says which WASIX process the caller must signal.
        const pid = num(req, 'pid');
        const signal = num(req, 'signal');
        const target = this.table.get(pid);
        if (!target) throw requestError(`kill: (${pid}) - No such process`, 'ESRCH');
        if (signal === 0) return { delivered: true };
        const sink = this.#sinks.get(pid);
        if (sink) {
          void sink.signal(signal);
          return { delivered: true };
        }
        const action = this.actionOf(pid, signal);
        if (action?.action === 'ignore') return { delivered: true };
        if (action?.action === 'notify') {
          this.deliver(pid, signal);
          return { delivered: true };
        }
        if (target.sandbox === caller.sandbox && target.wasix !== undefined) return { delivered: false, wasix: target.wasix };
        throw requestError(`kill: (${pid}) - Operation not permitted: podplay can signal it only from its own session`, 'EPERM');
      }
    }
    return NOT_MINE;
  }
}
