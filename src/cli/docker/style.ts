/**
 * The docker CLI's words for mistakes and failures (docker/cli cli/cobra.go,
 * cli/required.go, cmd/docker): `unknown flag: --foo` + `See 'docker run
 * --help'.` (exit 125), `docker: 'foo' is not a docker command.`, argument
 * counts with the usage line, and the daemon's errors as it relays them.
 */
import { CommandError } from '../io.ts';
import type { Invocation, ProgramStyle } from '../program.ts';
import { dockerHelp } from './help.ts';

/** An error as the docker CLI prints it: the daemon's words, or the CLI's own. */
export function dockerMessage(err: unknown): string {
  const message = (err as { message?: string })?.message ?? String(err);
  if (err instanceof CommandError) return message;
  return /^(Error|error|docker:)/.test(message) ? message : `Error response from daemon: ${message}`;
}

export const DOCKER_STYLE: ProgramStyle = {
  name: 'docker',
  usageExitCode: 125,
  usageError: (message, path) => `${message}\nSee '${path} --help'.\n`,
  unknownCommand: (word, path) =>
    path === 'docker'
      ? `docker: '${word}' is not a docker command.\nSee 'docker --help'\n`
      : `docker: unknown command: ${path} ${word}\n\nUsage:  ${path} COMMAND\n\nRun '${path} --help' for more information\n`,
  failure: (err) => `${dockerMessage(err)}\n`,
  real: 'docker',
  help: dockerHelp,
  notHere: (what, path) =>
    what.startsWith('--')
      ? `docker: ${what} is not available in podplay yet: leave it out, or see '${path} --help' for the flags it has\n`
      : `docker: '${what}' is not available in podplay yet.\nSee '${path} --help' for the commands it has\n`,
};

/** cobra's UseLine: the parent commands' path, then the command's `use`. */
export function useLine(inv: Invocation, use: string): string {
  return `${inv.path.split(' ').slice(0, -1).join(' ')} ${use}`;
}

const plural = (n: number) => `argument${n === 1 ? '' : 's'}`;

/** What the docker CLI's argument checks (cli/required.go) print, exit 1. */
function argsError(inv: Invocation, use: string, short: string, what: string): CommandError {
  const prefix = /^docker (container )?(run|create)$/.test(inv.path) ? 'docker: ' : '';
  return new CommandError(`${prefix}"${inv.path}" ${what}.\nSee '${inv.path} --help'.\n\nUsage:  ${useLine(inv, use)}\n\n${short}`, 1);
}

/** Checks the number of arguments a command was given, as cli.RequiresMinArgs / ExactArgs / NoArgs do. */
export function checkArgs(inv: Invocation, spec: { use: string; short: string }, min: number, max = Infinity): void {
  const n = inv.args.length;
  if (n >= min && n <= max) return;
  if (max === 0) throw argsError(inv, spec.use, spec.short, 'accepts no arguments');
  if (min === max) throw argsError(inv, spec.use, spec.short, `requires exactly ${min} ${plural(min)}`);
  if (n < min) throw argsError(inv, spec.use, spec.short, `requires at least ${min} ${plural(min)}`);
  throw argsError(inv, spec.use, spec.short, `requires at most ${max} ${plural(max)}`);
}

/**
 * Runs `op` for each argument as docker stop / kill / rm / rmi do: each
 * success prints its lines, the failures are printed together at the end,
 * and any failure makes the exit code 1.
 */
export async function eachArg(inv: Invocation, op: (arg: string) => Promise<string | undefined>): Promise<number> {
  const errors: string[] = [];
  for (const arg of inv.args) {
    try {
      const out = await op(arg);
      if (out !== undefined) inv.io.out(out);
    } catch (err) {
      errors.push(dockerMessage(err));
    }
  }
  if (errors.length) inv.io.err(`${errors.join('\n')}\n`);
  return errors.length ? 1 : 0;
}
