/**
 * The values and functions of Go's text/template (src/cli/go-template.ts):
 * how a value prints (fmt's %v), what is true, and the builtins (and, or,
 * not, len, index, slice, print, printf, println, eq, ne, lt, le, gt, ge;
 * and/or are evaluated lazily by the template itself).
 */

export type TemplateFunction = (...args: unknown[]) => unknown;

/** The value Go prints for `v` with %v (maps with sorted keys, as fmt does). */
export function goValue(v: unknown): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? '<nil>' : goValue(x))).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, x]) => `${k}:${x === undefined ? '<nil>' : goValue(x)}`).join(' ')}]`;
  }
  return String(v);
}

export function truth(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

export const BUILTINS: Record<string, TemplateFunction> = {
  not: (a) => !truth(a),
  len: (a) => {
    if (typeof a === 'string') return new TextEncoder().encode(a).length; // bytes, as Go counts a string
    if (Array.isArray(a)) return a.length;
    if (a && typeof a === 'object') return Object.keys(a).length;
    throw new Error(`len of ${a === undefined || a === null ? 'nil pointer' : `type ${typeof a}`}`);
  },
  index: (item, ...keys) => {
    let v = item;
    for (const k of keys) {
      if (Array.isArray(v)) {
        const i = Number(k);
        if (!Number.isInteger(i) || i < 0 || i >= v.length) throw new Error(`error calling index: index out of range: ${String(k)}`);
        v = v[i];
      } else if (v && typeof v === 'object') v = (v as Record<string, unknown>)[String(k)];
      else if (v === undefined || v === null) throw new Error('error calling index: index of untyped nil');
      else throw new Error(`error calling index: can't index item of type ${typeof v}`);
    }
    return v;
  },
  slice: (item, ...idx) => {
    if (typeof item !== 'string' && !Array.isArray(item)) throw new Error(`error calling slice: can't slice item of type ${typeof item}`);
    const [a, b] = idx.map(Number);
    return item.slice(a ?? 0, b ?? item.length);
  },
  print: (...args) => args.map((a, i) => (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string' ? ' ' : '') + goValue(a)).join(''),
  println: (...args) => `${args.map(goValue).join(' ')}\n`,
  printf: (format, ...args) => sprintf(String(format), args),
  eq: (a, ...bs) => bs.some((b) => a === b),
  ne: (a, b) => a !== b,
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
};

function compare(a: unknown, b: unknown): number {
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) throw new Error('incompatible types for comparison');
  return (a as number | string) < (b as number | string) ? -1 : a === b ? 0 : 1;
}

/** fmt.Sprintf for the verbs templates use: %s %v %d %q %t %f (with width and precision), %%. */
function sprintf(format: string, args: unknown[]): string {
  let n = 0;
  return format.replace(/%([-+ 0#]*)(\d*)(?:\.(\d+))?([svdqtfx%])/g, (_, flags: string, width: string, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (n >= args.length) return `%!${verb}(MISSING)`;
    const a = args[n++];
    let s: string;
    if (verb === 'q') s = JSON.stringify(typeof a === 'string' ? a : goValue(a));
    else if (verb === 'd') s = typeof a === 'number' ? String(Math.trunc(a)) : `%!d(${typeof a}=${goValue(a)})`;
    else if (verb === 'f') s = typeof a === 'number' ? a.toFixed(prec === undefined ? 6 : Number(prec)) : `%!f(${typeof a}=${goValue(a)})`;
    else if (verb === 'x') s = typeof a === 'number' ? a.toString(16) : [...new TextEncoder().encode(String(a))].map((b) => b.toString(16).padStart(2, '0')).join('');
    else s = goValue(a);
    if (verb === 's' && prec !== undefined) s = s.slice(0, Number(prec));
    const w = Number(width || 0);
    return flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') && verb !== 's' ? '0' : ' ');
  });
}

