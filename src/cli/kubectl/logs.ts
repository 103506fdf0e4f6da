/**
 * kubectl logs: a container's output from its node worker's log buffer,
 * `-f` until it exits or Ctrl-C, `--previous`, `--tail`, `--since`,
 * `--timestamps` (RFC 3339 with nine fractional digits, as the kubelet
 * writes them), `-c`, `--all-containers`, `-l` and `--prefix`.
 */
import { apiErrors, type Pod } from '../../api/index.ts';
import type { LogLine } from '../../sandbox/index.ts';
import { parseGoDuration } from '../duration.ts';
import { CommandError } from '../io.ts';
import { UsageError } from '../flags.ts';
import type { Command, Invocation } from '../program.ts';
import { SELECTOR_FLAG, namespaceOf } from './common.ts';
import { containerFor, podFor, waitingError } from './pods.ts';
import { kubectlMessage } from './style.ts';

/** The kubelet's log time (cri-client logs' RFC3339NanoFixed): always nine fractional digits. */
export function rfc3339NanoFixed(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000000Z`;
}

interface Stream {
  pod: Pod;
  container: string;
}

async function streamLogs(inv: Invocation, s: Stream, prefix: boolean): Promise<void> {
  const previous = inv.flags.previous as boolean;
  const where = inv.env.cluster.container(s.pod, s.container, previous);
  if (!where) {
    if (previous) throw apiErrors.badRequest(`previous terminated container "${s.container}" in pod "${s.pod.metadata.name}" not found`);
    throw waitingError(s.pod, s.container);
  }
  // kubectl logs: with -l and no --tail, only the last 10 lines of each container.
  const tail = inv.flags.selector && !inv.given.has('tail') ? 10 : (inv.flags.tail as number);
  const since = inv.flags.since as string;
  const sinceMs = since ? parseGoDuration(since) : undefined;
  if (since && sinceMs === undefined) throw new UsageError(`invalid argument "${since}" for "--since" flag: time: invalid duration "${since}"`);
  const sinceTime = sinceTimeOf(inv);
  const query = { tail: tail >= 0 ? tail : undefined, since: sinceTime ?? (sinceMs !== undefined ? Date.now() - sinceMs : undefined) };
  const label = `[pod/${s.pod.metadata.name}/${s.container}] `;
  // --limit-bytes: the kubelet stops the stream (timestamps included) after that many bytes, mid-line if it falls there.
  let left = (inv.flags['limit-bytes'] as number) || Infinity;
  const stop = new AbortController();
  const signal = AbortSignal.any([inv.io.signal, stop.signal]);
  const print = (line: LogLine) => {
    if (left <= 0) return;
    const ts = inv.flags.timestamps ? `${rfc3339NanoFixed(line.time)} ` : '';
    let text = `${ts}${line.text}${line.partial ? '' : '\n'}`;
    const bytes = new TextEncoder().encode(text);
    if (bytes.length > left) text = new TextDecoder().decode(bytes.slice(0, left));
    left -= bytes.length;
    inv.io.out(`${prefix ? label : ''}${text}`);
    if (left <= 0) stop.abort();
  };
  if (inv.flags.follow && !previous) await where.node.follow(where.id, print, query, signal);
  else for (const line of await where.node.logs(where.id, query)) print(line);
}

/** --since-time (RFC 3339), in ms; Go's time.Parse error for one that is not. */
function sinceTimeOf(inv: Invocation): number | undefined {
  const text = inv.flags['since-time'] as string;
  if (!text) return undefined;
  const t = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(t)) throw new CommandError(`error: parsing time "${text}" as "2006-01-02T15:04:05Z07:00": cannot parse "${text}" as "2006"`);
  return t;
}

/** --all-containers: init containers first, as kubectl's logsForObject walks them. */
const everyContainer = (pod: Pod): Stream[] => [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => ({ pod, container: c.name }));

async function run(inv: Invocation): Promise<number> {
  const api = inv.env.cluster.api;
  // LogsOptions.Validate.
  if (inv.flags['since-time'] && inv.given.has('since')) throw new CommandError('error: at most one of `sinceTime` or `sinceSeconds` may be specified');
  if ((inv.flags['limit-bytes'] as number) < 0) throw new CommandError('error: --limit-bytes must be greater than 0');
  const selector = inv.flags.selector as string;
  const containerName = inv.flags.container as string;
  const allContainers = inv.flags['all-containers'] as boolean;
  let streams: Stream[];
  if (selector) {
    if (inv.args.length) throw new UsageError('only one of -l or a resource may be given');
    const pods = api.list<Pod>('Pod', { namespace: namespaceOf(inv), labelSelector: selector }).items;
    if (!pods.length) {
      inv.io.err(`No resources found in ${namespaceOf(inv)} namespace.\n`);
      return 0;
    }
    streams = pods.flatMap((pod) => (allContainers ? everyContainer(pod) : [{ pod, container: containerFor(inv, pod, containerName, 'logs').name }]));
    const max = inv.flags['max-log-requests'] as number;
    if (inv.flags.follow && streams.length > max) {
      throw new CommandError(`error: you are attempting to follow ${streams.length} log streams, but maximum allowed concurrency is ${max}, use --max-log-requests to increase the limit`);
    }
  } else {
    if (inv.args.length === 0) throw new UsageError('expected \'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]\'.\nPOD or TYPE/NAME is a required argument for the logs command');
    if (inv.args.length > 2) throw new UsageError('expected \'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]\'.\nPOD or TYPE/NAME is a required argument for the logs command');
    const pod = podFor(inv, inv.args[0]!, true);
    const name = inv.args[1] ?? containerName;
    streams = allContainers ? everyContainer(pod) : [{ pod, container: containerFor(inv, pod, name, 'logs').name }];
  }
  const prefix = (inv.flags.prefix as boolean) || false;
  let code = 0;
  const each = async (s: Stream) => {
    try {
      await streamLogs(inv, s, prefix);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      inv.io.err(kubectlMessage(err) + '\n');
      code = 1;
    }
  };
  if (inv.flags.follow && streams.length > 1) await Promise.all(streams.map(each));
  else for (const s of streams) await each(s);
  return code;
}

export const logsCommand: Command = {
  name: 'logs',
  group: 'Troubleshooting and Debugging Commands:',
  short: 'Print the logs for a container in a pod',
  use: 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]',
  long: "Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is optional.",
  examples: `  # Return snapshot logs from pod nginx with only one container
  kubectl logs nginx

  # Return snapshot of previous terminated ruby container logs from pod web-1
  kubectl logs -p -c ruby web-1

  # Begin streaming the logs of the ruby container in pod web-1
  kubectl logs -f -c ruby web-1

  # Display only the most recent 20 lines of output in pod nginx
  kubectl logs --tail=20 nginx

  # Show all logs from pod nginx written in the last hour
  kubectl logs --since=1h nginx

  # Return snapshot logs from first container of a job named hello
  kubectl logs job/hello`,
  flags: [
    { name: 'all-containers', type: 'bool', help: 'Get all containers\' logs in the pod(s).' },
    { name: 'container', short: 'c', type: 'string', help: 'Print the logs of this container' },
    { name: 'follow', short: 'f', type: 'bool', help: 'Specify if the logs should be streamed.' },
    { name: 'max-log-requests', type: 'int', default: 5, help: 'Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5.' },
    { name: 'prefix', type: 'bool', help: 'Prefix each log line with the log source (pod name and container name)' },
    { name: 'previous', short: 'p', type: 'bool', help: 'If true, print the logs for the previous instance of the container in a pod if it exists.' },
    SELECTOR_FLAG,
    { name: 'since', type: 'string', help: 'Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.' },
    { name: 'since-time', type: 'string', help: 'Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.' },
    { name: 'limit-bytes', type: 'int', help: 'Maximum bytes of logs to return. Defaults to no limit.' },
    { name: 'tail', type: 'int', default: -1, help: 'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.' },
    { name: 'timestamps', type: 'bool', help: 'Include timestamps on each line in the log output' },
  ],
  run,
};
