/**
 * One command line of podplay's shell: `kubectl …` and `docker …` (and
 * their help), a few file commands for the manifests at hand (`ls`, `cat`),
 * and `> file` / `>> file` to keep a command's output. Lines are split as
 * a POSIX shell splits them; pipes are not run.
 */
import { runDocker } from './docker/index.ts';
import { CommandError, type CliEnv, type CommandIo } from './io.ts';
import { runKubectl } from './kubectl/index.ts';
import { splitWords } from './words.ts';

export const SHELL_HELP = `podplay's shell: a Kubernetes cluster and a container runtime in this page.

  kubectl ...         the cluster: get, describe, apply -f, create, run, delete, logs,
                      exec, scale, rollout, set image, label, annotate, taint, cordon,
                      uncordon, drain, top, events, explain, api-resources, version
  docker ...          containers on their own node: images, pull, run, ps, logs, stop,
                      kill, rm, rmi, exec, inspect, history, save, load, system df
  ls [DIR], cat FILE  the files at hand (manifests for kubectl apply -f)
  CMD > FILE          write a command's output to FILE (>> appends)
  history, clear, help

Tab completes commands, flags, resource types and names. Ctrl-C stops a
command that follows (-f, -w) or is attached; Up and Down walk the history.
`;

/** The commands the shell knows (for completion). */
export const SHELL_COMMANDS = ['kubectl', 'docker', 'ls', 'cat', 'help', 'history', 'clear'];

/** Words, and a `>`/`>>` redirection at the end, of a line. */
export function parseLine(line: string): { words: string[]; redirect?: { path: string; append: boolean }; error?: string } {
  const split = splitWords(line);
  if (split.unterminated) return { words: [], error: `podplay: unexpected end of line: unmatched ${split.unterminated === '\\' ? 'backslash' : split.unterminated}` };
  const words = [...split.words];
  if (words.includes('|')) return { words: [], error: 'podplay: pipes are not supported here; run each command on its own' };
  const at = words.findIndex((w) => w === '>' || w === '>>' || /^>>?./.test(w));
  if (at < 0) return { words };
  const w = words[at]!;
  const append = w.startsWith('>>');
  const inline = w.slice(append ? 2 : 1);
  const path = inline || words[at + 1];
  if (!path || words.length > at + (inline ? 1 : 2)) return { words: [], error: 'podplay: syntax error near unexpected token `newline\'' };
  return { words: words.slice(0, at), redirect: { path, append } };
}

async function files(words: string[], io: CommandIo, env: CliEnv): Promise<number> {
  const [cmd, ...args] = words;
  const decoder = new TextDecoder();
  let code = 0;
  if (cmd === 'ls') {
    for (const dir of args.length ? args : ['.']) {
      try {
        const names = await env.files.list(dir);
        io.out(names.sort().map((n) => n + '\n').join(''));
      } catch {
        try {
          await env.files.read(dir);
          io.out(dir + '\n');
        } catch {
          io.err(`ls: cannot access '${dir}': No such file or directory\n`);
          code = 2;
        }
      }
    }
    return code;
  }
  if (!args.length) {
    io.err('cat: reading standard input is not supported here\n');
    return 1;
  }
  for (const f of args) {
    try {
      io.out(decoder.decode(await env.files.read(f)));
    } catch {
      io.err(`cat: ${f}: No such file or directory\n`);
      code = 1;
    }
  }
  return code;
}

/**
 * Runs one line; resolves to its exit code. `history` lines come from the
 * shell that owns them.
 */
export async function runLine(line: string, io: CommandIo, env: CliEnv, history: readonly string[] = []): Promise<number> {
  const parsed = parseLine(line);
  if (parsed.error) {
    io.err(parsed.error + '\n');
    return 2;
  }
  const [cmd, ...args] = parsed.words;
  if (!cmd) return 0;
  let target = io;
  let captured = '';
  if (parsed.redirect) target = { ...io, out: (t: string) => void (captured += t) };
  let code: number;
  try {
    switch (cmd) {
      case 'kubectl':
      case 'k':
        code = await runKubectl(args, target, env);
        break;
      case 'docker':
        code = await runDocker(args, target, env);
        break;
      case 'ls':
      case 'cat':
        code = await files([cmd, ...args], target, env);
        break;
      case 'help':
        target.out(SHELL_HELP);
        code = 0;
        break;
      case 'history':
        target.out(history.map((h, i) => `${String(i + 1).padStart(5)}  ${h}\n`).join(''));
        code = 0;
        break;
      case 'echo':
        target.out(args.join(' ') + '\n');
        code = 0;
        break;
      default:
        io.err(`podplay: ${cmd}: command not found (try 'help')\n`);
        return 127;
    }
  } catch (err) {
    io.err(`${err instanceof CommandError ? err.message : `podplay: ${(err as Error).message}`}\n`);
    return 1;
  }
  if (parsed.redirect) {
    const { path, append } = parsed.redirect;
    let prefix = '';
    if (append) prefix = await env.files.read(path).then((b) => new TextDecoder().decode(b)).catch(() => '');
    await env.files.write(path, new TextEncoder().encode(prefix + captured));
  }
  return code;
}
