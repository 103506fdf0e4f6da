/**
 * kubectl top nodes / pods: real usage from the node workers (each
 * program's CPU time and linear memory), sampled twice a short window
 * apart as metrics-server averages over its window. Columns as kubectl's
 * (with the trailing padding its tab-terminated cells leave).
 */
import { milliValue, value, type Node, type Pod } from '../../api/index.ts';
import type { NodeUsage } from '../../sandbox/index.ts';
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { formatTable } from '../table.ts';
import { ALL_NAMESPACES_FLAG, SELECTOR_FLAG, namespaceOf } from './common.ts';

/** How long the two samples are apart (real milliseconds). */
export const TOP_WINDOW_MS = 500;

async function sample(inv: Invocation, nodes: string[]): Promise<Map<string, { before: NodeUsage; after: NodeUsage }>> {
  const pool = inv.env.cluster.nodes;
  // A Node object without a node worker (one applied by hand) has no figures: <unknown>.
  const read = () => Promise.all(nodes.map(async (n) => pool.get(n).usage()).map((p) => p.catch(() => undefined)));
  const before = await read();
  await new Promise((r) => setTimeout(r, TOP_WINDOW_MS));
  const after = await read();
  const out = new Map<string, { before: NodeUsage; after: NodeUsage }>();
  nodes.forEach((n, i) => before[i] && after[i] && out.set(n, { before: before[i]!, after: after[i]! }));
  return out;
}

/** CPU use over a window in millicores, as metrics-server averages it. */
export const millicores = (cpuMsDelta: number, wallMs: number) => (wallMs > 0 ? Math.round((cpuMsDelta / wallMs) * 1000) : 0);
const mebibytes = (bytes: number) => Math.floor(bytes / (1024 * 1024));
/** Rows with every cell tab-terminated, as kubectl top writes them. */
const padded = (rows: string[][]) => formatTable(rows.map((r) => [...r, '']));

const topNode: Command = {
  name: 'node',
  aliases: ['nodes', 'no'],
  short: 'Display resource (CPU/memory) usage of nodes',
  use: 'top node [NAME | -l label]',
  examples: '  # Show metrics for all nodes\n  kubectl top node\n\n  # Show metrics for a given node\n  kubectl top node NODE_NAME',
  flags: [{ name: 'no-headers', type: 'bool', help: 'If present, print output without headers' }, SELECTOR_FLAG],
  async run(inv) {
    const api = inv.env.cluster.api;
    const nodes = inv.args.length ? inv.args.map((n) => api.get<Node>('Node', undefined, n)) : api.list<Node>('Node', { labelSelector: (inv.flags.selector as string) || undefined }).items;
    const usage = await sample(inv, nodes.map((n) => n.metadata.name!));
    const rows: string[][] = inv.flags['no-headers'] ? [] : [['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']];
    for (const n of nodes) {
      const u = usage.get(n.metadata.name!);
      if (!u) {
        rows.push([n.metadata.name!, '<unknown>', '<unknown>', '<unknown>', '<unknown>']);
        continue;
      }
      const cpu = millicores(u.after.cpuMs - u.before.cpuMs, u.after.at - u.before.at);
      const alloc = n.status?.allocatable ?? {};
      const cpuPct = Math.floor((cpu / ((milliValue(alloc.cpu ?? '1') || 1))) * 100);
      const memPct = Math.floor((u.after.memoryBytes / (value(alloc.memory ?? '1') || 1)) * 100);
      rows.push([n.metadata.name!, `${cpu}m`, `${cpuPct}%`, `${mebibytes(u.after.memoryBytes)}Mi`, `${memPct}%`]);
    }
    inv.io.out(padded(rows));
  },
};

const topPod: Command = {
  name: 'pod',
  aliases: ['pods', 'po'],
  short: 'Display resource (CPU/memory) usage of pods',
  use: 'top pod [NAME | -l label]',
  examples: '  # Show metrics for all pods in the default namespace\n  kubectl top pod\n\n  # Show metrics for a given pod and its containers\n  kubectl top pod POD_NAME --containers',
  flags: [
    ALL_NAMESPACES_FLAG,
    { name: 'containers', type: 'bool', help: 'If present, print usage of containers within a pod.' },
    { name: 'no-headers', type: 'bool', help: 'If present, print output without headers' },
    SELECTOR_FLAG,
  ],
  async run(inv) {
    const api = inv.env.cluster.api;
    const all = inv.flags['all-namespaces'] as boolean;
    const ns = namespaceOf(inv);
    const pods = (inv.args.length ? inv.args.map((n) => api.get<Pod>('Pod', ns, n)) : api.list<Pod>('Pod', { namespace: all ? undefined : ns, labelSelector: (inv.flags.selector as string) || undefined }).items).filter(
      (p) => p.status?.phase === 'Running',
    );
    if (!pods.length) {
      if (inv.args.length) throw new CommandError(`error: metrics not available yet`);
      inv.io.err(all ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`);
      return 0;
    }
    const usage = await sample(inv, [...new Set(pods.map((p) => p.spec.nodeName!).filter(Boolean))]);
    const header = [...(all ? ['NAMESPACE'] : []), 'NAME', ...(inv.flags.containers ? ['NAME'] : []), 'CPU(cores)', 'MEMORY(bytes)'];
    const rows: string[][] = inv.flags['no-headers'] ? [] : [inv.flags.containers ? header.map((h, i) => (h === 'NAME' && i === header.indexOf('NAME') ? 'POD' : h)) : header];
    for (const p of pods) {
      const u = usage.get(p.spec.nodeName!);
      const per = p.spec.containers.map((c) => {
        const id = inv.env.cluster.container(p, c.name)?.id;
        const before = id ? u?.before.containers[id] : undefined;
        const after = id ? u?.after.containers[id] : undefined;
        const cpu = before && after && u ? millicores(after.cpuMs - before.cpuMs, u.after.at - u.before.at) : 0;
        return { name: c.name, cpu, memory: after?.memoryBytes ?? 0 };
      });
      const prefix = all ? [p.metadata.namespace!] : [];
      if (inv.flags.containers) for (const c of per) rows.push([...prefix, p.metadata.name!, c.name, `${c.cpu}m`, `${mebibytes(c.memory)}Mi`]);
      else rows.push([...prefix, p.metadata.name!, `${per.reduce((s, c) => s + c.cpu, 0)}m`, `${mebibytes(per.reduce((s, c) => s + c.memory, 0))}Mi`]);
    }
    inv.io.out(padded(rows));
  },
};

export const topCommand: Command = {
  name: 'top',
  group: 'Cluster Management Commands:',
  short: 'Display resource (CPU/memory) usage',
  use: 'top [flags] [options]',
  long: 'Display resource (CPU/memory) usage.\n\n The top command allows you to see the resource consumption for nodes or pods.\n\n podplay reads it from the node workers themselves: CPU time and memory of each running program.',
  subcommands: [topNode, topPod],
};
