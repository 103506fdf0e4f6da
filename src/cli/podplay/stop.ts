/**
 * `podplay stop node NAME`: the real failure path. The node's worker is
 * ended abruptly (NodeWorker.crash), as a crashed machine ends: nothing is
 * told. Once the worker is found dead (its thread exits, or its next
 * heartbeat ping finds it ended), the kubelet stops and posts no more heartbeats; the node
 * lifecycle controller, after its grace period without one, marks the
 * node NotReady and taints it node.kubernetes.io/unreachable; taint-based
 * eviction deletes its pods once their toleration of the NoExecute taint
 * runs out (300 s by default), and their controllers recreate them on the
 * nodes that are left. The command says so, with this cluster's numbers.
 */
import { tolerates, type Taint } from '../../api/index.ts';
import { NODE_MONITOR_GRACE_S, type NodeWorker, type Pod } from '../../sandbox/index.ts';
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { namesOf, plural, wrapText } from './common.ts';

const UNREACHABLE: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };

/** When a pod on an unreachable node is evicted: `at once`, `after Ns`, or `never` (it tolerates the taint for good). */
function evictedWhen(pod: Pod): string {
  const matching = (pod.spec.tolerations ?? []).filter((t) => tolerates(t, UNREACHABLE));
  if (!matching.length) return 'at once';
  const seconds = Math.min(...matching.map((t) => t.tolerationSeconds ?? Infinity));
  return seconds === Infinity ? 'never' : `after ${Math.max(0, seconds)}s`;
}

/** What happens next to the node's pods, in a sentence or two. */
function podsFate(pods: readonly Pod[]): string {
  if (!pods.length) return 'No pods run there.';
  const groups = new Map<string, number>();
  for (const p of pods) groups.set(evictedWhen(p), (groups.get(evictedWhen(p)) ?? 0) + 1);
  const one = pods.length === 1;
  const its = `Its ${plural(pods.length, 'pod')}`;
  let out: string;
  if (groups.size > 1) out = `Its pods are evicted as their tolerations of that taint run out (${[...groups].map(([w, n]) => `${plural(n, 'pod')} ${w}`).join(', ')}).`;
  else if (groups.has('never')) return `${its} ${one ? 'tolerates' : 'tolerate'} that taint for good: ${one ? 'it stays' : 'they stay'} there, not running.`;
  else out = `${its} ${one ? 'is' : 'are'} evicted ${[...groups.keys()][0]}${groups.has('after 300s') ? ' (the default toleration of that taint)' : ''}.`;
  const owned = pods.filter((p) => p.metadata.ownerReferences?.some((r) => r.controller)).length;
  if (owned === pods.length) out += ` ${one ? 'Its controller recreates it' : 'Their controllers recreate them'} on the other nodes.`;
  else if (owned) out += ` The ${plural(owned, 'pod')} with a controller ${owned === 1 ? 'is' : 'are'} recreated on the other nodes; the others are gone for good.`;
  else out += ` No controller owns ${one ? 'it' : 'them'}: ${one ? 'it is' : 'they are'} gone for good.`;
  return out;
}

async function stopNode(inv: Invocation, name: string): Promise<void> {
  let worker: NodeWorker;
  try {
    worker = inv.env.cluster.nodes.get(name);
  } catch {
    throw new CommandError(`Error from server (NotFound): nodes "${name}" not found`);
  }
  if (worker.stopped) {
    const why = worker.failure ? ` (${worker.failure.reason})` : '';
    throw new CommandError(`error: node/${name} is already stopped: its node worker has ended${why}`);
  }
  const pods = inv.env.cluster.api
    .list<Pod>('Pod', { fieldSelector: `spec.nodeName=${name}` })
    .items.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  try {
    await worker.crash();
  } catch (err) {
    throw new CommandError(`error: node/${name} could not be stopped: ${(err as Error).message}`);
  }
  inv.io.out(`node/${name} stopped\n`);
  inv.io.out(
    wrapText(
      `Its node worker was ended, as a crash ends a machine. Once the worker is found dead (at its next heartbeat ping, within 2s), its kubelet stops and posts no more heartbeats; ` +
        `after ${NODE_MONITOR_GRACE_S}s without one, the node controller marks ${name} NotReady and taints it ${UNREACHABLE.key} (NoSchedule, NoExecute). ` +
        podsFate(pods),
    ),
  );
}

export const stopCommand: Command = {
  name: 'stop',
  short: 'End a node\'s worker abruptly, as a crash would',
  long: `End a node's worker abruptly, as a crash would.

 Nothing is told: once the worker is found dead (at its next heartbeat ping, within 2s),
 the node's kubelet stops and posts no more heartbeats. After the node
 controller's grace period without one (50s) the node is NotReady and
 tainted node.kubernetes.io/unreachable; its pods are evicted once their
 toleration of that taint runs out (300s by default), and their controllers
 (a ReplicaSet, a Job) recreate them on the other nodes. A stopped node
 stays down until the cluster starts again.`,
  use: 'stop node NAME',
  examples: `  # Crash node-2 and watch the cluster recover
  podplay stop node node-2
  kubectl get nodes -w`,
  run: async (inv) => {
    let code = 0;
    for (const name of namesOf(inv.args, 'Node', inv.path, 'node NAME')) {
      try {
        await stopNode(inv, name);
      } catch (err) {
        if (!(err instanceof CommandError)) throw err;
        inv.io.err(err.message + '\n');
        code = err.exitCode;
      }
    }
    return code;
  },
};
