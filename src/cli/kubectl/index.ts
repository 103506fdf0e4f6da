/**
 * podplay's kubectl: the command tree, in kubectl's groups and order, over
 * the page's (or the Node process's) cluster.
 */
import type { Command } from '../program.ts';
import { helpFlags, kubectlFlagUsages } from '../help-flags.ts';
import { realCommands } from '../real-tool.ts';
import { runProgram } from '../program.ts';
import type { CliEnv, CommandIo } from '../io.ts';
import { applyCommand } from './apply.ts';
import { attachCommand } from './attach.ts';
import { authCommand } from './auth.ts';
import { portForwardCommand } from './port-forward.ts';
import { createCommand } from './create.ts';
import { deleteCommand } from './delete.ts';
import { describeCommand } from './describe-command.ts';
import { eventsCommand } from './events.ts';
import { execCommand } from './exec.ts';
import { exposeCommand } from './expose.ts';
import { explain } from './explain/index.ts';
import { get } from './get.ts';
import { apiResourcesCommand, clusterInfoCommand, versionCommand } from './info.ts';
import { logsCommand } from './logs.ts';
import { annotateCommand, labelCommand, scaleCommand, setCommand } from './modify.ts';
import { cordonCommand, drainCommand, taintCommand, uncordonCommand } from './nodes.ts';
import { rolloutCommand } from './rollout.ts';
import { runCommand } from './run.ts';
import { KUBECTL } from './style.ts';
import { topCommand } from './top.ts';
import { waitCommand } from './wait.ts';

export { KUBECTL, kubectlMessage } from './style.ts';
export { resourceWords } from './resources.ts';

explain.group = 'Basic Commands (Intermediate):';

const GLOBAL_FLAGS = [{ name: 'namespace', short: 'n', type: 'string' as const, help: 'If present, the namespace scope for this CLI request' }];

/** kubectl options: the flags every command takes. */
const optionsCommand: Command = {
  name: 'options',
  hidden: true,
  short: 'Print the list of flags inherited by all commands',
  use: 'options [flags]',
  async run(inv) {
    const real = await realCommands('kubectl');
    const flags = helpFlags(GLOBAL_FLAGS, (name) => real.global.find((f) => f[0] === name));
    inv.io.out(`The following options can be passed to any command:\n\n${kubectlFlagUsages(flags)}`);
  },
};

export const kubectl: Command = {
  name: 'kubectl',
  short: 'kubectl controls the Kubernetes cluster manager.',
  long: 'kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/',
  use: 'kubectl [flags] [options]',
  flags: GLOBAL_FLAGS,
  subcommands: [
    createCommand,
    exposeCommand,
    runCommand,
    setCommand,
    explain,
    get,
    deleteCommand,
    rolloutCommand,
    scaleCommand,
    clusterInfoCommand,
    topCommand,
    cordonCommand,
    uncordonCommand,
    drainCommand,
    taintCommand,
    describeCommand,
    logsCommand,
    attachCommand,
    portForwardCommand,
    execCommand,
    authCommand,
    eventsCommand,
    applyCommand,
    waitCommand,
    labelCommand,
    annotateCommand,
    apiResourcesCommand,
    versionCommand,
    optionsCommand,
  ],
};

/** Runs one kubectl command line (the words after `kubectl`). */
export function runKubectl(argv: readonly string[], io: CommandIo, env: CliEnv): Promise<number> {
  return runProgram(KUBECTL, kubectl, argv, io, env);
}
