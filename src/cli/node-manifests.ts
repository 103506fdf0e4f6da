/**
 * The nodes a cluster starts with, written as Node manifests (as kwok and
 * kind users write fake nodes): `metadata.name`, `metadata.labels`,
 * `spec.taints` and `status.capacity` (cpu, memory, pods) of each
 * `kind: Node` document. Each becomes a node worker with that capacity.
 */
import { parseManifests } from '../api/index.ts';
import type { NodeConfig } from '../sandbox/index.ts';

/** A file's Node documents as node configs; throws a message naming the file and document for anything else. */
export function nodeConfigsFromYaml(text: string, source: string): NodeConfig[] {
  const docs = parseManifests(text, source);
  const configs: NodeConfig[] = [];
  for (const [i, doc] of docs.entries()) {
    const where = `${source}: document ${i + 1}`;
    if (doc.kind !== 'Node') throw new Error(`${where} is a ${doc.kind ?? 'document without a kind'}; this file may only hold Node manifests (kind: Node)`);
    const name = doc.metadata?.name;
    if (!name || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) throw new Error(`${where}: metadata.name ${name ? `"${name}" is not a valid node name (lower case letters, digits, '-' and '.')` : 'is missing'}`);
    if (configs.some((c) => c.name === name)) throw new Error(`${where}: node "${name}" is named twice`);
    const spec = (doc.spec ?? {}) as { taints?: NodeConfig['taints'] };
    const capacity = ((doc.status ?? {}) as { capacity?: Record<string, string | number> }).capacity;
    configs.push({
      name,
      labels: doc.metadata?.labels,
      taints: spec.taints,
      capacity: capacity && Object.fromEntries(Object.entries(capacity).map(([k, v]) => [k, String(v)])),
    });
  }
  if (!configs.length) throw new Error(`${source} holds no Node manifests`);
  return configs;
}
