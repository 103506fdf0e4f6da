/**
 * The EndpointSlice controller (and the Endpoints one it replaced, whose
 * objects clusters still publish): for each Service with a selector, one
 * EndpointSlice and one Endpoints object listing the pods it selects that
 * have an IP, each with its readiness (a pod is ready when its Ready
 * condition is True and it is not being deleted), and the Service's ports
 * resolved to the pods' ports (a named targetPort by the container port of
 * that name). kube-proxy (src/net/services.ts) and the DNS read the slices.
 */
import type { ApiStore, KubeObject, Pod } from '../api/index.ts';
import type { Disposable } from '../shared/index.ts';
import { isPodReady, keyOf, splitKey } from './controller.ts';
import { WorkQueue } from './queue.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice-controller.k8s.io';

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  appProtocol?: string;
}
interface ServiceSpec {
  selector?: Record<string, string>;
  ports?: ServicePort[];
  clusterIP?: string;
  publishNotReadyAddresses?: boolean;
}

export class EndpointSliceController implements Disposable {
  readonly #api: ApiStore;
  readonly #queue: WorkQueue;
  readonly #watches: Disposable[] = [];

  constructor(api: ApiStore) {
    this.#api = api;
    this.#queue = new WorkQueue(api.clock, (key) => this.#sync(...splitKey(key)));
    this.#watches.push(api.watch('Service', {}, (e) => this.#queue.add(keyOf(e.object))));
    this.#watches.push(
      api.watch('Pod', {}, (e) => {
        for (const s of api.list('Service', { namespace: e.object.metadata.namespace }).items) if ((s.spec as ServiceSpec).selector) this.#queue.add(keyOf(s));
      }),
    );
  }

  #sync(ns: string, name: string): void {
    const api = this.#api;
    const svc = api.tryGet('Service', ns, name);
    const spec = svc?.spec as ServiceSpec | undefined;
    if (!svc || !spec?.selector || svc.metadata.deletionTimestamp) {
      // The objects go with their Service (their ownerReference), or stay when the Service has no selector (managed by hand).
      return;
    }
    const selector = spec.selector;
    const pods = api
      .list<Pod>('Pod', { namespace: ns })
      .items.filter((p) => p.status?.podIP && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed' && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v))
      .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const ready = (p: Pod) => (spec.publishNotReadyAddresses || isPodReady(p)) && !p.metadata.deletionTimestamp;
    // The Service's ports as each pod has them (a named targetPort may be another number in another pod):
    // pods that agree share a slice and an Endpoints subset, as the controllers group them.
    const portsOf = (p: Pod | undefined) =>
      (spec.ports ?? [])
        .map((sp) => ({ name: sp.name ?? '', port: targetPort(sp, p), protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) }))
        .filter((x) => x.port !== undefined);
    const groups = new Map<string, { ports: ReturnType<typeof portsOf>; pods: Pod[] }>();
    for (const p of pods) {
      const ports = portsOf(p);
      const key = JSON.stringify(ports);
      const g = groups.get(key) ?? { ports, pods: [] };
      g.pods.push(p);
      groups.set(key, g);
    }
    if (!groups.size) groups.set('', { ports: portsOf(undefined), pods: [] });
    const owner = { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true };
    const targetRef = (p: Pod) => ({ kind: 'Pod', namespace: ns, name: p.metadata.name!, uid: p.metadata.uid! });
    const wanted = new Set<string>();
    [...groups.values()].forEach((g, i) => {
      const sliceName = i === 0 ? `${name}-${shortHash(`${ns}/${name}`)}` : `${name}-${shortHash(`${ns}/${name}/${JSON.stringify(g.ports)}`)}`;
      wanted.add(sliceName);
      const slice = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: sliceName, namespace: ns, labels: { [SERVICE_NAME_LABEL]: name, 'endpointslice.kubernetes.io/managed-by': MANAGED_BY }, ownerReferences: [owner] },
        addressType: 'IPv4',
        endpoints: g.pods.map((p) => ({
          addresses: [p.status!.podIP!],
          conditions: { ready: ready(p), serving: isPodReady(p), terminating: !!p.metadata.deletionTimestamp },
          targetRef: targetRef(p),
          nodeName: p.spec.nodeName,
        })),
        ports: g.ports,
      };
      this.#put(slice as unknown as KubeObject);
    });
    // Slices of this Service for port mappings no pod has any more.
    for (const old of api.list('EndpointSlice', { namespace: ns, labelSelector: `${SERVICE_NAME_LABEL}=${name},endpointslice.kubernetes.io/managed-by=${MANAGED_BY}` }).items) {
      if (!wanted.has(old.metadata.name!)) api.delete('EndpointSlice', ns, old.metadata.name!);
    }
    const address = (p: Pod) => ({ ip: p.status!.podIP!, nodeName: p.spec.nodeName, targetRef: targetRef(p) });
    const subsets = [...groups.values()]
      .filter((g) => g.pods.some((p) => !p.metadata.deletionTimestamp))
      .map((g) => {
        const readyPods = g.pods.filter(ready);
        const notReady = g.pods.filter((p) => !ready(p) && !p.metadata.deletionTimestamp);
        return {
          ...(readyPods.length ? { addresses: readyPods.map(address) } : {}),
          ...(notReady.length ? { notReadyAddresses: notReady.map(address) } : {}),
          ports: g.ports.map((x) => ({ ...(x.name ? { name: x.name } : {}), port: x.port, protocol: x.protocol })),
        };
      })
      .filter((sub) => sub.addresses || sub.notReadyAddresses);
    const endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace: ns, labels: { ...(svc.metadata.labels ?? {}), 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' }, ownerReferences: [owner] },
      subsets: subsets.length ? subsets : undefined,
    };
    if (!endpoints.subsets) delete endpoints.subsets;
    this.#put(endpoints as unknown as KubeObject);
  }

  /** Creates or replaces `o` when what it says changed. */
  #put(o: KubeObject): void {
    const api = this.#api;
    const had = api.tryGet(o.kind, o.metadata.namespace, o.metadata.name!);
    if (!had) {
      api.create(o);
      return;
    }
    const { metadata: _m, ...body } = o;
    const { metadata: _h, ...before } = had;
    if (JSON.stringify(body) === JSON.stringify(before) && JSON.stringify(o.metadata.labels) === JSON.stringify(had.metadata.labels)) return;
    api.update({ ...o, metadata: { ...had.metadata, labels: o.metadata.labels, ownerReferences: o.metadata.ownerReferences } });
  }

  dispose(): void {
    this.#queue.dispose();
    for (const w of this.#watches) w.dispose();
  }
}

/** The Service port's port on the pods: targetPort as a number, a named container port, or the port itself. */
function targetPort(sp: ServicePort, pod: Pod | undefined): number | undefined {
  const t = sp.targetPort ?? sp.port;
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(t)) return Number(t);
  for (const c of pod?.spec.containers ?? []) {
    const p = (c as { ports?: Array<{ name?: string; containerPort: number; protocol?: string }> }).ports?.find((cp) => cp.name === t && (cp.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'));
    if (p) return p.containerPort;
  }
  return undefined;
}

/** Five characters from [a-z0-9], stable for a key (the controller's generateName suffix). */
function shortHash(key: string): string {
  let h = 2166136261;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += alphabet[h % alphabet.length];
    h = Math.floor(h / alphabet.length) + 7919 * (i + 1);
  }
  return out;
}
