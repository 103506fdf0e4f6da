/**
 * kubectl exec: another program of the container's image, run in the
 * running container's filesystem on its node worker, its output streamed and
 * its exit code returned (`command terminated with exit code N` when it is
 * not 0). With -i what is typed streams to its stdin (Ctrl-D ends it); with
 * -t it gets a terminal's TERM, so `kubectl exec -it POD -- sh` is a shell
 * with a prompt, and Ctrl-C kills the program.
 */
import { UsageError } from '../flags.ts';
import { CommandError } from '../io.ts';
import { streamExec } from '../exec-stream.ts';
import type { Command, Invocation } from '../program.ts';
import { containerFor, podFor, waitingError } from './pods.ts';

async function run(inv: Invocation): Promise<number> {
  if (inv.dashAt === undefined) {
    if (inv.args.length > 1) throw new UsageError('exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead');
    throw new UsageError('you must specify at least one command for the container');
  }
  const before = inv.args.slice(0, inv.dashAt);
  const argv = inv.args.slice(inv.dashAt);
  if (before.length !== 1) throw new UsageError("expected 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]'.\nPOD or TYPE/NAME is a required argument for the exec command");
  if (!argv.length) throw new UsageError('you must specify at least one command for the container');
  const pod = podFor(inv, before[0]!);
  const container = containerFor(inv, pod, inv.flags.container as string, 'exec');
  const status = pod.status?.containerStatuses?.find((c) => c.name === container.name);
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') throw new CommandError(`error: cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
  if (!status?.state.running) throw waitingError(pod, container.name);
  const where = inv.env.cluster.container(pod, container.name);
  if (!where) throw waitingError(pod, container.name);
  // kubectl's setupTTY: -t needs -i, and a terminal on standard input; without one it says so and goes on without.
  const wantsTTY = (inv.flags.tty as boolean) && (inv.flags.stdin as boolean);
  const tty = wantsTTY && !!inv.io.stdinIsTTY;
  if (wantsTTY && !tty && !inv.flags.quiet) inv.io.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  const decoder = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  let result: Awaited<ReturnType<typeof streamExec>>;
  try {
    result = await streamExec(inv.io, where.node, where.id, argv, {
      stdin: inv.flags.stdin as boolean,
      tty,
      // A terminal carries both streams on one line.
      onOutput: (e) => (e.type === 'stdout' || tty ? inv.io.out : inv.io.err)(decoder[e.type].decode(e.data, { stream: true })),
    });
  } catch (err) {
    // The program could not start (not there, not wasm): the runtime's words, as the API server relays them.
    inv.io.err(`error: Internal error occurred: error executing command in container: failed to exec in container: ${(err as Error).message}\n`);
    return 1;
  }
  if (result === 'interrupted') return 130;
  // client-go's CodeExitError, as kubectl prints it.
  if (result.exitCode !== 0) inv.io.err(`command terminated with exit code ${result.exitCode}\n`);
  return result.exitCode;
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
