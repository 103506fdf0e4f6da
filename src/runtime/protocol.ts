import type { CommitOptions } from '../oci/index.ts';
import type { FlatError } from '../shared/index.ts';
import type { Usage } from '../wasi/index.ts';
import type { LogLine, LogQuery } from './logs.ts';

/** What to run: an image the store holds, with Kubernetes-style overrides. */
export interface ContainerSpec {
  /** Unique per node worker; chosen by the caller. */
  id: string;
  image: string;
  /** Replaces the image's Entrypoint (and then its Cmd too, as docker and Kubernetes do). */
  command?: string[];
  /** Replaces the image's Cmd. */
  args?: string[];
  /** Added to (and overriding) the image's Env. */
  env?: Record<string, string>;
  workingDir?: string;
  /** The container's hostname, given to the guest as HOSTNAME (wasip1 has no hostname call). */
  hostname?: string;
  /** Bytes for stdin, then EOF. */
  stdin?: string;
  /** Keep stdin open for attach (docker run -i; Kubernetes stdin: true). */
  interactive?: boolean;
  /** Lines of output kept for logs (in characters of text; default 1 Mi). */
  logLimit?: number;
  /** The most memory the program may use, in bytes (Kubernetes limits.memory): past it the container ends OOMKilled. */
  memoryLimit?: number;
  /** Volumes mounted into the container's filesystem (Kubernetes volumeMounts). */
  mounts?: VolumeMount[];
  /** The most processes the container may have at once (docker run --pids-limit; -1: no limit); default {@link DEFAULT_PIDS_LIMIT}. */
  pidsLimit?: number;
  /**
   * The network namespace its sockets live in: the containers of one pod
   * share one (`namespace`, e.g. the pod's uid) and its addresses (the pod IP).
   * Without it a program's sockets stay inside the program.
   */
  network?: { namespace: string; ips: string[] };
  /** Files written into the container's own layer before it starts, by absolute path (a kubelet's /etc/hosts and /etc/resolv.conf). */
  files?: Record<string, string>;
}

/**
 * podplay's pids limit for a container that names none: each process a
 * container starts is a wasm instance with its own memory in the node's
 * worker, so a fork loop must stop well before the worker runs out
 * (docker's default is no limit; Kubernetes' podPidsLimit is a kubelet setting).
 */
export const DEFAULT_PIDS_LIMIT = 256;

/**
 * Where a volume's files come from: an emptyDir shared live by every
 * container of one pod (`scope`) on this node, or a fixed set of files (what
 * a ConfigMap or Secret volume holds).
 */
export type VolumeSource =
  | { kind: 'emptyDir'; name: string; scope: string }
  | { kind: 'files'; files: Record<string, string | Uint8Array>; mode?: number };

export interface VolumeMount {
  /** An absolute path in the container. */
  path: string;
  volume: VolumeSource;
  readOnly?: boolean;
}

/** A process of a running container, as docker top lists it. */
export interface ContainerProcess {
  pid: number;
  ppid: number;
  argv: string[];
  /** ms since the epoch. */
  started: number;
}

/** A container's life, in docker's words. */
export type ContainerState = 'created' | 'running' | 'exited';

/** What `docker inspect` / `kubectl get pod -o yaml` would say of a container. */
export interface ContainerInfo {
  id: string;
  image: string;
  state: ContainerState;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: ExitReason;
  restartCount: number;
}

/** A result or an error, flattened to cross the worker boundary (see shared/errors.ts). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: FlatError };

/** Why a container ended, in Kubernetes' words. */
/** NodeLost: the node worker died; what became of the process is unknown (exit code -1). */
export type ExitReason = 'Completed' | 'Error' | 'Killed' | 'OOMKilled' | 'DeadlineExceeded' | 'StartError' | 'NodeLost';

export interface ContainerResult {
  exitCode: number;
  reason: ExitReason;
  /** Set when reason is StartError: why it could not start (image, program). */
  error?: FlatError;
  startedAt: number;
  finishedAt: number;
  /** Set when the program's output could not be read to the end. */
  streamError?: string;
}

export type OutputEvent = { type: 'stdout' | 'stderr'; data: Uint8Array; time: number };

/** Where a node worker reads images from. */
export type StoreConfig = { kind: 'indexeddb'; blobs: string; meta: string } | { kind: 'directory'; root: string } | { kind: 'memory' };

/** What a node worker is told when it starts. */
export interface NodeInitConfig {
  name: string;
  store: StoreConfig;
  /** The build's folder (see shared/assets.ts), where the worker finds @wasmer/sdk. */
  assets?: string;
  /** @wasmer/sdk's own module, compiled once by the page for all its node workers. */
  sdkModule?: WebAssembly.Module;
}

/** Output a caller receives as it is produced (awaited, so a result never overtakes its output). */
export type OutputSink = (e: OutputEvent) => void | Promise<void>;

/**
 * The API a node worker exposes through comlink. Calls that can fail for a
 * reason the caller should see (no such container, a running container
 * removed) answer with an {@link Outcome}; the host side rethrows it.
 */
export interface NodeWorkerApi {
  /** `compile` is the page's module compiler (see compiler.ts); without it the node compiles for itself. */
  init(config: NodeInitConfig, compile?: (bytes: Uint8Array) => Promise<WebAssembly.Module>): Promise<void>;
  /** Answers at once: the host side's heartbeat. */
  ping(): Promise<string>;
  /** Connects the node's guests to the cluster network over `port` (see network-link.ts). */
  attachNetwork(port: MessagePort): Promise<void>;
  /** docker create: the container's own filesystem over its image's, not started. */
  create(spec: ContainerSpec): Promise<Outcome<ContainerInfo>>;
  /** docker start: runs the program; output goes to `onOutput` as produced (and to the logs). */
  start(id: string, onOutput?: OutputSink): Promise<Outcome<ContainerInfo>>;
  /** Resolves when the current run has ended and its output has been delivered. */
  wait(id: string): Promise<Outcome<ContainerResult>>;
  /** create + start + wait. A container that cannot start ends with reason StartError. */
  run(spec: ContainerSpec, onOutput: OutputSink): Promise<ContainerResult>;
  /**
   * docker stop: `signal` (SIGTERM) to the container's PID 1, which acts on it
   * as Linux's PID 1 would (see WasiRunner's signalEffect), and after
   * `graceMs` SIGKILL. The container's state after it (a container never
   * started stays created).
   */
  stop(id: string, graceMs?: number, signal?: number): Promise<Outcome<ContainerInfo>>;
  /** docker kill: `signal` (SIGKILL) to PID 1; false when the container is not running. */
  kill(id: string, signal?: number): Promise<boolean>;
  /** docker restart: stops it if running, then starts it again on a fresh writable layer. */
  restart(id: string, onOutput?: OutputSink): Promise<Outcome<ContainerInfo>>;
  /** docker rm: forgets the container and its filesystem; a running one only with `force` (killed first). */
  remove(id: string, force?: boolean): Promise<Outcome<boolean>>;
  inspect(id: string): Promise<Outcome<ContainerInfo>>;
  list(): Promise<ContainerInfo[]>;
  logs(id: string, query?: LogQuery): Promise<Outcome<LogLine[]>>;
  /** The lines the query selects, then every new line until the container exits. */
  /** Sends the selected lines, then each new line until the container exits or unfollow(followId). */
  follow(id: string, onLine: (line: LogLine) => void | Promise<void>, query?: LogQuery, followId?: string): Promise<Outcome<void>>;
  unfollow(followId: string): Promise<void>;
  /** kubectl attach / docker attach: write to an interactive container's stdin, or close it. */
  writeStdin(id: string, data: Uint8Array | string): Promise<Outcome<boolean>>;
  closeStdin(id: string): Promise<Outcome<void>>;
  /** docker top: the running container's processes (its program, children, background jobs, exec sessions). */
  top(id: string): Promise<Outcome<ContainerProcess[]>>;
  /** docker exec: runs another program of the image in the container's live filesystem. */
  exec(id: string, argv: string[], options: ExecOptions, onOutput: OutputSink): Promise<Outcome<ContainerResult>>;
  /** Writes to an interactive exec's stdin (false when it has ended or its stdin is closed). */
  writeExecStdin(execId: string, data: Uint8Array | string): Promise<boolean>;
  /** False when no such exec runs. */
  closeExecStdin(execId: string): Promise<boolean>;
  /** Kills an exec (Ctrl-C on kubectl exec); false when it has already ended. */
  killExec(execId: string): Promise<boolean>;
  /** docker diff: the container's changes against its image. */
  diff(id: string): Promise<Outcome<Array<{ kind: 'A' | 'C' | 'D'; path: string }>>>;
  /** docker cp CONTAINER:PATH -: a tar of the file or directory at `path`. */
  copyOut(id: string, path: string): Promise<Outcome<Uint8Array>>;
  /** docker cp - CONTAINER:DIR: unpacks a tar into the directory `dir` of the container. */
  copyIn(id: string, dir: string, tar: Uint8Array): Promise<Outcome<void>>;
  /** docker commit: the container's changes as a new image layer, stored under `ref`. */
  commit(id: string, ref: string, options?: CommitOptions): Promise<Outcome<{ ref: string; digest: string }>>;
  /**
   * A build step's layer: the container's changes as an uncompressed layer
   * tar (whiteouts for deletions; times capped at `clampMtime` ms), and how
   * many paths changed (0: no layer).
   */
  layer(id: string, clampMtime?: number): Promise<Outcome<{ tar: Uint8Array; changes: number }>>;
  /** A file of a container's filesystem, running or exited (undefined when absent). */
  readFile(id: string, path: string): Promise<Uint8Array | undefined>;
  /** Forgets the emptyDir volumes of a scope (a pod that is gone). */
  releaseVolumes(scope: string): Promise<number>;
  /** Resource usage of the node's containers, for kubectl top and docker stats. */
  usage(): Promise<NodeUsage>;
  stats(): Promise<NodeStats>;
}

export interface ExecOptions {
  env?: Record<string, string>;
  workingDir?: string;
  stdin?: string;
  /**
   * kubectl exec -i / docker exec -i: the program's stdin stays open for
   * writeExecStdin until closeExecStdin; `execId` (chosen by the caller,
   * unique per node) names the exec for those calls and killExec.
   */
  interactive?: boolean;
  execId?: string;
}

/** Usage of one container: its main process and its execs together. */
export type ContainerUsage = Usage;

export interface NodeUsage {
  node: string;
  /** When the figures were read (epoch ms). */
  at: number;
  /** Sums over the containers. */
  memoryBytes: number;
  cpuMs: number;
  containers: Record<string, ContainerUsage>;
}

export interface NodeStats {
  name: string;
  running: number;
  layersApplied: number;
  packagesLoaded: number;
  fsCalls: number;
  /** Modules this node compiled itself, and modules it took compiled from the page. */
  modulesCompiled: number;
  modulesReused: number;
}
