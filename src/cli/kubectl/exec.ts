/**
 * kubectl exec: another program of the container's image, run in the
 * running container's filesystem on its node worker, its output streamed and
 * its exit code returned. Standard input (-i) is read to its end first: a
 * node worker's exec takes its input whole. `-it … sh` runs each line typed
 * as its own `sh -c` (files persist between lines; shell variables and the
 * working directory do not).
 */
import type { NodeWorker } from '../../sandbox/index.ts';
import { CommandError } from '../io.ts';
import { UsageError } from '../flags.ts';
import type { Command, Invocation } from '../program.ts';
import { containerFor, podFor, waitingError } from './pods.ts';
import { readAll } from '../io.ts';

const SHELLS = ['sh', '/bin/sh', 'bash', '/bin/bash', 'ash', '/bin/ash'];

async function execOnce(inv: Invocation, node: NodeWorker, id: string, argv: string[], stdin?: string, reportExit = true): Promise<number> {
  const decoder = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  let detached = false;
  const running = node.exec(id, argv, { stdin }, (e) => !detached && (e.type === 'stdout' ? inv.io.out : inv.io.err)(decoder[e.type].decode(e.data, { stream: true })));
  // Ctrl-C ends the command at once; a node worker's exec cannot be killed on its own, so it runs on, unseen.
  const aborted = new Promise<undefined>((resolve) => (inv.io.signal.aborted ? resolve(undefined) : inv.io.signal.addEventListener('abort', () => resolve(undefined), { once: true })));
  const result = await Promise.race([running, aborted]);
  if (!result) {
    detached = true;
    return 130;
  }
  if (result.reason === 'StartError') {
    const message = result.error?.message ?? 'cannot start';
    inv.io.err(`error: Internal error occurred: error executing command in container: failed to exec in container: ${message}\n`);
    return 126;
  }
  // client-go's CodeExitError, as kubectl prints it.
  if (result.exitCode !== 0 && reportExit) inv.io.err(`command terminated with exit code ${result.exitCode}\n`);
  return result.exitCode;
}

async function run(inv: Invocation): Promise<number> {
  if (inv.dashAt === undefined) {
    if (inv.args.length > 1) throw new UsageError('exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead');
    throw new UsageError('you must specify at least one command for the container');
  }
  const before = inv.args.slice(0, inv.dashAt);
  const argv = inv.args.slice(inv.dashAt);
  if (before.length !== 1) throw new UsageError('expected \'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]\'.\nPOD or TYPE/NAME is a required argument for the exec command');
  if (!argv.length) throw new UsageError('you must specify at least one command for the container');
  const pod = podFor(inv, before[0]!);
  const container = containerFor(inv, pod, inv.flags.container as string, 'exec');
  const status = pod.status?.containerStatuses?.find((c) => c.name === container.name);
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') throw new CommandError(`error: cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
  if (!status?.state.running) throw waitingError(pod, container.name);
  const where = inv.env.cluster.container(pod, container.name);
  if (!where) throw waitingError(pod, container.name);
  const interactiveShell = inv.flags.stdin && inv.flags.tty && argv.length === 1 && SHELLS.includes(argv[0]!) && inv.io.stdin;
  if (!interactiveShell) return execOnce(inv, where.node, where.id, argv, inv.flags.stdin ? await readAll(inv.io.stdin) : undefined);
  // -it sh: a prompt, then each line typed runs as `sh -c LINE` in the container.
  let code = 0;
  let pending = '';
  inv.io.out('/ # ');
  for await (const chunk of inv.io.stdin!) {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (line === 'exit' || line.startsWith('exit ')) return Number(line.split(/\s+/)[1] ?? code) || 0;
      if (line) code = await execOnce(inv, where.node, where.id, [argv[0]!, '-c', line], undefined, false);
      if (inv.io.signal.aborted) return 130;
      inv.io.out('/ # ');
    }
  }
  return code;
}

export const execCommand: Command = {
  name: 'exec',
  group: 'Troubleshooting and Debugging Commands:',
  short: 'Execute a command in a container',
  use: 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]',
  long: 'Execute a command in a container.',
  examples: `  # Get output from running the 'date' command from pod mypod, using the first container by default
  kubectl exec mypod -- date

  # Get output from running the 'date' command in ruby-container from pod mypod
  kubectl exec mypod -c ruby-container -- date

  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod
  # and sends stdout/stderr from 'bash' back to the client
  kubectl exec mypod -c ruby-container -i -t -- bash -il

  # Get output from running 'date' command from the first pod of the deployment mydeployment, using the first container by default
  kubectl exec deploy/mydeployment -- date`,
  flags: [
    { name: 'container', short: 'c', type: 'string', help: 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only print output from the remote session' },
    { name: 'stdin', short: 'i', type: 'bool', help: 'Pass stdin to the container' },
    { name: 'tty', short: 't', type: 'bool', help: 'Stdin is a TTY' },
  ],
  run,
};
