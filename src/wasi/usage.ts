/**
 * Resource usage of running programs, as measured inside @wasmer/sdk's
 * worker threads by sdk-worker-probe.mjs. The runner tags each run with
 * {@link UsageMonitor.begin}, whose environment entry the probe reads (and
 * hides from the guest); the probe posts a SharedArrayBuffer of live figures
 * (to this thread in the browser, on a BroadcastChannel in Node) that this
 * monitor reads whenever asked. Runs are grouped (a container's
 * main process and its execs count together, as in one cgroup).
 */

export const USAGE_ENV = 'PODPLAY_USAGE';
/** The `type` of a probe's report posted by an SDK worker to its parent (browser). */
export const USAGE_MESSAGE = 'podplay-usage';

interface Report {
  run: string;
  slots: SharedArrayBuffer;
  /** The container pid of a child a guest started (its tag says so); absent for the run's first process. */
  pid?: number;
}

/** Where the probe's figures sit in an instance's slots. */
const MEMORY = 0;
const ENDED = 3;
const KILL = 4;

const monitors = new Map<string, UsageMonitor>();

/** Hands a report an SDK worker posted to this thread to the monitor it names (see sdk-workers.ts). */
export function deliverUsageReport(data: Report & { channel: string }): void {
  monitors.get(data.channel)?.receive(data);
}

/** Usage of one group of runs (a container). */
export interface Usage {
  /** Linear memory of the group's live programs, in bytes. */
  memoryBytes: number;
  /** CPU time of all the group's programs so far, in ms (time outside blocking calls). */
  cpuMs: number;
  /** Programs of the group running now. */
  processes: number;
}

interface Run {
  group: string;
  /** One per instance: the program, and the children it started in the same sandbox (tagged with the same run). */
  slots: Float64Array[];
  /** The container pid of each child instance, by its slots. */
  pids: Map<Float64Array, number>;
  /** CPU ms of the run, fixed when it ended. */
  cpuMs?: number;
}

const now = () => performance.timeOrigin + performance.now();

function cpuOf(slots: Float64Array, at: number): number {
  return slots[1]! + (slots[2]! > 0 ? Math.max(0, at - slots[2]!) : 0);
}

export class UsageMonitor {
  readonly #name = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

  /** The channel its probes report on; it tags its runs (and names the runner's {@link GuestNetwork}). */
  get name(): string {
    return this.#name;
  }
  /** Node only: where the probe's reports arrive (in the browser they come as worker messages). */
  readonly #channel?: BroadcastChannel;
  readonly #runs = new Map<string, Run>();
  /** CPU ms of ended runs, per group, until the group is forgotten. */
  readonly #spent = new Map<string, number>();
  readonly #oomKills = new Map<string, number>();
  #next = 0;

  constructor() {
    monitors.set(this.#name, this);
    // The probe's own test: in a browser worker it posts to this thread instead.
    if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined') {
      const channel = new BroadcastChannel(`${USAGE_MESSAGE}/${this.#name}`);
      (channel as { unref?: () => void }).unref?.();
      channel.onmessage = (e: MessageEvent<Report>) => this.receive(e.data);
      this.#channel = channel;
    }
  }

  /** A probe's report: the live figures of one run. */
  receive(data: Report): void {
    const run = this.#runs.get(data?.run);
    if (!run || !(data.slots instanceof SharedArrayBuffer)) return;
    const slots = new Float64Array(data.slots);
    run.slots.push(slots);
    if (typeof data.pid === 'number') run.pids.set(slots, data.pid);
  }

  /** Starts tracking a run of `group`; gives the run's key and the environment entry that tags it. */
  begin(group: string): { run: string; env: Record<string, string> } {
    const run = String(++this.#next);
    this.#runs.set(run, { group, slots: [], pids: new Map() });
    return { run, env: { [USAGE_ENV]: this.tag(run) } };
  }

  /** The environment value that tags a run's instances (a program gives it to the children it starts). */
  tag(run: string): string {
    return `${this.#name}/${run}`;
  }

  /** A run ended: its CPU time moves to its group's total, its memory is gone. */
  end(run: string): void {
    const r = this.#runs.get(run);
    if (!r) return;
    this.#runs.delete(run);
    const at = now();
    if (r.slots.length) this.#spent.set(r.group, (this.#spent.get(r.group) ?? 0) + r.slots.reduce((n, s) => n + cpuOf(s, at), 0));
  }

  /** Drops a group's accumulated CPU time (the container was removed or restarted afresh). */
  forget(group: string): void {
    this.#spent.delete(group);
    this.#oomKills.delete(group);
  }

  usage(group: string): Usage {
    const at = now();
    const u: Usage = { memoryBytes: 0, cpuMs: this.#spent.get(group) ?? 0, processes: 0 };
    for (const r of this.#runs.values()) {
      if (r.group !== group) continue;
      if (r.slots.length === 0) u.processes++;
      for (const slots of r.slots) {
        if (slots[ENDED] !== 1) {
          u.memoryBytes += slots[MEMORY]!;
          u.processes++;
        }
        u.cpuMs += cpuOf(slots, at);
      }
    }
    return u;
  }

  /**
   * The container's memory limit at work, as the kernel's OOM killer does
   * it: when the group's live instances together use more than `limit`,
   * the largest is killed (SIGKILL). A child's instance is asked to die by
   * its probe, at its next WASI call; the answer names it by container pid.
   * A run's first process is named by its run key, for its runner to kill.
   */
  enforce(group: string, limit: number): { run: string; pid?: number } | undefined {
    let total = 0;
    let largest: { run: string; slots: Float64Array; pid?: number } | undefined;
    for (const [key, r] of this.#runs) {
      if (r.group !== group) continue;
      for (const slots of r.slots) {
        if (slots[ENDED] === 1 || slots[KILL]! > 0) continue;
        total += slots[MEMORY]!;
        if (!largest || slots[MEMORY]! > largest.slots[MEMORY]!) largest = { run: key, slots, pid: r.pids.get(slots) };
      }
    }
    if (!largest || total <= limit) return undefined;
    if (largest.pid !== undefined) largest.slots[KILL] = 1;
    this.#oomKills.set(group, (this.#oomKills.get(group) ?? 0) + 1);
    return { run: largest.run, pid: largest.pid };
  }

  /** How many processes of the group its memory limit has killed so far (a cgroup's memory.events oom_kill). */
  oomKills(group: string): number {
    return this.#oomKills.get(group) ?? 0;
  }

  /** Usage of every group with a live run or CPU time on record. */
  all(): Map<string, Usage> {
    const groups = new Set([...this.#spent.keys(), ...[...this.#runs.values()].map((r) => r.group)]);
    return new Map([...groups].map((g) => [g, this.usage(g)]));
  }

  close(): void {
    monitors.delete(this.#name);
    this.#channel?.close();
  }
}
