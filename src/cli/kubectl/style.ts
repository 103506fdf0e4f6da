/**
 * kubectl's words for failures (cmd/util/helpers.go CheckErr): `error: …`
 * for its own, `Error from server (NotFound): …` for the API server's, and a
 * usage mistake followed by `See 'kubectl get --help' for usage.`
 */
import type { ProgramStyle } from '../program.ts';

export const KUBECTL: ProgramStyle = {
  name: 'kubectl',
  usageExitCode: 1,
  usageError: (message, path) => `error: ${message}\nSee '${path} --help' for usage.\n`,
  usageErrorf: (message, path) => `error: ${message}\nSee '${path} -h' for help and examples\n`,
  unknownCommand: (word, path, suggestions) =>
    `error: unknown command "${word}" for "${path}"${suggestions.length ? `\n\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}` : '\n'}`,
  failure: (err) => `${kubectlMessage(err)}\n`,
  helpFooter: 'Use "kubectl options" for a list of global command-line options (applies to all commands).\n',
  real: 'kubectl',
  notHere: (what, path) =>
    what.startsWith('--')
      ? `error: ${what} is not available in podplay yet: leave it out, or see '${path} --help' for the flags it has\n`
      : `error: ${what} is not available in podplay yet: see '${path} --help' for the commands it has\n`,
};

/** An error as kubectl prints it. */
export function kubectlMessage(err: unknown): string {
  const e = err as { kubectlMessage?: () => string; message?: string };
  if (typeof e?.kubectlMessage === 'function') return e.kubectlMessage();
  const message = e?.message ?? String(err);
  return message.startsWith('error: ') || message.startsWith('Error from server') ? message : `error: ${message}`;
}
