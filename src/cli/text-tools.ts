/**
 * The few text commands a pipeline after kubectl or docker needs: cat, ls,
 * grep, head, tail, wc, echo. They read their files through the shell's
 * Files, or standard input.
 */
import { UsageError, parseFlags, type FlagSpec } from './flags.ts';
import { readAll, type CliEnv, type CommandIo } from './io.ts';

const decoder = new TextDecoder();

/** Lines of text, without the empty piece after a final newline. */
const linesOf = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
const joined = (lines: string[]) => lines.map((l) => l + '\n').join('');

async function inputs(io: CommandIo, env: CliEnv, files: string[], tool: string): Promise<{ text: string; code: number }> {
  if (!files.length) return { text: await readAll(io.stdin), code: 0 };
  let text = '';
  let code = 0;
  for (const f of files) {
    try {
      text += decoder.decode(await env.files.read(f));
    } catch {
      io.err(`${tool}: ${f}: No such file or directory\n`);
      code = tool === 'grep' ? 2 : 1;
    }
  }
  return { text, code };
}

const N: FlagSpec = { name: 'lines', short: 'n', type: 'string', default: '10', help: 'print N lines' };

/** `head -5` is `head -n 5`, as the GNU tools take it (not the value after -n: `head -n -1`). */
const numeric = (args: string[]) => args.flatMap((a, i) => (/^-\d+$/.test(a) && args[i - 1] !== '-n' && args[i - 1] !== '--lines' ? ['-n', a.slice(1)] : [a]));

function count(text: string, tool: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new UsageError(`${tool}: invalid number of lines: '${text}'`);
  return Number(text);
}

/** A POSIX basic regular expression (grep without -E) as a JavaScript one: `\|`, `\(`, `\+` are the operators; bare `|`, `(`, `+` are literal. */
export function basicRegExp(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const d = pattern[++i]!;
      out += '|(){}+?'.includes(d) ? d : `\\${d}`;
    } else out += '|(){}+?'.includes(c) ? `\\${c}` : c;
  }
  return out;
}

/** Runs a file operation of the shell's Files; its error (already in the tool's words) goes to stderr. */
async function fileOp(io: CommandIo, op: () => unknown, tool: string, failCode: number, quietMissing = false): Promise<number> {
  try {
    const r = op();
    if (r === undefined && tool !== 'cd') {
      io.err(`${tool.replace('-unavailable', '')}: not available in this shell\n`);
      return failCode;
    }
    await r;
    return 0;
  } catch (err) {
    const e = err as { message?: string; code?: string };
    if (quietMissing && e.code === 'ENOENT') return 0;
    io.err(`${e.message?.startsWith(`${tool}:`) ? e.message : `${tool}: ${e.message}`}\n`);
    return failCode;
  }
}

function usage(io: CommandIo, tool: string, what: string): number {
  io.err(`${tool}: ${what}\nTry '${tool} --help' for more information.\n`);
  return 1;
}

export const TEXT_TOOLS: Record<string, (args: string[], io: CommandIo, env: CliEnv) => Promise<number>> = {
  async cat(args, io, env) {
    const r = await inputs(io, env, args, 'cat');
    io.out(r.text);
    return r.code;
  },
  async ls(args, io, env) {
    let code = 0;
    for (const dir of args.length ? args : ['.']) {
      try {
        io.out(joined(await env.files.list(dir)));
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
  },
  async pwd(_args, io, env) {
    io.out(`${env.files.cwd?.() ?? '/'}\n`);
    return 0;
  },
  async cd(args, io, env) {
    if (!env.files.chdir) return fileOp(io, () => undefined, 'cd-unavailable', 1);
    return fileOp(io, () => void env.files.chdir!(args[0] ?? '/home'), 'cd', 1);
  },
  async mkdir(args, io, env) {
    const parents = args.includes('-p');
    const paths = args.filter((a) => a !== '-p');
    if (!paths.length) return usage(io, 'mkdir', 'missing operand');
    let code = 0;
    for (const p of paths) code = Math.max(code, await fileOp(io, () => env.files.mkdir?.(p, parents), 'mkdir', 1));
    return code;
  },
  async rm(args, io, env) {
    const flags = args.filter((a) => /^-[rRf]+$/.test(a)).join('');
    const paths = args.filter((a) => !/^-[rRf]+$/.test(a));
    if (!paths.length) return usage(io, 'rm', 'missing operand');
    let code = 0;
    for (const p of paths) {
      const r = await fileOp(io, () => env.files.remove?.(p, /[rR]/.test(flags)), 'rm', 1, flags.includes('f'));
      code = Math.max(code, r);
    }
    return code;
  },
  async mv(args, io, env) {
    if (args.length < 2) return usage(io, 'mv', args.length ? `missing destination file operand after '${args[0]}'` : 'missing file operand');
    let code = 0;
    const dest = args[args.length - 1]!;
    for (const p of args.slice(0, -1)) code = Math.max(code, await fileOp(io, () => env.files.rename?.(p, dest), 'mv', 1));
    return code;
  },
  async edit(args, io, env) {
    if (args.length !== 1) return usage(io, 'edit', 'give one file to edit');
    if (!env.editor) {
      io.err(`edit: there is no editor here: ${env.files.walk ? 'edit the file with your own editor (it is a real file)' : 'show the files panel (panels="terminal files")'}, or write it with cat > ${args[0]} <<'EOF'\n`);
      return 1;
    }
    return fileOp(io, () => env.editor!.open(args[0]!), 'edit', 1);
  },
  async echo(args, io) {
    io.out(args.join(' ') + '\n');
    return 0;
  },
  async grep(args, io, env) {
    const p = parseFlags(args, [
      { name: 'invert-match', short: 'v', type: 'bool', help: '' },
      { name: 'ignore-case', short: 'i', type: 'bool', help: '' },
      { name: 'count', short: 'c', type: 'bool', help: '' },
      { name: 'extended-regexp', short: 'E', type: 'bool', help: '' },
      { name: 'quiet', short: 'q', type: 'bool', help: '' },
    ]);
    const [pattern, ...files] = p.args;
    if (pattern === undefined) throw new UsageError('Usage: grep [-viEcq] PATTERN [FILE]...');
    let re: RegExp;
    try {
      re = new RegExp(p.values['extended-regexp'] ? pattern : basicRegExp(pattern), p.values['ignore-case'] ? 'i' : '');
    } catch {
      io.err(`grep: Invalid regular expression\n`);
      return 2;
    }
    const r = await inputs(io, env, files, 'grep');
    const hits = linesOf(r.text).filter((l) => re.test(l) !== p.values['invert-match']);
    // -q: nothing printed, only the status (0 when a line matched), as verify scripts use it.
    if (!p.values.quiet) io.out(p.values.count ? `${hits.length}\n` : joined(hits));
    return r.code || (hits.length ? 0 : 1);
  },
  async head(args, io, env) {
    const p = parseFlags(numeric(args), [N]);
    const n = count(p.values.lines as string, 'head');
    const r = await inputs(io, env, p.args, 'head');
    // `head -n -1`: all but the last line.
    io.out(joined(linesOf(r.text).slice(0, n)));
    return r.code;
  },
  async tail(args, io, env) {
    const p = parseFlags(numeric(args), [N]);
    const text = p.values.lines as string;
    const n = Math.abs(count(text, 'tail'));
    const r = await inputs(io, env, p.args, 'tail');
    const lines = linesOf(r.text);
    // `tail -n +2`: from the second line on (after a table's header).
    io.out(joined(text.startsWith('+') ? lines.slice(Math.max(0, n - 1)) : n ? lines.slice(-n) : []));
    return r.code;
  },
  async wc(args, io, env) {
    const p = parseFlags(args, [
      { name: 'lines', short: 'l', type: 'bool', help: '' },
      { name: 'words', short: 'w', type: 'bool', help: '' },
      { name: 'bytes', short: 'c', type: 'bool', help: '' },
    ]);
    const r = await inputs(io, env, p.args, 'wc');
    const counts = { lines: (r.text.match(/\n/g) ?? []).length, words: r.text.split(/\s+/).filter(Boolean).length, bytes: new TextEncoder().encode(r.text).length };
    const chosen = (['lines', 'words', 'bytes'] as const).filter((k) => p.values[k]);
    const shown = (chosen.length ? chosen : (['lines', 'words', 'bytes'] as const)).map((k) => String(counts[k]));
    io.out((shown.length === 1 ? shown[0] : shown.map((s) => s.padStart(7)).join(' ')) + '\n');
    return r.code;
  },
};
