/**
 * The nodes one scheduling cycle sees (framework's Snapshot / NodeInfoLister):
 * every node, by name too, and the nodes that hold pods with pod
 * (anti-)affinity terms, which InterPodAffinity looks at for pods that have
 * no terms of their own.
 */
import type { NodeInfo } from './node-info.ts';

export interface Snapshot {
  readonly nodes: readonly NodeInfo[];
  get(name: string): NodeInfo | undefined;
  readonly havePodsWithAffinity: readonly NodeInfo[];
  readonly havePodsWithRequiredAntiAffinity: readonly NodeInfo[];
  /** How many nodes hold an image, by a name the nodes list it under (ImageStateSummary.NumNodes). */
  imageNumNodes(name: string): number;
}

/** Counts of nodes per image name. */
export function countImages(nodes: Iterable<NodeInfo>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of nodes) for (const name of n.images.keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

/** A snapshot of a fixed list of nodes (tests, preemption's what-ifs). */
export function snapshotOf(nodes: readonly NodeInfo[]): Snapshot {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const images = countImages(nodes);
  return {
    imageNumNodes: (name) => images.get(name) ?? 0,
    nodes,
    get: (name) => byName.get(name),
    havePodsWithAffinity: nodes.filter((n) => n.podsWithAffinity.size > 0),
    havePodsWithRequiredAntiAffinity: nodes.filter((n) => n.podsWithRequiredAntiAffinity.size > 0),
  };
}

/** The same snapshot with one node replaced by another view of it. */
export function replacing(snapshot: Snapshot, node: NodeInfo): Snapshot {
  return snapshotOf(snapshot.nodes.map((n) => (n.name === node.name ? node : n)));
}
