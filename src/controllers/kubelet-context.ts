/**
 * What a kubelet's pod workers work with: the API, the cluster's clock, the
 * node's container runtime (a NodeWorker has all of it) and image service,
 * and the kubelet's event recorder.
 */
import type { ApiStore, KubeObject } from '../api/index.ts';
import type { ContainerInfo, ContainerResult, ContainerSpec, OutputEvent } from '../runtime/index.ts';
import type { Clock } from '../shared/index.ts';
import type { EventRecorder } from './events.ts';
import type { ImageService } from './images.ts';

/** What a kubelet needs of its node's container runtime (a NodeWorker has it). */
export interface ContainerRuntime {
  create(spec: ContainerSpec): Promise<ContainerInfo>;
  start(id: string): Promise<ContainerInfo>;
  wait(id: string): Promise<ContainerResult>;
  stop(id: string, graceMs?: number): Promise<ContainerInfo>;
  remove(id: string, force?: boolean): Promise<boolean>;
  releaseVolumes(scope: string): Promise<number>;
  exec(id: string, argv: string[], options: { env?: Record<string, string> }, onOutput?: (e: OutputEvent) => void): Promise<ContainerResult>;
  kill(id: string): Promise<boolean>;
  /** Tells when the node worker dies (a NodeWorker has it): its kubelet stops with it. */
  onFailure?(listener: (failure: { reason: string }) => void): () => void;
}

/**
 * The node's pod network (a CNI plugin's ADD and DEL): gives a pod's network
 * namespace its IP on this node, and takes it down when the pod is done.
 */
export interface PodNetwork {
  /** `ip`: the address the pod had (a cluster started again from its saved state), kept when free. */
  setUp(pod: { uid: string; namespace: string; name: string; ip?: string }): string;
  tearDown(uid: string): void;
  /** The kubelet's httpGet and tcpSocket probes, made from the node's address: success, and what to report. */
  probeHttp(p: { host: string; port: number; path: string; scheme?: string; headers?: Array<{ name: string; value: string }>; timeoutMs: number }): Promise<{ ok: boolean; output: string }>;
  probeTcp(p: { host: string; port: number; timeoutMs: number }): Promise<{ ok: boolean; output: string }>;
}

/** What the kubelet asks the API server for on a pod's behalf (TokenRequest) and gives podplay's in-cluster client. */
export interface PodCredentialSource {
  /** A token for the pod's service account; undefined while the service account does not exist. */
  token(pod: KubeObject, options: { audience?: string; expirationSeconds?: number }): Promise<string | undefined>;
  /**
   * Files for podplay.dev/wasm/incluster in a container that has a token:
   * the API server's serving certificate and key, which the package's
   * in-process TLS listener at the kubernetes Service's address presents,
   * and the API server's address in the cluster network.
   */
  inClusterFiles(): Promise<Record<string, string>>;
}

export interface KubeletContext {
  api: ApiStore;
  clock: Clock;
  nodeName: string;
  hostIP: string;
  runtime: ContainerRuntime;
  images: ImageService;
  recorder: EventRecorder;
  /** Without one, pods get an IP but their sockets stay inside each program. */
  network?: PodNetwork;
  /** Without one, a pod's service-account volume has no token (ca.crt and namespace only). */
  credentials?: PodCredentialSource;
}

