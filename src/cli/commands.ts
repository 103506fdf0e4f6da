/**
 * One command line of podplay's shell: `kubectl …`, `docker …` and
 * `podplay …` (and their help), a few text commands for the manifests and
 * outputs at hand (`ls`, `cat`, `grep`, `head`, `tail`, `wc`, `echo`),
 * pipelines (each stage runs to its end, then feeds the next), `> file` /
 * `>> file`, `< file` and here-documents (`kubectl apply -f - <<EOF`).
 * Lines are split as a POSIX shell splits them.
 */
import { runDocker } from './docker/index.ts';
import { UsageError } from './flags.ts';
import { CommandError, type CliEnv, type CommandIo } from './io.ts';
import { TEXT_TOOLS } from './text-tools.ts';
import { runKubectl } from './kubectl/index.ts';
import { runPodplay } from './podplay/index.ts';
import { splitWords } from './words.ts';

export const SHELL_HELP = `podplay's shell: a Kubernetes cluster and a container runtime in this page.

  kubectl ...         the cluster: get, describe, apply -f, create, run, delete, logs,
                      exec, scale, rollout, set image, label, annotate, taint, cordon,
                      uncordon, drain, top, events, explain, api-resources, version
  docker ...          containers on their own node: images, pull, run, ps, logs, stop,
                      kill, rm, rmi, exec, inspect, history, save, load, system df
  podplay ...         the simulation itself: explain pod NAME (why the scheduler put it on
                      its node, or left it Pending), stop node NAME (crash a node's worker)
  ls, cat, grep, head, tail, wc, echo
                      the files at hand (manifests for kubectl apply -f) and outputs
  CMD | CMD           a pipeline: kubectl get pods | grep Running
  CMD > FILE          write a command's output to FILE (>> appends; < FILE reads)
  CMD <<EOF           a here-document: kubectl apply -f - <<EOF ... EOF
  history, clear, help, exit

Tab completes commands, flags, resource types and names. Ctrl-C stops a
command that follows (-f, -w) or is attached; Up and Down walk the history.
`;

/** The commands the shell knows (for completion). */
export const SHELL_COMMANDS = ['kubectl', 'docker', 'podplay', 'ls', 'cat', 'grep', 'head', 'tail', 'wc', 'echo', 'help', 'history', 'clear', 'exit'];

interface Stage {
  words: string[];
  /** Standard input from the here-document (`<<EOF`) or a file (`< FILE`). */
  heredoc?: boolean;
  stdinFile?: string;
  /** `2>FILE`, `2>/dev/null`, `2>&1` (to wherever the stage's standard output goes). */
  stderr?: { path: string; append: boolean } | 'stdout';
  /** `>&2`. */
  stdoutToStderr?: boolean;
}

export interface ParsedLine {
  stages: Stage[];
  redirect?: { path: string; append: boolean };

  /** The here-document the line opens: the shell reads lines up to `delimiter` as its body. */
  heredoc?: { delimiter: string; stripTabs: boolean };
  error?: string;
}

/** A line's pipeline: its stages, redirections and here-document, as a POSIX shell reads them. */
export function parseLine(line: string): ParsedLine {
  const split = splitWords(line);
  if (split.unterminated) return { stages: [], error: `podplay: unexpected end of line: unmatched ${split.unterminated === '\\' ? 'backslash' : split.unterminated}` };
  const syntax = (token: string): ParsedLine => ({ stages: [], error: `podplay: syntax error near unexpected token \`${token}'` });
  const stages: Stage[] = [{ words: [] }];
  const out: ParsedLine = { stages };
  const { words, plain } = split;
  const OPS = ['|', '>', '>>', '1>', '1>>', '2>', '2>>', '<', '<<'];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (plain[i] && ['&&', '||', ';', '&'].includes(w)) return { stages: [], error: `podplay: '${w}' is not supported here: run one command per line` };
    const op = plain[i] && OPS.includes(w) ? w : undefined;
    const stage = stages.at(-1)!;
    if (!op) {
      // Words may follow a redirection (`kubectl get pods > pods.txt -o wide`).
      stage.words.push(w);
      continue;
    }
    const next = words[i + 1];
    if (op === '|') {
      if (!stage.words.length || out.redirect) return syntax('|');
      stages.push({ words: [] });
      continue;
    }
    if (next === undefined || (plain[i + 1] && OPS.includes(next))) return syntax(next ?? 'newline');
    i++;
    if (op === '2>' || op === '2>>') {
      if (next !== '&2') stage.stderr = next === '&1' ? 'stdout' : { path: next, append: op === '2>>' };
    } else if (op.endsWith('>') || op.endsWith('>>')) {
      // `>&2`: standard output to standard error; `>&1` changes nothing.
      if (next === '&2') stage.stdoutToStderr = true;
      else if (next !== '&1') out.redirect = { path: next, append: op.endsWith('>>') };
    } else if (op === '<') stage.stdinFile = next;
    else {
      stage.heredoc = true;
      out.heredoc = { delimiter: next.replace(/^-/, ''), stripTabs: next.startsWith('-') };
    }
  }
  if (!stages.at(-1)!.words.length && (stages.length > 1 || out.redirect)) return syntax('newline');
  return out;
}

async function* textStream(text: string): AsyncIterable<string> {
  if (text) yield text;
}

/** One stage of a pipeline: a command and its arguments. */
async function runStage(words: string[], io: CommandIo, env: CliEnv, history: readonly string[]): Promise<number> {
  const [cmd, ...args] = words;
  switch (cmd) {
    case undefined:
      return 0;
    case 'kubectl':
    case 'k':
      return runKubectl(args, io, env);
    case 'docker':
      return runDocker(args, io, env);
    case 'podplay':
      return runPodplay(args, io, env);
    case 'help':
      io.out(SHELL_HELP);
      return 0;
    case 'history':
      io.out(history.map((h, i) => `${String(i + 1).padStart(5)}  ${h}\n`).join(''));
      return 0;
    default: {
      const tool = TEXT_TOOLS[cmd];
      if (tool) return tool(args, io, env);
      io.err(`podplay: ${cmd}: command not found (try 'help')\n`);
      return 127;
    }
  }
}

/**
 * Runs one line (a pipeline: each stage's output is the next one's input,
 * stage after stage); resolves to the last stage's exit code. `heredoc` is
 * the body of the here-document the line opens; `history` the shell's.
 */
export async function runLine(line: string, io: CommandIo, env: CliEnv, history: readonly string[] = [], heredoc = ''): Promise<number> {
  const parsed = parseLine(line);
  if (parsed.error) {
    io.err(parsed.error + '\n');
    return 2;
  }
  let code = 0;
  let input: AsyncIterable<string> | undefined = io.stdin;
  let captured = '';
  const errFiles: Array<{ path: string; append: boolean; text: string }> = [];
  for (const [i, stage] of parsed.stages.entries()) {
    const last = i === parsed.stages.length - 1;
    let stdin = input;
    if (stage.heredoc) stdin = textStream(heredoc);
    if (stage.stdinFile) {
      try {
        stdin = textStream(new TextDecoder().decode(await env.files.read(stage.stdinFile)));
      } catch {
        io.err(`podplay: ${stage.stdinFile}: No such file or directory\n`);
        return 1;
      }
    }
    captured = '';
    const out = stage.stdoutToStderr ? io.err : last && !parsed.redirect ? io.out : (t: string) => void (captured += t);
    const errFile = typeof stage.stderr === 'object' ? { ...stage.stderr, text: '' } : undefined;
    if (errFile) errFiles.push(errFile);
    const err = stage.stderr === 'stdout' ? out : errFile ? (t: string) => void (errFile.text += t) : io.err;
    try {
      const stdinIsTTY = i === 0 && !stage.heredoc && !stage.stdinFile ? io.stdinIsTTY : false;
      code = await runStage(stage.words, { ...io, out, err, stdin, isTTY: last && !parsed.redirect ? io.isTTY : false, stdinIsTTY }, env, history);
    } catch (e) {
      err(`${e instanceof CommandError ? e.message : e instanceof UsageError ? e.message : `podplay: ${(e as Error).message}`}\n`);
      code = 1;
    }
    // After Ctrl-C the later stages still get what was printed (kubectl logs -f | grep), as a pipe's reader does.
    input = textStream(captured);
  }
  const targets = [...errFiles, ...(parsed.redirect ? [{ ...parsed.redirect, text: captured }] : [])];
  for (const target of targets) {
    if (target.path === '/dev/null') continue;
    let prefix = '';
    if (target.append) prefix = await env.files.read(target.path).then((b) => new TextDecoder().decode(b)).catch(() => '');
    try {
      await env.files.write(target.path, new TextEncoder().encode(prefix + target.text));
    } catch (e) {
      io.err(`podplay: ${target.path}: ${(e as Error).message}\n`);
      return 1;
    }
  }
  return io.signal.aborted ? 130 : code;
}
