/**
 * The Options of a help text as the real tools print them: each flag of
 * podplay's with the real tool's type, default and usage line where the real
 * tool has it (src/cli/real-commands.ts), sorted by name as pflag visits
 * them; kubectl's layout (kubectl/pkg/util/templates HelpFlagPrinter:
 * `    -A, --all-namespaces=false:` then the usage on a tab-indented line)
 * and pflag's FlagUsagesWrapped, which docker prints (aligned columns,
 * `(default …)`, wrapped at 79 columns).
 */
import type { FlagSpec } from './flags.ts';
import type { RealFlag } from './real-tool.ts';

export interface HelpFlag {
  name: string;
  short: string;
  /** pflag's type name: bool, string, int, stringSlice, stringArray, list, duration… */
  type: string;
  /** pflag's DefValue: `false`, `''` as the empty string, `[]`, `-1`. */
  defaultValue: string;
  usage: string;
  hidden?: boolean;
}

const PFLAG_TYPE: Record<FlagSpec['type'], string> = { bool: 'bool', int: 'int', string: 'string', strings: 'stringArray', stringSlice: 'stringSlice' };

function ownDefault(s: FlagSpec): string {
  if (s.default !== undefined) return String(s.default);
  return s.type === 'bool' ? 'false' : s.type === 'int' ? '0' : s.type === 'string' ? '' : '[]';
}

/** podplay's flags as help shows them, the real tool's words where it has the flag (`real` looks one up by name). */
export function helpFlags(specs: readonly FlagSpec[], real: (name: string) => RealFlag | undefined = () => undefined): HelpFlag[] {
  return specs
    .filter((s) => !s.hidden)
    .map((s) => {
      const r = real(s.name);
      return r
        ? { name: s.name, short: r[1], type: r[2], defaultValue: r[3], usage: r[4] }
        : { name: s.name, short: s.short ?? '', type: PFLAG_TYPE[s.type], defaultValue: ownDefault(s), usage: s.help };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** kubectl's Options: `    -A, --all-namespaces=false:` / `    --template='':`, the usage on the next line after a tab, a blank line between. */
export function kubectlFlagUsages(flags: readonly HelpFlag[]): string {
  return flags
    .map((f) => {
      const value = f.type === 'string' ? `'${f.defaultValue}'` : f.defaultValue;
      return `    ${f.short ? `-${f.short}, ` : ''}--${f.name}=${value}:\n\t${f.usage.replace(/\n/g, '\n\t')}\n`;
    })
    .join('\n');
}

/** pflag's UnquoteUsage: a `backquoted` word of the usage names the value, else the type does. */
function unquoteUsage(f: HelpFlag): [string, string] {
  const m = /`([^`]*)`/.exec(f.usage);
  if (m) return [m[1]!, f.usage.replace(/`/g, '')];
  const name = { bool: '', float64: 'float', int64: 'int', uint64: 'uint', stringSlice: 'strings', intSlice: 'ints', uintSlice: 'uints', boolSlice: 'bools' }[f.type] ?? f.type;
  return [name, f.usage];
}

const isZero = (f: HelpFlag) => ['false', '', '0', '0s', '[]', '<nil>', 'map[]'].includes(f.defaultValue) || (f.type === 'int' && f.defaultValue === '0');

/** pflag's wrapN: the first line of `s` up to `i` (with `slop` to spare), and the rest. */
function wrapN(i: number, slop: number, s: string): [string, string] {
  if (i + slop > s.length) return [s, ''];
  const w = Math.max(s.lastIndexOf(' ', i - 1), s.lastIndexOf('\t', i - 1), s.lastIndexOf('\n', i - 1));
  if (w <= 0) return [s, ''];
  const nl = s.lastIndexOf('\n', i - 1);
  if (nl > 0 && nl < w) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}

/** pflag's wrap: `s` wrapped to width `w`, continuation lines indented by `i`. */
function wrap(i: number, w: number, s: string): string {
  let width = w - i;
  let out = '';
  if (width < 24) {
    i = 16;
    width = w - i;
    out += `\n${' '.repeat(i)}`;
  }
  if (width < 24) return s.replace(/\n/g, out);
  const slop = 5;
  width -= slop;
  let [line, rest] = wrapN(width, slop, s);
  out += line.replace(/\n/g, `\n${' '.repeat(i)}`);
  while (rest !== '') {
    [line, rest] = wrapN(width, slop, rest);
    out += `\n${' '.repeat(i)}${line.replace(/\n/g, `\n${' '.repeat(i)}`)}`;
  }
  return out;
}

/** pflag's FlagUsagesWrapped(cols), as docker prints its Options (cols: the terminal's width less one, 79 without one). */
export function pflagUsages(flags: readonly HelpFlag[], cols = 79): string {
  const lines = flags.map((f) => {
    let line = f.short ? `  -${f.short}, --${f.name}` : `      --${f.name}`;
    const [varname, usage] = unquoteUsage(f);
    if (varname) line += ` ${varname}`;
    const at = line.length;
    line += `\u0000${usage}`;
    if (!isZero(f)) line += f.type === 'string' ? ` (default ${JSON.stringify(f.defaultValue)})` : ` (default ${f.defaultValue})`;
    return { line, at };
  });
  // pflag's maxlen counts the \0 that marks the column: one more than the longest flag part.
  const max = Math.max(0, ...lines.map((l) => l.at)) + 1;
  return lines.map(({ line, at }) => `${line.slice(0, at)} ${' '.repeat(max - at)} ${wrap(max + 2, cols, line.slice(at + 1))}\n`).join('');
}
