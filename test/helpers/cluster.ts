/**
 * A small cluster for Node tests: the API with a ManualClock, the cluster's
 * control plane (scheduler and controllers, as Cluster starts them), and one
 * kubelet per given node worker (real runtimes). `trace` keeps one line per
 * pod state change, for lifecycle traces.
 */
import { createApiStore, type ApiStore, type Pod } from '../../src/api/index.ts';
import { Kubelet, storeImageService } from '../../src/controllers/index.ts';
import { LayoutSource } from '../../src/oci/index.ts';
import { startControlPlane } from '../../src/sandbox/index.ts';
import { createClusterCertificates } from '../../src/net/index.ts';
import { openContentStore, type NodeWorker, type StoreConfig } from '../../src/runtime/index.ts';
import { ManualClock, type Disposable } from '../../src/shared/index.ts';
import { fileFetch, layoutUrl } from './layout.ts';

export interface TestCluster {
  api: ApiStore;
  clock: ManualClock;
  kubelets: Kubelet[];
  /** One line per pod state: `name phase [true conditions] container=state/restarts`. */
  trace: string[];
  close(): void;
}

export async function startCluster(store: StoreConfig, nodes: Array<{ name: string; worker: NodeWorker }>): Promise<TestCluster> {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 0));
  const api = createApiStore({ clock });
  const content = await openContentStore(store);
  const images = storeImageService(content, LayoutSource.fromUrl(layoutUrl(), fileFetch));
  const kubelets: Kubelet[] = [];
  for (const [i, n] of nodes.entries()) {
    const k = new Kubelet({ api, clock, nodeName: n.name, runtime: n.worker, images, internalIP: `10.0.0.${i + 2}` });
    await k.start();
    kubelets.push(k);
  }
  const { ca } = await createClusterCertificates({ serviceIP: '10.96.0.1', dnsNames: ['kubernetes'] });
  const parts: Disposable[] = startControlPlane(api, ca.certificate);
  const trace: string[] = [];
  parts.push(
    api.watch('Pod', {}, (e) => {
      const line = describePod(e.object as Pod, e.type);
      if (trace.at(-1) !== line) trace.push(line);
    }),
  );
  return { api, clock, kubelets, trace, close: () => [...kubelets, ...parts].forEach((d) => d.dispose()) };
}

export function describePod(pod: Pod, type: string): string {
  if (type === 'DELETED') return `${pod.metadata.name} deleted`;
  const s = pod.status ?? {};
  const conditions = (s.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type).sort().join(',');
  const containers = (s.containerStatuses ?? [])
    .map((c) => {
      const st = c.state.running ? 'running' : c.state.terminated ? `terminated:${c.state.terminated.reason}:${c.state.terminated.exitCode}` : `waiting:${c.state.waiting?.reason}`;
      return `${c.name}=${st}/${c.restartCount}${c.ready ? '/ready' : ''}`;
    })
    .join(' ');
  return `${s.phase}${pod.metadata.deletionTimestamp ? ' (terminating)' : ''} [${conditions}] ${containers}`.trim();
}

/** Events about `name`, oldest first: `type reason message (xN)`. */
export function eventsOf(api: ApiStore, name: string, kind?: string): string[] {
  return api
    .list('Event')
    .items.filter((e) => (e.involvedObject as { name: string; kind: string }).name === name && (!kind || (e.involvedObject as { kind: string }).kind === kind))
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((e) => `${e.type} ${e.reason} ${e.message}${Number(e.count) > 1 ? ` (x${e.count})` : ''}`);
}

export async function until(what: string, fn: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
