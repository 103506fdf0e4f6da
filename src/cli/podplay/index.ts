/**
 * `podplay …` in podplay's shell: commands about the simulation itself
 * rather than the Kubernetes API. `podplay explain pod NAME` shows why the
 * scheduler put a pod where it did (or why it could not), from the working
 * the scheduler writes on the pod; `podplay stop node NAME` ends a node's
 * worker as a crash would. Flags, help and mistakes are worded as kubectl
 * words them (`error: unknown command "x" for "podplay"`).
 */
import type { CliEnv, CommandIo } from '../io.ts';
import { runProgram, type Command, type ProgramStyle } from '../program.ts';
import { KUBECTL } from '../kubectl/index.ts';
import { explainCommand } from './explain.ts';
import { stopCommand } from './stop.ts';

/** kubectl's words for mistakes and failures, under podplay's name. */
export const PODPLAY: ProgramStyle = { ...KUBECTL, name: 'podplay', helpFooter: undefined, real: undefined, notHere: undefined };

export const podplay: Command = {
  name: 'podplay',
  short: 'podplay explains and breaks the simulated cluster.',
  long: `podplay explains and breaks the simulated cluster.

 Commands about the simulation itself: why the scheduler placed a pod where
 it did, and what happens to a node whose worker dies.`,
  use: 'podplay [command] [flags]',
  subcommands: [explainCommand, stopCommand],
};

/** Runs one podplay command line (the words after `podplay`); resolves to the exit code. */
export function runPodplay(argv: readonly string[], io: CommandIo, env: CliEnv): Promise<number> {
  return runProgram(PODPLAY, podplay, argv, io, env);
}
