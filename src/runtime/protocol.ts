import type { FlatError } from '../shared/index.ts';

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
  stdin?: string;
}

/** Why a container ended, in Kubernetes' words. */
export type ExitReason = 'Completed' | 'Error' | 'Killed' | 'DeadlineExceeded' | 'StartError';

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

/** The API a node worker exposes through comlink. */
export interface NodeWorkerApi {
  init(config: { name: string; store: StoreConfig }): Promise<void>;
  /** Resolves once the program has exited and every output event has been delivered to `onOutput`. */
  run(spec: ContainerSpec, onOutput: (e: OutputEvent) => void | Promise<void>): Promise<ContainerResult>;
  kill(id: string): Promise<boolean>;
  /** A file of a container's filesystem, running or exited (undefined when absent). */
  readFile(id: string, path: string): Promise<Uint8Array | undefined>;
  /** Forgets an exited container and its filesystem (docker rm). */
  remove(id: string): Promise<boolean>;
  stats(): Promise<NodeStats>;
}

export interface NodeStats {
  name: string;
  running: number;
  layersApplied: number;
  packagesLoaded: number;
  fsCalls: number;
}
