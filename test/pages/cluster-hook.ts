/**
 * The cluster part of the browser tests' hook: a cluster of node workers in
 * the page, manifests applied to it, and plain summaries of its objects and
 * events.
 */
import { BROWSER_STORE, Cluster, defaultNodes } from '../../src/sandbox/index.ts';

interface ObjectSummary {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  spec: unknown;
  status: unknown;
  deleting: boolean;
}

export function clusterHook(layoutUrl: string) {
  let cluster: Cluster | undefined;
  const running = () => {
    if (!cluster) throw new Error('no cluster: call clusterStart first');
    return cluster;
  };
  return {
    async clusterStart(opts: { nodes?: number; speed?: number } = {}): Promise<string[]> {
      await cluster?.dispose();
      cluster = await Cluster.start({ store: BROWSER_STORE, layoutUrl, nodes: defaultNodes(opts.nodes ?? 3), speed: opts.speed });
      return cluster.nodes.nodes.map((n) => n.name);
    },
    /** kubectl apply -f of a manifest's text: kubectl's lines and error messages. */
    clusterApply(text: string, source = 'manifest.yaml'): { lines: string[]; errors: string[] } {
      return running().apply(text, source);
    },
    clusterList(kind: string, labelSelector?: string): ObjectSummary[] {
      return running()
        .api.list(kind, { labelSelector })
        .items.map((o) => ({ name: o.metadata.name!, namespace: o.metadata.namespace, labels: o.metadata.labels, spec: o.spec, status: o.status, deleting: !!o.metadata.deletionTimestamp }));
    },
    /** Events about an object, oldest first: `type reason message`. */
    clusterEvents(name: string): string[] {
      return running()
        .api.list('Event')
        .items.filter((e) => (e.involvedObject as { name: string }).name === name)
        .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
        .map((e) => `${e.type} ${e.reason} ${e.message}`);
    },
    clusterDelete(kind: string, name: string): void {
      running().api.delete(kind, 'default', name);
    },
    async clusterStop(): Promise<void> {
      await cluster?.dispose();
      cluster = undefined;
    },
  };
}
