/**
 * docker's help (docker/cli cli/cobra.go usageTemplate): for a command with
 * subcommands, its common, management and other commands; for one without,
 * `Usage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]`, its description
 * and its Options as pflag lays them out.
 */
import { pflagUsages, type HelpFlag } from '../help-flags.ts';
import type { Command } from '../program.ts';

/**
 * The usage docker prints for a command with subcommands (docker/cli
 * cli/cobra.go usageTemplate): common, management and other commands,
 * names padded as cobra pads them (at least 11), sorted by name.
 */
export function dockerUsage(path: string, c: Command): string {
  const subs = c.subcommands ?? [];
  const pad = Math.max(11, ...subs.map((x) => x.name.length));
  const line = (x: Command) => `\n  ${x.name.padEnd(pad)} ${x.short}`;
  const byName = (a: Command, b: Command) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const common = subs.filter((x) => x.group === 'Common Commands:');
  const management = subs.filter((x) => x.subcommands?.length).sort(byName);
  const other = subs.filter((x) => !x.subcommands?.length && !common.includes(x)).sort(byName);
  let text = `Usage:  ${path}${path === 'docker' ? ' [OPTIONS]' : ''} COMMAND\n\n${c.long ?? c.short}`;
  if (common.length) text += `\n\nCommon Commands:${common.map(line).join('')}`;
  if (management.length) text += `\n\nManagement Commands:${management.map(line).join('')}`;
  if (other.length) text += `\n\nCommands:${other.map(line).join('')}`;
  text += `\n\nRun '${path} COMMAND --help' for more information on a command.\n`;
  if (path === 'docker') text += '\nFor more help on how to use Docker, head to https://docs.docker.com/go/guides/\n';
  return text;
}

/** `docker stop --help`: the command's usage line, description and Options. */
export function dockerHelp(path: readonly Command[], flags: readonly HelpFlag[]): string {
  const command = path.at(-1)!;
  const full = path.map((c) => c.name).join(' ');
  if (command.subcommands?.length) return dockerUsage(full, command);
  const parents = path.slice(0, -1).map((c) => c.name).join(' ');
  let text = `Usage:  ${parents} ${command.use}\n\n${(command.long ?? command.short).trim()}\n`;
  if (command.examples) text += `\nExamples:\n${command.examples.trimEnd()}\n`;
  if (flags.length) text += `\nOptions:\n${pflagUsages(flags).trimEnd()}\n`;
  return text;
}
