/**
 * A command tree as cobra builds kubectl's and docker's: commands with
 * subcommands, flags (the root's are inherited), help from the same specs,
 * and each tool's own words for a mistake (kubectl: `error: unknown flag:
 * --foo` + `See 'kubectl get --help' for usage.`; docker: `unknown flag:
 * --foo` + `See 'docker run --help'.`, exit 125).
 */
import { parseFlags, UsageError, type FlagSpec, type FlagValue, type ParsedFlags } from './flags.ts';
import { helpFlags, kubectlFlagUsages, type HelpFlag } from './help-flags.ts';
import { CommandError, type CliEnv, type CommandIo } from './io.ts';
import { realCommand, realCommands, realFlag, unknownFlagOf, type Tool } from './real-tool.ts';

export interface Invocation {
  io: CommandIo;
  env: CliEnv;
  flags: Record<string, FlagValue>;
  given: Set<string>;
  args: string[];
  /** Where `--` split the arguments (kubectl exec POD -- CMD). */
  dashAt?: number;
  /** `kubectl get`, `docker run`: for messages. */
  path: string;
}

export interface Command {
  name: string;
  aliases?: string[];
  /** One line for the parent's command list. */
  short: string;
  /** The usage line after the program name, cobra's `Use`. */
  use: string;
  long?: string;
  examples?: string;
  flags?: FlagSpec[];
  /** Flags stop at the first argument (docker run IMAGE CMD --its-own-flag). */
  noInterspersed?: boolean;
  subcommands?: Command[];
  /** Group heading in the parent's command list (kubectl's "Basic Commands (Beginner):"). */
  group?: string;
  /** Left out of the parent's command list (kubectl options). */
  hidden?: boolean;
  run?(inv: Invocation): Promise<number | void> | number | void;
  /** Words completion offers for the argument at `index` (resource types, names). */
  complete?(env: CliEnv, args: string[], flags: Record<string, FlagValue>): string[];
}

export interface ProgramStyle {
  /** `kubectl`, `docker`. */
  name: string;
  /** How a flag mistake (unknown flag, missing value) is printed. */
  usageError(message: string, path: string): string;
  /** How a command's own usage complaint is printed (kubectl's UsageErrorf); default: as usageError. */
  usageErrorf?(message: string, path: string): string;
  /** How an unknown command is printed. */
  unknownCommand(word: string, path: string, suggestions: string[]): string;
  usageExitCode: number;
  /** How any other failure is printed (an API error, a runtime error). */
  failure(err: unknown): string;
  /** The last lines of every help text. */
  helpFooter?: string;
  /** The real tool this one answers as: a flag or command it has and podplay lacks gets {@link ProgramStyle.notHere}. */
  real?: Tool;
  /** How a real flag or command podplay lacks is answered (`--chunk-size`, `patch`), at `path`. */
  notHere?(what: string, path: string): string;
  /** The tool's own help layout (docker's); default: cobra's as kubectl prints it ({@link helpText}). */
  help?(path: readonly Command[], flags: readonly HelpFlag[]): string;
}

/** The Options help shows for the command at the end of `path`: its own flags, in the real tool's words where it has them. */
async function optionsOf(style: ProgramStyle, path: readonly Command[]): Promise<HelpFlag[]> {
  const own = path.length > 1 ? (path.at(-1)!.flags ?? []) : [];
  if (!own.length || !style.real) return helpFlags(own);
  const real = await realCommands(style.real);
  const full = path.map((c) => c.name).join(' ');
  return helpFlags(own, (name) => realFlag(real, full, name));
}

/** The real tool's flag or command podplay lacks that a usage mistake is about, if it is one: podplay's answer to it. */
async function notHere(style: ProgramStyle, message: string, path: string): Promise<string | undefined> {
  if (!style.real || !style.notHere) return undefined;
  const flag = unknownFlagOf(message);
  if (!flag) return undefined;
  const real = await realCommands(style.real);
  const f = realFlag(real, path, flag.word, flag.short);
  return f ? style.notHere(`--${f[0]}`, path) : undefined;
}

/** The command `argv` names, the words after it, and its full path. */
export function resolveCommand(root: Command, argv: readonly string[]): { command: Command; rest: string[]; path: Command[] } {
  let command = root;
  const path = [root];
  const rest: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const w = argv[i]!;
    if (w === '--') break;
    if (w.startsWith('-') && w !== '-') {
      rest.push(w);
      // A flag with a separate value (-n ns) may come before the subcommand: keep both.
      const spec = allFlags(path).find((f) => (w === `--${f.name}` || w === `-${f.short}`) && f.type !== 'bool');
      if (spec && i + 1 < argv.length) rest.push(argv[++i]!);
      continue;
    }
    const sub = command.subcommands?.find((c) => c.name === w || c.aliases?.includes(w));
    if (!sub) break;
    command = sub;
    path.push(sub);
  }
  rest.push(...argv.slice(i));
  return { command, rest, path };
}

/** The flags a command takes: its own and every ancestor's. */
export function allFlags(path: readonly Command[]): FlagSpec[] {
  return path.flatMap((c) => c.flags ?? []);
}

const levenshtein = (a: string, b: string): number => {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length]![b.length]!;
};

/** cobra's suggestions: commands within two edits, or that start with the word. */
export function suggest(word: string, command: Command): string[] {
  return (command.subcommands ?? []).filter((c) => levenshtein(word, c.name) <= 2 || c.name.startsWith(word)).map((c) => c.name);
}

/** Help text for a command, in cobra's layout as kubectl prints it, with `flags` as its Options. */
export function helpText(style: ProgramStyle, path: readonly Command[], flags: readonly HelpFlag[] = helpFlags(path.length > 1 ? (path.at(-1)!.flags ?? []) : [])): string {
  const command = path.at(-1)!;
  const full = path.map((c) => c.name).join(' ');
  let text = `${command.long ?? command.short}\n\n`;
  if (command.examples) text += `Examples:\n${command.examples.replace(/\s+$/, '')}\n\n`;
  const listed = (command.subcommands ?? []).filter((c) => !c.hidden);
  if (listed.length) {
    const groups = new Map<string, Command[]>();
    for (const c of listed) groups.set(c.group ?? 'Available Commands:', [...(groups.get(c.group ?? 'Available Commands:') ?? []), c]);
    // cobra: each name padded to the longest, then three spaces.
    const width = Math.max(...listed.map((c) => c.name.length)) + 3;
    for (const [group, cmds] of groups) text += `${group}\n${cmds.map((c) => `  ${c.name.padEnd(width)}${c.short}`).join('\n')}\n\n`;
  }
  if (flags.length) text += `Options:\n${kubectlFlagUsages(flags)}\n`;
  text += `Usage:\n  ${path.length === 1 ? command.use : `${style.name} ${command.use}`}\n`;
  if (command.subcommands?.length) text += `\nUse "${full} <command> --help" for more information about a given command.\n`;
  if (style.helpFooter) text += (command.subcommands?.length ? '' : '\n') + style.helpFooter;
  return text;
}

/** The first word of `argv` that is not a flag or a flag's value (`-n ns patch` → `patch`). */
function firstWord(argv: readonly string[], specs: readonly FlagSpec[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    if (w === '--') return undefined;
    if (!w.startsWith('-') || w === '-') return w;
    if (w.includes('=')) continue;
    const spec = specs.find((f) => w === `--${f.name}` || w === `-${f.short}`);
    if (spec && spec.type !== 'bool') i++;
  }
  return undefined;
}

/** Runs one command line of a program (argv without the program's name); resolves to the exit code. */
export async function runProgram(style: ProgramStyle, root: Command, argv: readonly string[], io: CommandIo, env: CliEnv): Promise<number> {
  const { command, rest, path } = resolveCommand(root, argv);
  const full = path.map((c) => c.name).join(' ');
  // A command of the real tool that podplay lacks (`kubectl patch …`), before its flags are taken for the parent's.
  const word = command.subcommands?.length ? firstWord(rest, allFlags(path)) : undefined;
  if (word !== undefined && style.real && style.notHere && realCommand(await realCommands(style.real), `${full} ${word}`)) {
    io.err(style.notHere(`${full} ${word}`, full));
    return style.usageExitCode;
  }
  const own = allFlags(path);
  // -h is help, unless the command has its own -h (docker run -h HOSTNAME).
  const specs = [...own, { name: 'help', ...(own.some((f) => f.short === 'h') ? {} : { short: 'h' }), type: 'bool', help: `help for ${command.name}` } as FlagSpec];
  let parsed: ParsedFlags;
  try {
    parsed = parseFlags(rest, specs, { interspersed: !command.noInterspersed });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err((await notHere(style, err.message, full)) ?? style.usageError(err.message, full));
    return style.usageExitCode;
  }
  if (parsed.values.help) {
    const flags = await optionsOf(style, path);
    io.out(style.help ? style.help(path, flags) : helpText(style, path, flags));
    return 0;
  }
  if (!command.run) {
    const word = parsed.args[0];
    if (word !== undefined) {
      io.err(style.unknownCommand(word, full, suggest(word, command)));
      return style.usageExitCode;
    }
    io.out(helpText(style, path));
    return command === root ? 0 : 0;
  }
  try {
    const code = await command.run({ io, env, flags: parsed.values, given: parsed.given, args: parsed.args, dashAt: parsed.dashAt, path: full });
    return code ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err((style.usageErrorf ?? style.usageError)(err.message, full));
      return style.usageExitCode;
    }
    io.err(style.failure(err));
    return err instanceof CommandError ? err.exitCode : 1;
  }
}
