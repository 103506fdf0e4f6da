/**
 * The nodes a cluster starts with, written as Node manifests (as kwok and
 * kind users write fake nodes): `metadata.name`, `metadata.labels`,
 * `spec.taints` and `status.capacity` (cpu, memory, pods) of each
 * `kind: Node` document. Each becomes a node worker with that capacity. A
 * file is checked whole before any worker starts: the API's own validation
 * of each Node, and capacities that are quantities.
 */
import { SystemClock } from '../shared/index.ts';
import { createApiStore, decodeObject, parseManifests, parseQuantity } from '../api/index.ts';
import type { NodeConfig } from '../sandbox/index.ts';

/** As many nodes as the element's `nodes` attribute allows. */
export const MAX_CLUSTER_NODES = 10;

const apiMessage = (err: unknown) => (err as { kubectlMessage?: () => string }).kubectlMessage?.().replace(/\n+$/, '') ?? (err as Error).message;

/** A file's Node documents as node configs; throws a message naming the file, the document and what is wrong. */
export function nodeConfigsFromYaml(text: string, source: string): NodeConfig[] {
  const docs = parseManifests(text, source);
  // The API's own checks (names, labels, taints), on a store of its own.
  const probe = createApiStore({ clock: new SystemClock() });
  const configs: NodeConfig[] = [];
  for (const [i, doc] of docs.entries()) {
    const where = `${source}: document ${i + 1}`;
    if (doc?.kind !== 'Node') throw new Error(`${where} is ${doc?.kind ? `a ${doc.kind}` : 'not an object with a kind'}; this file may only hold Node manifests (kind: Node)`);
    const name = doc.metadata?.name;
    if (!name) throw new Error(`${where}: metadata.name is missing`);
    try {
      probe.create(decodeObject(doc, source));
    } catch (err) {
      throw new Error(`${where}: ${apiMessage(err)}`);
    }
    const capacity = ((doc.status ?? {}) as { capacity?: Record<string, string | number> }).capacity ?? {};
    if (typeof capacity !== 'object' || Array.isArray(capacity)) throw new Error(`${where}: status.capacity must be a map of resource names to quantities (cpu: "2", memory: 4Gi, pods: "110")`);
    for (const [resource, quantity] of Object.entries(capacity)) {
      const value = parseQuantity(quantity);
      if (value === undefined || value <= 0) throw new Error(`${where}: status.capacity.${resource} "${quantity}" is not a quantity above zero (as "2", "500m", "4Gi")`);
    }
    configs.push({
      name,
      labels: doc.metadata?.labels,
      taints: (doc.spec as { taints?: NodeConfig['taints'] } | undefined)?.taints,
      capacity: Object.keys(capacity).length ? Object.fromEntries(Object.entries(capacity).map(([k, v]) => [k, String(v)])) : undefined,
    });
  }
  if (!configs.length) throw new Error(`${source} holds no Node manifests`);
  if (configs.length > MAX_CLUSTER_NODES) throw new Error(`${source} has ${configs.length} nodes; a sandbox runs at most ${MAX_CLUSTER_NODES} (each is a worker of this page)`);
  return configs;
}
