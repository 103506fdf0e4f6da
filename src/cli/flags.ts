/**
 * Flags parsed as kubectl's and docker's (spf13/pflag) parse them:
 * `--name value`, `--name=value`, `-n value`, `-nvalue`, `-n=value`,
 * grouped booleans `-it`, `--flag=false`, and `--` ending the flags. The
 * errors are pflag's words: `unknown flag: --foo`, `unknown shorthand flag:
 * 'z' in -z`, `flag needs an argument: --namespace`.
 */

/** `strings` repeats (pflag StringArray); `stringSlice` also splits each value on commas (pflag StringSlice). */
export type FlagType = 'bool' | 'string' | 'int' | 'strings' | 'stringSlice';

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  /** Shown in help; also the value when the flag is not given (bool: false, int: 0 unless set). */
  default?: string | number | boolean;
  help: string;
  /** Words completion offers for the value. */
  values?: readonly string[];
  /** Taken, but left out of help (a deprecated name). */
  hidden?: boolean;
}

export type FlagValue = string | number | boolean | string[];

/** A usage mistake: the command prints it with a pointer to its help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedFlags {
  /** Every flag's value: given, else its default. */
  values: Record<string, FlagValue>;
  /** Flags the user gave. */
  given: Set<string>;
  /** The words that are not flags, in order (after `--` as well). */
  args: string[];
  /** Whether `--` appeared, and where in `args` the words after it begin (kubectl exec, run). */
  dashAt?: number;
}

function initial(spec: FlagSpec): FlagValue {
  if (spec.default !== undefined) return spec.default;
  return spec.type === 'bool' ? false : spec.type === 'int' ? 0 : spec.type === 'strings' || spec.type === 'stringSlice' ? [] : '';
}

function assign(values: Record<string, FlagValue>, spec: FlagSpec, raw: string, shown: string): void {
  switch (spec.type) {
    case 'bool':
      if (!/^(true|false|1|0|t|f|TRUE|FALSE|True|False)$/.test(raw)) throw new UsageError(`invalid argument "${raw}" for "${shown}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
      values[spec.name] = /^(true|1|t|TRUE|True)$/.test(raw);
      return;
    case 'int':
      if (!/^-?\d+$/.test(raw)) throw new UsageError(`invalid argument "${raw}" for "${shown}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`);
      values[spec.name] = Number(raw);
      return;
    case 'strings':
      values[spec.name] = [...(values[spec.name] as string[]), raw];
      return;
    case 'stringSlice':
      values[spec.name] = [...(values[spec.name] as string[]), ...raw.split(',').filter((v) => v !== '')];
      return;
    default:
      values[spec.name] = raw;
  }
}

/** Parses `argv` against `specs`; `interspersed: false` stops at the first argument (docker run IMAGE CMD…). */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], options: { interspersed?: boolean } = {}): ParsedFlags {
  const interspersed = options.interspersed ?? true;
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const values: Record<string, FlagValue> = {};
  for (const s of specs) values[s.name] = initial(s);
  const given = new Set<string>();
  const args: string[] = [];
  let dashAt: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      dashAt = args.length;
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      args.push(a);
      if (!interspersed) {
        args.push(...argv.slice(i + 1));
        break;
      }
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const spec = byName.get(name);
      if (!spec) throw new UsageError(`unknown flag: --${name}`);
      given.add(spec.name);
      if (eq >= 0) assign(values, spec, a.slice(eq + 1), `--${name}`);
      else if (spec.type === 'bool') values[spec.name] = true;
      else if (i + 1 < argv.length) assign(values, spec, argv[++i]!, `--${name}`);
      else throw new UsageError(`flag needs an argument: --${name}`);
      continue;
    }
    // Shorthands: -it, -n ns, -nns, -n=ns
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const spec = byShort.get(c);
      if (!spec) throw new UsageError(`unknown shorthand flag: '${c}' in ${a}`);
      given.add(spec.name);
      const rest = a.slice(j + 1);
      if (spec.type === 'bool') {
        if (rest.startsWith('=')) {
          assign(values, spec, rest.slice(1), `-${c}`);
          break;
        }
        values[spec.name] = true;
        continue;
      }
      if (rest) assign(values, spec, rest.startsWith('=') ? rest.slice(1) : rest, `-${c}, --${spec.name}`);
      else if (i + 1 < argv.length) assign(values, spec, argv[++i]!, `-${c}, --${spec.name}`);
      else throw new UsageError(`flag needs an argument: '${c}' in -${c}`);
      break;
    }
  }
  return { values, given, args, dashAt };
}
