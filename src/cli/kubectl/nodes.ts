/**
 * Node maintenance: taint, cordon, uncordon and drain, with kubectl's lines
 * (`node/node-1 cordoned`, `evicting pod default/web-…`, `node/node-1
 * drained`) and refusals (DaemonSet-managed and unmanaged pods).
 */
import type { Node, Pod, Taint } from '../../api/index.ts';
import { UsageError } from '../flags.ts';
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { SELECTOR_FLAG } from './common.ts';
import { resourceType } from './resources.ts';

/** A pod's managing controller (the owner reference marked controller). */
const controllerOf = (p: Pod) => p.metadata.ownerReferences?.find((r) => r.controller);

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Nodes named by the arguments (`node-1`, `nodes node-1`, `node/node-1`), or by -l / --all. */
function nodesOf(inv: Invocation, words: string[]): Node[] {
  const api = inv.env.cluster.api;
  const names: string[] = [];
  for (const [i, w] of words.entries()) {
    if (w.includes('/')) {
      if (resourceType(w.slice(0, w.indexOf('/'))).kind !== 'Node') throw new CommandError(`error: invalid resource ${w}, only nodes are supported`);
      names.push(w.slice(w.indexOf('/') + 1));
    } else if (i === 0 && words.length > 0 && ['node', 'nodes', 'no'].includes(w)) continue;
    else names.push(w);
  }
  if (!names.length) {
    if (inv.flags.selector || inv.flags.all) return api.list<Node>('Node', { labelSelector: (inv.flags.selector as string) || undefined }).items;
    throw new UsageError('USAGE: NODE is required');
  }
  return names.map((n) => api.get<Node>('Node', undefined, n));
}

function parseTaint(spec: string): { taint: Taint; remove: boolean } {
  const remove = spec.endsWith('-');
  const body = remove ? spec.slice(0, -1) : spec;
  const colon = body.lastIndexOf(':');
  const kv = colon < 0 ? body : body.slice(0, colon);
  const effect = colon < 0 ? '' : body.slice(colon + 1);
  const [key, value] = kv.includes('=') ? [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] : [kv, undefined];
  if (!key || (!remove && !effect)) throw new CommandError(`error: invalid taint spec: ${spec}`);
  if (effect && !EFFECTS.includes(effect)) throw new CommandError(`error: invalid taint effect: ${effect}, unsupported taint effect`);
  return { taint: { key, ...(value !== undefined ? { value } : {}), effect: effect as Taint['effect'] }, remove };
}

export const taintCommand: Command = {
  name: 'taint',
  group: 'Cluster Management Commands:',
  short: 'Update the taints on one or more nodes',
  use: 'taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N',
  examples: `  # Update node 'foo' with a taint with key 'dedicated' and value 'special-user' and effect 'NoSchedule'
  # If a taint with that key and effect already exists, its value is replaced as specified
  kubectl taint nodes foo dedicated=special-user:NoSchedule

  # Remove from node 'foo' the taint with key 'dedicated' and effect 'NoSchedule' if one exists
  kubectl taint nodes foo dedicated:NoSchedule-

  # Remove from node 'foo' all the taints with key 'dedicated'
  kubectl taint nodes foo dedicated-`,
  flags: [
    { name: 'all', type: 'bool', help: 'Select all nodes in the cluster' },
    { name: 'overwrite', type: 'bool', help: 'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.' },
    SELECTOR_FLAG,
  ],
  run(inv) {
    const specs = inv.args.filter((a) => a.includes(':') || a.includes('=') || (a.endsWith('-') && !['node', 'nodes'].includes(a)));
    const words = inv.args.filter((a) => !specs.includes(a));
    if (!specs.length) throw new UsageError('at least one taint update is required');
    const changes = specs.map(parseTaint);
    for (const node of nodesOf(inv, words)) {
      const taints = [...(node.spec?.taints ?? [])];
      let removed = false;
      let added = false;
      let replaced = false;
      for (const { taint, remove } of changes) {
        if (remove) {
          const before = taints.length;
          for (let i = taints.length - 1; i >= 0; i--) if (taints[i]!.key === taint.key && (!taint.effect || taints[i]!.effect === taint.effect)) taints.splice(i, 1);
          if (taints.length === before) throw new CommandError(`error: taint ${JSON.stringify(taint.effect ? `${taint.key}:${taint.effect}` : taint.key)} not found`);
          removed = true;
        } else {
          const same = taints.findIndex((t) => t.key === taint.key && t.effect === taint.effect);
          if (same >= 0 && !inv.flags.overwrite) throw new CommandError(`error: node ${node.metadata.name} already has ${taint.key} taint(s) with same effect(s) and --overwrite is false`);
          // New taints go first, as kubectl's reorganizeTaints puts them; a replaced one makes it "modified".
          if (same >= 0) {
            taints.splice(same, 1);
            replaced = true;
          }
          taints.unshift(taint);
          added = true;
        }
      }
      inv.env.cluster.api.mutate<Node>('Node', undefined, node.metadata.name!, (n) => void (n.spec = { ...n.spec, taints }));
      inv.io.out(`node/${node.metadata.name} ${replaced || (added && removed) ? 'modified' : added ? 'tainted' : 'untainted'}\n`);
    }
  },
};

function setUnschedulable(inv: Invocation, node: Node, value: boolean): void {
  const verb = value ? 'cordoned' : 'uncordoned';
  if (!!node.spec?.unschedulable === value) {
    inv.io.out(`node/${node.metadata.name} already ${verb}\n`);
    return;
  }
  inv.env.cluster.api.mutate<Node>('Node', undefined, node.metadata.name!, (n) => {
    n.spec = { ...n.spec };
    if (value) n.spec.unschedulable = true;
    else delete n.spec.unschedulable;
  });
  inv.io.out(`node/${node.metadata.name} ${verb}\n`);
}

const cordonLike = (value: boolean): Command => ({
  name: value ? 'cordon' : 'uncordon',
  group: 'Cluster Management Commands:',
  short: value ? 'Mark node as unschedulable' : 'Mark node as schedulable',
  use: `${value ? 'cordon' : 'uncordon'} NODE`,
  examples: `  # Mark node "foo" as ${value ? 'unschedulable' : 'schedulable'}\n  kubectl ${value ? 'cordon' : 'uncordon'} foo`,
  flags: [SELECTOR_FLAG],
  run(inv) {
    for (const node of nodesOf(inv, inv.args)) setUnschedulable(inv, node, value);
  },
});

export const cordonCommand = cordonLike(true);
export const uncordonCommand = cordonLike(false);

export const drainCommand: Command = {
  name: 'drain',
  group: 'Cluster Management Commands:',
  short: 'Drain node in preparation for maintenance',
  use: 'drain NODE',
  long: 'Drain node in preparation for maintenance.\n\n The given node will be marked unschedulable to prevent new pods from arriving. \'drain\' evicts the pods if the API server supports eviction. Otherwise, it will use normal DELETE to delete the pods.',
  examples: `  # Drain node "foo", even if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set on it
  kubectl drain foo --force`,
  flags: [
    { name: 'delete-emptydir-data', type: 'bool', help: 'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).' },
    { name: 'force', type: 'bool', help: 'Continue even if there are pods that do not declare a controller.' },
    { name: 'grace-period', type: 'int', default: -1, help: 'Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.' },
    { name: 'ignore-daemonsets', type: 'bool', help: 'Ignore DaemonSet-managed pods.' },
    SELECTOR_FLAG,
  ],
  async run(inv) {
    const api = inv.env.cluster.api;
    let fatal = '';
    const pending: string[] = [];
    const nodes = nodesOf(inv, inv.args);
    // All the nodes are cordoned first, as kubectl does.
    for (const node of nodes) setUnschedulable(inv, api.get<Node>('Node', undefined, node.metadata.name!), true);
    for (const node of nodes) {
      const name = node.metadata.name!;
      const pods = api.list<Pod>('Pod', { fieldSelector: `spec.nodeName=${name}` }).items;
      // Finished pods go without a controller's say (drain's unreplicatedFilter).
      const finished = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
      const key = (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`;
      const daemon = pods.filter((p) => controllerOf(p)?.kind === 'DaemonSet');
      const unmanaged = pods.filter((p) => !controllerOf(p) && !finished(p));
      const emptyDir = pods.filter((p) => p.spec.volumes?.some((v) => v.emptyDir) && controllerOf(p)?.kind !== 'DaemonSet');
      const problems: string[] = [];
      if (daemon.length && !inv.flags['ignore-daemonsets']) problems.push(`cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${daemon.map(key).join(', ')}`);
      if (unmanaged.length && !inv.flags.force) problems.push(`cannot delete Pods declare no controller (use --force to override): ${unmanaged.map(key).join(', ')}`);
      if (emptyDir.length && !inv.flags['delete-emptydir-data']) problems.push(`cannot delete Pods with local storage (use --delete-emptydir-data to override): ${emptyDir.map(key).join(', ')}`);
      if (problems.length) {
        // kubectl drain's words, its aggregate error in brackets when there are several.
        fatal = problems.length === 1 ? problems[0]! : `[${problems.join(', ')}]`;
        inv.io.err(`error: unable to drain node "${name}" due to error:${fatal}, continuing command...\n`);
        pending.push(name);
        continue;
      }
      const warnings: string[] = [];
      if (daemon.length) warnings.push(`ignoring DaemonSet-managed Pods: ${daemon.map(key).join(', ')}`);
      if (unmanaged.length) warnings.push(`deleting Pods that declare no controller: ${unmanaged.map(key).join(', ')}`);
      if (warnings.length) inv.io.err(`Warning: ${warnings.join('; ')}\n`);
      const evict = pods.filter((p) => controllerOf(p)?.kind !== 'DaemonSet');
      const grace = inv.flags['grace-period'] as number;
      for (const p of evict) {
        inv.io.out(`evicting pod ${key(p)}\n`);
        api.delete('Pod', p.metadata.namespace, p.metadata.name!, { gracePeriodSeconds: grace >= 0 ? grace : undefined });
      }
      await Promise.all(evict.map((p) => goneOrAborted(inv, p).then((gone) => gone && inv.io.out(`pod/${p.metadata.name} evicted\n`))));
      if (inv.io.signal.aborted) return 1;
      inv.io.out(`node/${name} drained\n`);
    }
    if (pending.length) inv.io.err(`There are pending nodes to be drained:\n${pending.map((n) => ` ${n}\n`).join('')}error: ${fatal}\n`);
    return pending.length ? 1 : 0;
  },
};

/** Resolves true once the pod (that uid) is gone, false on Ctrl-C. */
function goneOrAborted(inv: Invocation, pod: Pod): Promise<boolean> {
  const api = inv.env.cluster.api;
  const present = () => api.tryGet('Pod', pod.metadata.namespace, pod.metadata.name!)?.metadata.uid === pod.metadata.uid;
  if (!present()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const w = api.watch('Pod', { namespace: pod.metadata.namespace, fieldSelector: `metadata.name=${pod.metadata.name}` }, () => !present() && finish(true));
    const abort = () => finish(false);
    const finish = (gone: boolean) => {
      w.dispose();
      inv.io.signal.removeEventListener('abort', abort);
      resolve(gone);
    };
    inv.io.signal.addEventListener('abort', abort, { once: true });
  });
}
