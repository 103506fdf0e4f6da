/**
 * Attaching to a pod's container (kubectl run -i/-t, kubectl attach): wait
 * until it has started, stream its output, pass standard input to it, and
 * end when it exits or on Ctrl-C; and kubectl exec's runs of another program
 * in a running container.
 */
import type { Pod } from '../../api/index.ts';
import { UsageError } from '../flags.ts';
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { containerFor, podFor } from './pods.ts';

/** Resolves once the container has a runtime id (started), or its pod ended or went away. */
export function whenStarted(inv: Invocation, pod: Pod, container: string): Promise<Pod | undefined> {
  const api = inv.env.cluster.api;
  const ready = (p: Pod | undefined): boolean => {
    if (!p) return true;
    const status = p.status?.containerStatuses?.find((c) => c.name === container);
    return !!status?.state.running || !!status?.state.terminated || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
  };
  const current = () => api.tryGet('Pod', pod.metadata.namespace, pod.metadata.name!) as Pod | undefined;
  if (ready(current())) return Promise.resolve(current());
  return new Promise((resolve) => {
    const w = api.watch('Pod', { namespace: pod.metadata.namespace, fieldSelector: `metadata.name=${pod.metadata.name}` }, () => {
      const p = current();
      if (ready(p)) finish(p);
    });
    const abort = () => finish(undefined);
    const finish = (p: Pod | undefined) => {
      w.dispose();
      inv.io.signal.removeEventListener('abort', abort);
      resolve(p);
    };
    inv.io.signal.addEventListener('abort', abort, { once: true });
  });
}

/**
 * Streams a started container's output until it exits (or Ctrl-C), sending
 * standard input to it when `stdin` is set. Gives the exit code, when known.
 */
export async function attach(inv: Invocation, pod: Pod, container: string, stdin: boolean, since = Date.now() - 60_000): Promise<number | undefined> {
  const where = inv.env.cluster.container(pod, container);
  if (!where) throw new CommandError(`error: unable to upgrade connection: container ${container} not found in pod ${pod.metadata.name}`);
  let feeding = Promise.resolve();
  if (stdin && inv.io.stdin) {
    feeding = (async () => {
      for await (const chunk of inv.io.stdin!) {
        if (inv.io.signal.aborted) break;
        if (!(await where.node.writeStdin(where.id, chunk).catch(() => false))) break;
      }
      await where.node.closeStdin(where.id).catch(() => undefined);
    })();
  }
  await where.node.follow(where.id, (line) => inv.io.out(line.text + (line.partial ? '' : '\n')), { since }, inv.io.signal);
  void feeding;
  if (inv.io.signal.aborted) return undefined;
  const info = await where.node.inspect(where.id).catch(() => undefined);
  return info?.exitCode;
}

/** kubectl attach: the running container's output from now on, and with -i its stdin, until it exits or Ctrl-C. */
export const attachCommand: Command = {
  name: 'attach',
  group: 'Troubleshooting and Debugging Commands:',
  short: 'Attach to a running container',
  use: 'attach (POD | TYPE/NAME) -c CONTAINER',
  long: 'Attach to a process that is already running inside an existing container.',
  examples: `  # Get output from running pod mypod; use the 'kubectl.kubernetes.io/default-container' annotation
  # for selecting the container to be attached or the first container in the pod will be chosen
  kubectl attach mypod

  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod
  # and sends stdout/stderr from 'bash' back to the client
  kubectl attach mypod -c ruby-container -i -t`,
  flags: [
    { name: 'container', short: 'c', type: 'string', help: 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only print output from the remote session' },
    { name: 'stdin', short: 'i', type: 'bool', help: 'Pass stdin to the container' },
    { name: 'tty', short: 't', type: 'bool', help: 'Stdin is a TTY' },
  ],
  async run(inv) {
    if (inv.args.length !== 1) throw new UsageError('expected POD, TYPE/NAME, or TYPE NAME, (1) arguments, got ' + inv.args.length);
    const pod = podFor(inv, inv.args[0]!);
    const container = containerFor(inv, pod, inv.flags.container as string, 'attach');
    if (!pod.status?.containerStatuses?.find((c) => c.name === container.name)?.state.running) {
      throw new CommandError(`error: cannot attach a container in a completed pod; current phase is ${pod.status?.phase ?? 'Pending'}`);
    }
    if (inv.flags.stdin && !container.stdin) inv.io.err(`Unable to use a TTY - container ${container.name} did not allocate one\n`);
    if (inv.flags.tty && !inv.flags.quiet) inv.io.err("If you don't see a command prompt, try pressing enter.\n");
    const code = await attach(inv, pod, container.name, (inv.flags.stdin as boolean) && !!container.stdin, Date.now());
    return inv.io.signal.aborted ? 130 : (code ?? 0);
  },
};
