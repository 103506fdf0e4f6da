import type { ImageConfig, StoredImage } from '../oci/index.ts';
import { flattenError } from '../shared/index.ts';
import type { Vfs } from '../vfs/index.ts';
import type { NetNamespace, RunningProgram, WasiRunner } from '../wasi/index.ts';
import { LogBuffer } from './logs.ts';
import { DEFAULT_PIDS_LIMIT, type ContainerInfo, type ContainerResult, type ContainerSpec, type ExecOptions, type ExitReason, type Outcome, type OutputEvent, type OutputSink } from './protocol.ts';

/** The process a container runs: argv, env, cwd, from the image config and the spec, as docker and Kubernetes compute them. */
export function processFor(config: ImageConfig, spec: ContainerSpec): { argv: string[]; env: Record<string, string>; cwd: string } {
  const image = config.config ?? {};
  const entrypoint = spec.command ?? image.Entrypoint ?? [];
  // An overridden entrypoint drops the image's Cmd (docker run --entrypoint; Kubernetes command without args).
  const cmd = spec.args ?? (spec.command ? [] : image.Cmd ?? []);
  const env: Record<string, string> = {};
  for (const kv of image.Env ?? []) {
    const i = kv.indexOf('=');
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  env.HOSTNAME = spec.hostname ?? spec.id.slice(0, 12);
  Object.assign(env, spec.env);
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  return { argv: [...entrypoint, ...cmd], env, cwd: spec.workingDir || image.WorkingDir || '/' };
}

/** What Go's runtime (and others) print when memory.grow fails at the module's maximum. */
export const OUT_OF_MEMORY = /^(fatal error|runtime): out of memory/m;

/**
 * Watches a run's stderr for Go's "fatal error: out of memory" (anywhere:
 * a goroutine dump follows it), which tells an out-of-memory death from
 * other failures.
 */
export function outOfMemoryWatch(): { see(e: OutputEvent): void; readonly seen: boolean } {
  let tail = '';
  let seen = false;
  const decoder = new TextDecoder();
  return {
    see(e) {
      if (e.type !== 'stderr' || seen) return;
      tail = (tail + decoder.decode(e.data, { stream: true })).slice(-4096);
      seen = OUT_OF_MEMORY.test(tail);
    },
    get seen() {
      return seen;
    },
  };
}

/** The pids limit a container runs with (-1 or 0: none). */
export function pidsLimitOf(spec: ContainerSpec): number | undefined {
  const limit = spec.pidsLimit ?? DEFAULT_PIDS_LIMIT;
  return limit > 0 ? limit : undefined;
}

/** One container on this node: its spec, its image, its own tree, its current run and its logs. */
export interface Container {
  spec: ContainerSpec;
  image: StoredImage;
  /** The image's rootfs, shared by every container of the image: never written. */
  lower: Vfs;
  /** The container's own tree: the image's, copied on write (see Vfs.clone). */
  tree: Vfs;
  /** The pod's network namespace its programs' sockets live in (absent: sockets stay inside each process). */
  network?: NetNamespace;
  info: ContainerInfo;
  logs: LogBuffer;
  program?: RunningProgram;
  /** True from the moment a start is asked for until its program runs (so two starts cannot both launch one). */
  starting: boolean;
  /** A kill asked for while the program was still starting: applied as soon as it runs. */
  killAsked: boolean;
  /** Programs exec'd in the container: ended with it by stop, kill and remove. */
  execs: Set<RunningProgram>;
  /** The current (or last) run's result, once its output has been delivered. */
  done?: Promise<ContainerResult>;
  /** Settles when the first run starts (docker wait on a created container waits for it), or fails when it is removed first. */
  firstStart: { promise: Promise<void>; resolve(): void; reject(err: Error): void };
}

/**
 * The stdout and stderr sinks of a run: each chunk becomes a timestamped
 * event, given to `keep` (the container's logs) and sent to `onOutput`.
 * Output travels on the callback's own channel, the result on the API's: two
 * ports, no order between them, so `delivered()` is awaited before a result
 * is given and no output is lost.
 */
export function deliverOutput(onOutput?: (e: OutputEvent) => unknown, keep?: (e: OutputEvent) => void) {
  let delivered: Promise<unknown> = Promise.resolve();
  const emit = (e: OutputEvent) => {
    keep?.(e);
    if (!onOutput) return;
    const sent = Promise.resolve(onOutput(e)).catch(() => undefined);
    delivered = delivered.then(() => sent);
  };
  return {
    sinks: {
      onStdout: (data: Uint8Array) => emit({ type: 'stdout', data, time: Date.now() }),
      onStderr: (data: Uint8Array) => emit({ type: 'stderr', data, time: Date.now() }),
    },
    delivered: () => delivered,
  };
}

/** A created container's record. */
export function newContainer(spec: ContainerSpec, image: StoredImage, lower: Vfs, tree: Vfs, killAsked: boolean): Container {
  return {
    spec,
    image,
    lower,
    tree,
    info: { id: spec.id, image: image.ref, state: 'created', createdAt: Date.now(), restartCount: 0 },
    logs: new LogBuffer({ maxBytes: spec.logLimit }),
    starting: false,
    killAsked,
    execs: new Set(),
    firstStart: deferred(),
  };
}

function deferred(): Container['firstStart'] {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Waits out a start in progress: then its program runs (or the start failed). */
export async function startSettled(c: Container): Promise<void> {
  while (c.starting) await new Promise((r) => setTimeout(r, 5));
}

/** Kills every exec'd program of the container. */
export async function killExecs(c: Container): Promise<void> {
  await Promise.all([...c.execs].map((p) => p.kill()));
}

/** Runs `fn` and gives its value or its error, flattened for the trip to the host side. */
export async function outcome<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, error: flattenError(err) };
  }
}

export function reasonOf(kind: 'exited' | 'killed', exitCode: number): ExitReason {
  return kind === 'killed' ? 'Killed' : exitCode === 0 ? 'Completed' : 'Error';
}

/**
 * docker exec: another program of the image in the container's live tree,
 * with the container's env and working directory under the exec's own. One
 * with an execId is in `execs` from this call on (before its program has
 * started: writes and a kill sent right after the exec wait for the start)
 * until it ends.
 */
export async function execProgram(c: Container, runner: Promise<WasiRunner>, argv: string[], options: ExecOptions, onOutput: OutputSink, execs: Map<string, Promise<RunningProgram>>): Promise<ContainerResult> {
  const base = processFor(c.image.config, c.spec);
  const output = deliverOutput(onOutput);
  const startedAt = Date.now();
  const starting = runner.then((r) => r.start({
    rootfs: c.tree,
    argv,
    env: { ...base.env, ...options.env },
    cwd: options.workingDir || base.cwd,
    stdin: options.stdin,
    interactive: options.interactive,
    memoryLimit: c.spec.memoryLimit,
    usageGroup: c.spec.id,
    network: c.network,
    ...output.sinks,
  }));
  if (options.execId) execs.set(options.execId, starting);
  const program = await starting.catch((err: unknown) => {
    if (options.execId) execs.delete(options.execId);
    throw err;
  });
  c.execs.add(program);
  const r = await program.result.finally(() => {
    c.execs.delete(program);
    if (options.execId) execs.delete(options.execId);
  });
  await output.delivered();
  return { exitCode: r.exitCode, reason: reasonOf(r.kind, r.exitCode), startedAt, finishedAt: Date.now() };
}
