/**
 * `podplay explain pod NAME`: why the scheduler put a pod where it did, or
 * why it could not, read back from the working the scheduler writes on the
 * pod at each attempt (kube-scheduler-simulator's annotations, through
 * readExplanation). It prints the pod and its node (or Pending and the
 * PodScheduled message), the Filter verdict of every node the scheduler
 * looked at, the Score table of the feasible nodes (explain-scores.ts), and
 * for a Pending pod what preemption (PostFilter) found.
 */
import { POSTFILTER_RESULT, readExplanation, type Explanation, type Pod } from '../../sandbox/index.ts';
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { kubectlMessage } from '../kubectl/index.ts';
import { passed, scoreSection } from './explain-scores.ts';
import { byName, keyValues, namesOf, section, wrapText } from './common.ts';

/** The PodScheduled condition's reason and message (why a pod is Pending). */
function scheduledCondition(pod: Pod): { status?: string; reason?: string; message?: string } {
  return pod.status?.conditions?.find((c) => c.type === 'PodScheduled') ?? {};
}

/** The pod, its scheduler and node, or Pending and why: describe's `Key:  value` lines. */
function header(pod: Pod): string {
  const rows: Array<[string, string]> = [
    ['Pod', `${pod.metadata.namespace}/${pod.metadata.name}`],
    ['Scheduler', pod.spec.schedulerName ?? 'default-scheduler'],
  ];
  if (pod.spec.nodeName) rows.push(['Node', pod.spec.nodeName]);
  else {
    const c = scheduledCondition(pod);
    rows.push(['Node', `<none> (${pod.metadata.deletionTimestamp ? 'Terminating' : (pod.status?.phase ?? 'Pending')})`]);
    if (c.status === 'False') rows.push(['Reason', c.reason ?? ''], ['Message', c.message ?? '']);
    if (pod.status?.nominatedNodeName) rows.push(['Nominated', pod.status.nominatedNodeName]);
  }
  return keyValues(rows);
}

/** The Filter section: each node's verdict, `passed` or the plugin that rejected it and why. */
function filterSection(ex: Explanation): string {
  const title = 'Filter: each node goes through the filter plugins in order, up to the first that rejects it.';
  const names = Object.keys(ex.nodes).sort(byName);
  if (!names.length) return section(title, [], ['No node was looked at: the cluster had no nodes.']);
  const preFailed = Object.entries(ex.preFilter).find(([, v]) => v !== 'success' && v !== 'skip');
  const rows = [['NODE', 'RESULT']];
  for (const name of names) {
    const last = Object.entries(ex.nodes[name]!.filters).at(-1);
    if (!last) rows.push([name, preFailed ? `${preFailed[0]} (PreFilter): ${preFailed[1]}` : 'not filtered this attempt']);
    else rows.push([name, last[1] === 'passed' ? 'passed' : `${last[0]}: ${last[1]}`]);
  }
  const notes: string[] = [];
  const order = Object.keys(Object.values(ex.nodes).map((n) => n.filters).find(passed) ?? {});
  if (order.length) notes.push(`Filter plugins run, in order: ${order.join(', ')}.`);
  const skipped = Object.entries(ex.preFilter).filter(([, v]) => v === 'skip').map(([p]) => p);
  if (skipped.length) notes.push(`Not run (PreFilter said Skip, nothing to check for this pod): ${skipped.join(', ')}.`);
  if (preFailed) notes.push(`PreFilter ${preFailed[0]} rejected the pod before any node was filtered: ${preFailed[1]}`);
  return section(title, rows, notes);
}

/** For a Pending pod: what preemption (PostFilter) found this attempt. */
function preemptionSection(pod: Pod): string {
  if (pod.spec.nodeName) return '';
  const title = 'Preemption: PostFilter looks for lower-priority pods to evict so that the pod fits.';
  const nominated = pod.status?.nominatedNodeName;
  if (nominated) {
    let found: Record<string, Record<string, string>> = {};
    try {
      found = JSON.parse(pod.metadata.annotations?.[POSTFILTER_RESULT] ?? '{}');
    } catch {
      // A hand-edited annotation: say what the status says.
    }
    const [plugin, result] = Object.entries(found[nominated] ?? {})[0] ?? ['DefaultPreemption', 'preemption victims deleted'];
    return '\n' + section(title, [], [`${plugin} nominated ${nominated}: ${result}. The pod waits for them to go, then is scheduled again.`]);
  }
  const message = scheduledCondition(pod).message ?? '';
  const at = message.indexOf(' preemption: ');
  if (at < 0) return '';
  return '\n' + section(title, [], [message.slice(at + ' preemption: '.length)]);
}

/** What `podplay explain` prints for a pod with no recorded working. */
function unexplained(pod: Pod): string {
  const who = `pod ${pod.metadata.namespace}/${pod.metadata.name}`;
  const scheduler = pod.spec.schedulerName ?? 'default-scheduler';
  if (pod.spec.nodeName) {
    return wrapText(`No scheduling explanation for ${who}: it runs on ${pod.spec.nodeName}, but the scheduler did not record how it got there. Either spec.nodeName was set when the pod was created (the scheduler never sees such a pod), or it was placed before the scheduler recorded its working.`);
  }
  if (scheduler !== 'default-scheduler') return wrapText(`No scheduling explanation for ${who}: its schedulerName is ${scheduler}, and podplay's scheduler only places pods of default-scheduler.`);
  return wrapText(`No scheduling explanation for ${who} yet: the scheduler has not tried to place it.`);
}

/** The whole explanation of one pod. */
export function explainPod(pod: Pod, wide: boolean): string {
  const ex = readExplanation(pod);
  if (!ex) return header(pod) + '\n' + unexplained(pod);
  return `${header(pod)}\n${filterSection(ex)}\n${scoreSection(pod, ex, wide)}${preemptionSection(pod)}`;
}

export const explainCommand: Command = {
  name: 'explain',
  short: 'Show why the scheduler put a pod on its node, or why it could not',
  long: `Show why the scheduler put a pod on its node, or why it could not.

 Read from the working the scheduler writes on the pod at each attempt: every
 node's Filter verdict (passed, or the plugin that rejected it and why), each
 feasible node's score per Score plugin (normalized to 0-100, times the
 plugin's weight) and their total, the highest of which wins, and for a
 Pending pod its PodScheduled message and what preemption found. The plugins
 are kube-scheduler's own, by their upstream names.`,
  use: 'explain pod NAME [-n NAMESPACE] [-o wide]',
  examples: `  # Why web-5d9c8b7f4d-abcde is on its node
  podplay explain pod web-5d9c8b7f4d-abcde

  # The same, with each plugin's raw and normalized score and its weight
  podplay explain pod/web-5d9c8b7f4d-abcde -o wide

  # Why a pod is Pending
  podplay explain po big -n team-a`,
  flags: [
    { name: 'namespace', short: 'n', type: 'string', help: 'If present, the namespace scope for this CLI request' },
    { name: 'output', short: 'o', type: 'string', help: 'Output format. One of: (wide). wide: each plugin\'s raw score, normalized score and weight per node.', values: ['wide'] },
  ],
  run(inv: Invocation) {
    const output = inv.flags.output as string;
    if (output && output !== 'wide') throw new CommandError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: wide`);
    const namespace = (inv.flags.namespace as string) || 'default';
    let code = 0;
    let first = true;
    for (const name of namesOf(inv.args, 'Pod', inv.path, 'pod NAME')) {
      try {
        const pod = inv.env.cluster.api.get<Pod>('Pod', namespace, name);
        inv.io.out((first ? '' : '\n') + explainPod(pod, output === 'wide'));
        first = false;
      } catch (err) {
        inv.io.err(kubectlMessage(err) + '\n');
        code = 1;
      }
    }
    return code;
  },
};
