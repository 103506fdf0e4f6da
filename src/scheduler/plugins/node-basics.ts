/**
 * The plugins about the node alone (pkg/scheduler/framework/plugins):
 * NodeUnschedulable, NodeName, TaintToleration (NoSchedule and NoExecute
 * filter, PreferNoSchedule scores), NodeAffinity (nodeSelector and required
 * terms filter, preferred terms score) and NodePorts, with upstream's
 * status codes and reasons.
 */
import { tolerates, type Toleration } from '../../api/index.ts';
import { nodeMatchesTerms, termMatches } from '../affinity.ts';
import type { Plugin } from '../framework.ts';
import type { NodeInfo } from '../node-info.ts';
import type { PodInfo } from '../pod-info.ts';
import { Status } from '../status.ts';
import { defaultNormalize } from './normalize.ts';

export const ERR_UNSCHEDULABLE = 'node(s) were unschedulable';
export const ERR_NODE_NAME = "node(s) didn't match the requested node name";
export const ERR_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const ERR_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

export const NodeUnschedulable: Plugin = {
  name: 'NodeUnschedulable',
  filter(_state, pod, node) {
    if (!node.unschedulable) return Status.success();
    const tolerated = pod.tolerations.some((t) => tolerates(t, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }));
    return tolerated ? Status.success() : Status.unresolvable(ERR_UNSCHEDULABLE);
  },
};

export const NodeName: Plugin = {
  name: 'NodeName',
  filter(_state, pod, node) {
    const want = pod.pod.spec.nodeName;
    return !want || want === node.name ? Status.success() : Status.unresolvable(ERR_NODE_NAME);
  },
};

const PREFER_TOLERATIONS = 'TaintToleration/preferNoSchedule';

export const TaintToleration: Plugin = {
  name: 'TaintToleration',
  filter(_state, pod, node) {
    const taints = node.taints;
    for (let i = 0; i < taints.length; i++) {
      const t = taints[i]!;
      if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !pod.tolerations.some((x) => tolerates(x, t))) return Status.unresolvable('node(s) had untolerated taint(s)');
    }
    return Status.success();
  },
  // The tolerations that count against PreferNoSchedule taints: that effect's, or of no effect.
  preScore(state, pod) {
    state.write(PREFER_TOLERATIONS, pod.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule'));
    return Status.success();
  },
  // PreferNoSchedule taints the pod does not tolerate.
  score(state, pod, node) {
    if (node.taints.length === 0) return 0;
    const tolerations = state.read<Toleration[]>(PREFER_TOLERATIONS) ?? pod.tolerations;
    let n = 0;
    for (const t of node.taints) if (t.effect === 'PreferNoSchedule' && !tolerations.some((x) => tolerates(x, t))) n++;
    return n;
  },
  normalizeScore: (_state, _pod, scores) => defaultNormalize(scores, true),
};

/** nodeSelector and required node affinity (both must hold). */
export function nodeAllows(pod: PodInfo, node: NodeInfo): boolean {
  for (const [k, v] of pod.nodeSelector) if (node.labels[k] !== v) return false;
  return !pod.requiredNodeAffinity || nodeMatchesTerms(pod.requiredNodeAffinity, node.node);
}

export const NodeAffinity: Plugin = {
  name: 'NodeAffinity',
  preFilter: (_state, pod) => (pod.nodeSelector.length || pod.requiredNodeAffinity ? Status.success() : Status.skip()),
  filter: (_state, pod, node) => (nodeAllows(pod, node) ? Status.success() : Status.unresolvable(ERR_NODE_AFFINITY)),
  preScore: (_state, pod) => (pod.preferredNodeAffinity.length ? Status.success() : Status.skip()),
  // The weights of the preferred terms the node matches.
  score(_state, pod, node) {
    let sum = 0;
    for (const p of pod.preferredNodeAffinity) if (p.weight && termMatches(p.preference, node.node)) sum += p.weight;
    return sum;
  },
  normalizeScore: (_state, _pod, scores) => defaultNormalize(scores, false),
};

export const NodePorts: Plugin = {
  name: 'NodePorts',
  preFilter: (_state, pod) => (pod.hostPorts.length ? Status.success() : Status.skip()),
  filter(_state, pod, node) {
    for (const k of pod.hostPorts) if (node.usedPorts.has(k)) return Status.unschedulable(ERR_NODE_PORTS);
    return Status.success();
  },
};
