/**
 * A whole cluster: the API, the controllers (ReplicaSet, Deployment, Job,
 * DaemonSet, node lifecycle, namespaces, garbage collector), the scheduler,
 * and one kubelet per node, each node its own node worker.
 *
 * The default cluster is what tutorials can count on: three nodes like
 * small real ones (2 CPU, 4Gi memory, 110 pods), spread over three zones,
 * with the standard labels. Count, capacity, labels and taints are
 * configurable, and the cluster's clock can run faster (a classroom's
 * backoffs and evictions then take seconds, not minutes).
 */
import { GarbageCollector, applyObject, createApiStore, ensureBootstrapPolicy, ensureClusterServices, decodeObject, kindFor, kubectlKind, parseManifests, withSource, type ApiStore, type KubeObject, type Taint } from '../api/index.ts';
import {
  ClusterRoleAggregationController,
  DaemonSetController,
  DeploymentController,
  EndpointSliceController,
  JobController,
  KUBELET_VERSION,
  Kubelet,
  NamespaceController,
  ServiceAccountsController,
  NodeLifecycleController,
  ReplicaSetController,
  eventRecorder,
  storeImageService,
} from '../controllers/index.ts';
import type { FetchFn } from '../oci/index.ts';
import { layoutSources } from './layouts.ts';
import { Scheduler } from '../scheduler/index.ts';
import { PodplayNetwork, podCidrFor } from '../net/index.ts';
import { startApiServer } from './apiserver.ts';
import { NodePool, openContentStore, type NodeWorker, type Peer, type PeerEvents, type StoreConfig } from '../runtime/index.ts';
import { PodplayError, SystemClock, type Clock, type Disposable } from '../shared/index.ts';

export interface NodeConfig {
  name: string;
  /** Capacity: cpu, memory, pods (default 2, 4Gi, 110). */
  capacity?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
}

export interface ClusterOptions {
  store: StoreConfig;
  /** The bundled OCI image layout the kubelets pull from (podplay's built-in registry). */
  layoutUrl: string;
  /** More image layouts, searched before the bundled one (a site's own images). */
  images?: string[];
  fetch?: FetchFn;
  /** The nodes; default: three nodes in three zones. */
  nodes?: NodeConfig[];
  /** How many cluster seconds pass per real second (default 1). */
  speed?: number;
  /** A clock of the caller's own (tests); overrides `speed`. */
  clock?: Clock;
  /** Objects saved from an earlier run ({@link Cluster.state}): the cluster starts where it was. */
  state?: KubeObject[];
  /** How often each node worker is pinged, and how long a silence means it died (ms). */
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
}

export const ZONES = ['zone-a', 'zone-b', 'zone-c'];

/** The default nodes: `node-1`…`node-N`, spread over the zones. */
export function defaultNodes(count = 3): NodeConfig[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `node-${i + 1}`,
    labels: { 'topology.kubernetes.io/zone': ZONES[i % ZONES.length]!, 'topology.kubernetes.io/region': 'podplay' },
  }));
}

/**
 * The scheduler and the controllers of a cluster over `api` (everything but
 * the kubelets); `caCertificate` is the cluster CA the root-CA publisher
 * writes into every namespace's kube-root-ca.crt.
 */
export function startControlPlane(api: ApiStore, caCertificate?: string | Promise<string>): Disposable[] {
  return [
    new ServiceAccountsController(api, caCertificate),
    new Scheduler(api, eventRecorder(api, 'default-scheduler')),
    new ReplicaSetController(api),
    new DeploymentController(api),
    new JobController(api),
    new DaemonSetController(api),
    new NodeLifecycleController(api),
    new NamespaceController(api),
    new EndpointSliceController(api),
    new ClusterRoleAggregationController(api),
    new GarbageCollector(api),
  ];
}

export class Cluster implements Disposable {
  readonly api: ApiStore;
  readonly clock: Clock;
  readonly nodes: NodePool;
  readonly kubelets: Kubelet[];
  /** Pods' addresses, Services, the DNS, and the connections between guests. */
  readonly network: PodplayNetwork;
  readonly #parts: Disposable[];

  private constructor(api: ApiStore, clock: Clock, nodes: NodePool, kubelets: Kubelet[], network: PodplayNetwork, parts: Disposable[]) {
    this.api = api;
    this.clock = clock;
    this.nodes = nodes;
    this.kubelets = kubelets;
    this.network = network;
    this.#parts = parts;
  }

  static async start(options: ClusterOptions): Promise<Cluster> {
    const clock = options.clock ?? new SystemClock(options.speed ?? 1);
    const api = createApiStore({ clock });
    if (options.state) {
      try {
        api.restore(options.state);
      } catch (err) {
        throw new PodplayError('StateRefused', `the cluster could not take its objects (${(err as Error).message})`, { cause: err });
      }
      ensureClusterServices(api);
      ensureBootstrapPolicy(api);
    }
    const network = new PodplayNetwork(api);
    const apiserver = startApiServer(api, clock, network);
    const configs = options.nodes ?? defaultNodes();
    const nodes = new NodePool(options.store, configs.map((n) => n.name), { heartbeatMs: options.heartbeatMs, heartbeatTimeoutMs: options.heartbeatTimeoutMs });
    const kubelets: Kubelet[] = [];
    try {
      await nodes.ready();
      const content = await openContentStore(options.store);
      const images = storeImageService(content, layoutSources(options.layoutUrl, options.images, options.fetch));
      for (const [i, n] of configs.entries()) {
        const worker = nodes.get(n.name);
        network.network.addNode(n.name, await worker.attachNetwork());
        const podCIDR = podCidrFor(i + 1);
        const internalIP = `10.0.0.${i + 2}`;
        const kubelet = new Kubelet({
          api,
          clock,
          nodeName: n.name,
          runtime: worker,
          images,
          capacity: n.capacity,
          labels: n.labels,
          taints: n.taints,
          internalIP,
          podCIDR,
          network: network.pods.forNode(n.name, podCIDR, internalIP, KUBELET_VERSION),
          credentials: apiserver.credentials,
        });
        kubelets.push(kubelet);
        await kubelet.start();
      }
    } catch (err) {
      // A node the API refuses (a bad label, a taint's effect): nothing of this start is left running.
      for (const k of kubelets) k.dispose();
      await nodes.dispose();
      throw err;
    }
    return new Cluster(api, clock, nodes, kubelets, network, startControlPlane(api, apiserver.caCertificate));
  }

  /**
   * kubectl apply -f: every document of a manifest file, in order, as kubectl
   * applies them: each success is kubectl's line (`deployment.apps/web
   * created`), each failure its error message, and a failure does not stop
   * the documents after it. A file that does not parse is one error.
   */
  apply(text: string, source: string, namespace = 'default', options: { dryRun?: boolean } = {}): { lines: string[]; errors: string[] } {
    const lines: string[] = [];
    const errors: string[] = [];
    const say = (err: unknown) => errors.push((err as { kubectlMessage?: () => string }).kubectlMessage?.() ?? `error: ${(err as Error).message}`);
    let objects: KubeObject[];
    try {
      objects = parseManifests(text, source);
    } catch (err) {
      say(err);
      return { lines, errors };
    }
    for (const raw of objects) {
      try {
        const obj = decodeObject(raw, source);
        const info = kindFor(obj.apiVersion, obj.kind)!;
        const r = applyObject(this.api, obj, namespace, options);
        lines.push(`${kubectlKind(info)}/${r.object.metadata.name} ${r.action}`);
      } catch (err) {
        say(withSource(err, 'creating', source));
      }
    }
    return { lines, errors };
  }

  /**
   * Where a pod's container runs: the node worker and the container's id
   * there (its current run, or with `previous` the one before it), for
   * kubectl logs, exec and top. Undefined while it has not started.
   */
  container(pod: KubeObject, name: string, previous = false): { node: NodeWorker; id: string } | undefined {
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!nodeName) return undefined;
    const ids = this.kubelet(nodeName)?.worker(pod)?.containerIds(name);
    const id = previous ? ids?.previous : ids?.current;
    return id ? { node: this.nodes.get(nodeName), id } : undefined;
  }

  /**
   * A connection to `port` inside a running pod's network namespace, as
   * kubectl port-forward makes it (to localhost there): the way to send to
   * it, or the errno (ECONNREFUSED when nothing listens).
   */
  forward(pod: KubeObject, port: number, events: PeerEvents): Promise<{ peer: Peer } | { errno: number }> {
    return this.network.network.dialInto(pod.metadata.uid!, port, events);
  }

  /** The cluster's objects, to save and start from again ({@link ClusterOptions.state}). */
  state(): KubeObject[] {
    return this.api.dump();
  }

  /** The kubelet of a node. */
  kubelet(name: string): Kubelet | undefined {
    return this.kubelets.find((k) => k.nodeName === name);
  }

  async dispose(): Promise<void> {
    for (const p of [...this.kubelets, ...this.#parts]) p.dispose();
    this.network.dispose();
    await this.nodes.dispose();
  }
}
