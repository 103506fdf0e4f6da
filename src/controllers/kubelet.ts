/**
 * A kubelet per node worker: it registers its Node (capacity, labels,
 * taints, conditions, the images it holds), posts a heartbeat every 10 s,
 * watches the pods bound to its node and runs each in a PodWorker.
 */
import { timestamp, type ApiStore, type KubeObject, type Node, type NodeCondition, type Pod, type Taint } from '../api/index.ts';
import type { Clock, Disposable } from '../shared/index.ts';
import { eventRecorder } from './events.ts';
import type { ImageService } from './images.ts';
import type { ContainerRuntime, KubeletContext, PodCredentialSource, PodNetwork } from './kubelet-context.ts';
import { PodWorker } from './pod-worker.ts';

export const KUBELET_VERSION = 'v1.35.0';
export const HEARTBEAT_SECONDS = 10;

export interface KubeletOptions {
  api: ApiStore;
  clock: Clock;
  nodeName: string;
  runtime: ContainerRuntime;
  images: ImageService;
  /** Capacity like a small real node: cpu, memory, pods. */
  capacity?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  /** The node's address on the simulated network. */
  internalIP?: string;
  /** The node's range of pod IPs (spec.podCIDR), which `network` gives addresses from. */
  podCIDR?: string;
  /** The pod network (a CNI plugin): without it pods get an IP but no sockets beyond their own programs. */
  network?: PodNetwork;
  /** Service-account tokens and the in-cluster client's files. */
  credentials?: PodCredentialSource;
}

const READY_CONDITIONS = (now: string): NodeCondition[] => [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: now, lastTransitionTime: now },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', lastHeartbeatTime: now, lastTransitionTime: now },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', lastHeartbeatTime: now, lastTransitionTime: now },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now },
];

export class Kubelet implements Disposable {
  readonly nodeName: string;
  readonly #options: KubeletOptions;
  readonly #ctx: KubeletContext;
  readonly #workers = new Map<string, PodWorker>();
  #watch?: Disposable;
  #cancelHeartbeat?: () => void;
  #stopped = false;
  #unsubscribe?: () => void;

  constructor(options: KubeletOptions) {
    this.#options = options;
    this.nodeName = options.nodeName;
    this.#ctx = {
      api: options.api,
      clock: options.clock,
      nodeName: options.nodeName,
      hostIP: options.internalIP ?? '10.0.0.1',
      runtime: options.runtime,
      images: options.images,
      recorder: eventRecorder(options.api, 'kubelet', options.nodeName),
      network: options.network,
      credentials: options.credentials,
    };
  }

  /** Registers the node and starts running the pods bound to it. */
  async start(): Promise<void> {
    // A dead node worker takes its kubelet with it: no more heartbeats, and the node lifecycle controller notices.
    this.#unsubscribe = this.#options.runtime.onFailure?.(() => this.dispose());
    await this.#register();
    this.#beat();
    this.#watch = this.#options.api.watch('Pod', { fieldSelector: `spec.nodeName=${this.nodeName}` }, (e) => {
      const pod = e.object as Pod;
      const uid = pod.metadata.uid!;
      if (e.type === 'DELETED') {
        // Gone from the API (a force delete, or the end of a graceful one): its containers go too.
        void this.#workers.get(uid)?.gone();
        this.#workers.delete(uid);
        return;
      }
      const worker = this.#workers.get(uid);
      if (worker) worker.update(pod);
      else if (!this.#stopped && !isFinished(pod)) this.#workers.set(uid, new PodWorker(this.#ctx, pod));
    });
  }

  async #register(): Promise<void> {
    const { api, clock } = this.#options;
    const now = timestamp(clock.now());
    const capacity = { cpu: '2', 'ephemeral-storage': '20Gi', memory: '4Gi', pods: '110', ...this.#options.capacity };
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: this.nodeName,
        labels: {
          'beta.kubernetes.io/arch': 'wasm',
          'beta.kubernetes.io/os': 'wasip1',
          'kubernetes.io/arch': 'wasm',
          'kubernetes.io/hostname': this.nodeName,
          'kubernetes.io/os': 'wasip1',
          ...this.#options.labels,
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
      },
      spec: {
        ...(this.#options.podCIDR ? { podCIDR: this.#options.podCIDR, podCIDRs: [this.#options.podCIDR] } : {}),
        ...(this.#options.taints?.length ? { taints: structuredClone(this.#options.taints) } : {}),
      },
      status: {
        capacity,
        allocatable: { ...capacity },
        conditions: READY_CONDITIONS(now),
        addresses: [
          { type: 'InternalIP', address: this.#ctx.hostIP },
          { type: 'Hostname', address: this.nodeName },
        ],
        nodeInfo: {
          architecture: 'wasm',
          operatingSystem: 'wasip1',
          osImage: 'podplay node worker',
          kernelVersion: 'WebAssembly',
          containerRuntimeVersion: 'podplay://0.1.0',
          kubeletVersion: KUBELET_VERSION,
          kubeProxyVersion: '',
          machineID: this.nodeName,
          systemUUID: this.nodeName,
          bootID: this.nodeName,
        },
        images: await this.#options.images.list(),
      },
    };
    const existing = api.tryGet('Node', undefined, this.nodeName);
    const created = existing ?? api.create(node);
    api.mutate<Node>('Node', undefined, this.nodeName, (n) => (n.status = node.status), true);
    if (!existing) {
      const recorder = eventRecorder(api, 'kubelet', this.nodeName);
      recorder.event(created, 'Normal', 'Starting', 'Starting kubelet.');
      recorder.event(created, 'Normal', 'NodeReady', `Node ${this.nodeName} status is now: NodeReady`);
    }
  }

  /** Every 10 s: the node's conditions get a fresh heartbeat, and its image list is brought up to date. */
  #beat(): void {
    if (this.#stopped) return;
    this.#cancelHeartbeat = this.#options.clock.setTimeout(() => void this.heartbeat().finally(() => this.#beat()), HEARTBEAT_SECONDS * 1000);
  }

  async heartbeat(): Promise<void> {
    if (this.#stopped) return;
    const { api, clock } = this.#options;
    const now = timestamp(clock.now());
    const images = await this.#options.images.list();
    try {
      api.mutate<Node>('Node', undefined, this.nodeName, (n) => {
        const status = (n.status ??= {});
        const fresh = READY_CONDITIONS(now);
        status.conditions = fresh.map((c) => {
          const before = status.conditions?.find((x) => x.type === c.type);
          return before?.status === c.status ? { ...c, lastTransitionTime: before.lastTransitionTime } : c;
        });
        status.images = images;
      }, true);
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'NotFound') throw err;
    }
  }

  /** The pod worker of a pod (kubectl logs and exec find its containers through it). */
  worker(pod: KubeObject): PodWorker | undefined {
    return this.#workers.get(pod.metadata.uid!);
  }

  /** Stops heartbeats, watching and the pod workers; running containers are left to the node worker's fate. */
  dispose(): void {
    this.#stopped = true;
    this.#unsubscribe?.();
    for (const w of this.#workers.values()) w.abandon();
    this.#cancelHeartbeat?.();
    this.#watch?.dispose();
  }
}

function isFinished(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}
