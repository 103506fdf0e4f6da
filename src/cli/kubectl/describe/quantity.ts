/**
 * Resource quantities as kubectl prints them (apimachinery resource.Quantity):
 * exact values (in nano-units, as Quantity rounds to), sums that keep the
 * first addend's format, and String()'s canonical form: `1500m` for `1.5`,
 * `1Gi` for `1024Mi`, `1k` for `1000`, `0` for nothing.
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in nano-units (1e-9 of the base unit), rounded up. */
  nano: bigint;
  format: QuantityFormat;
}

const NANO = 1_000_000_000n;
export const ZERO: Quantity = { nano: 0n, format: 'DecimalSI' };

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const FORM = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

const pow = (b: bigint, e: number) => b ** BigInt(e);

/** Division rounding away from zero (inf.RoundUp), as Quantity rounds below nano precision. */
function divUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d === n ? q : n < 0n ? q - 1n : q + 1n;
}

/** A quantity from its string (or a number), or undefined when it is not one. */
export function parseQuantity(input: string | number | undefined): Quantity | undefined {
  if (input === undefined) return undefined;
  const m = String(input).trim().match(FORM);
  if (!m || (!m[2] && !m[3])) return undefined;
  const [, sign, int = '', frac = '', suffix = ''] = m;
  let digits = BigInt((int + frac) || '0');
  let exp10 = -frac.length + 9;
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in BINARY) {
    format = 'BinarySI';
    digits *= pow(1024n, BINARY[suffix]!);
  } else if (/^[eE]/.test(suffix)) {
    format = 'DecimalExponent';
    exp10 += Number(suffix.slice(1));
  } else exp10 += DECIMAL[suffix]!;
  let nano = exp10 >= 0 ? digits * pow(10n, exp10) : divUp(digits, pow(10n, -exp10));
  if (sign === '-') nano = -nano;
  return { nano, format };
}

/** Quantity.Add: the sum keeps the format of the first addend, unless that one is zero. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano + b.nano, format: a.nano === 0n ? b.format : a.format };
}

export function cmpQuantity(a: Quantity, b: Quantity): number {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0;
}

/** MilliValue (rounded up). */
export function milliValue(q: Quantity): number {
  return Number(divUp(q.nano, 1_000_000n));
}

/** Value (rounded up). */
export function wholeValue(q: Quantity): number {
  return Number(divUp(q.nano, NANO));
}

const DECIMAL_SUFFIX = new Map(Object.entries(DECIMAL).map(([s, e]) => [e, s]));
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** Quantity.String(): the canonical form. */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const abs = q.nano < 0n ? -q.nano : q.nano;
    // Small or fractional binary quantities are shown in decimal, not rounded.
    if (abs < 1024n * NANO || q.nano % NANO !== 0n) format = 'DecimalSI';
    else {
      let n = q.nano / NANO;
      let e = 0;
      while (e < 6 && n % 1024n === 0n) {
        n /= 1024n;
        e++;
      }
      return `${n}${BINARY_SUFFIX[e]}`;
    }
  }
  // AsCanonicalBytes: drop trailing zeros, then bring the exponent down to a multiple of 3.
  let n = q.nano;
  let e = -9;
  while (n % 10n === 0n) {
    n /= 10n;
    e++;
  }
  const r = ((e % 3) + 3) % 3;
  n *= pow(10n, r);
  e -= r;
  if (format === 'DecimalExponent') return e === 0 ? `${n}` : `${n}e${e}`;
  const suffix = DECIMAL_SUFFIX.get(e);
  return suffix === undefined ? `${n}e${e}` : `${n}${suffix}`;
}

/** A quantity string in canonical form; text that is no quantity is shown as it is. */
export function canonicalQuantity(text: string | number): string {
  const q = parseQuantity(text);
  return q ? formatQuantity(q) : String(text);
}

export type Resources = Map<string, Quantity>;

/** A ResourceList parsed (entries that are not quantities are left out). */
export function resourcesOf(list: Record<string, string> | undefined): Resources {
  const out: Resources = new Map();
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = parseQuantity(v);
    if (q) out.set(k, q);
  }
  return out;
}

/** addResourceList: `into` gains each of `add`'s resources. */
export function addResources(into: Resources, add: Resources): void {
  for (const [k, q] of add) into.set(k, into.has(k) ? addQuantity(into.get(k)!, q) : q);
}

/** maxResourceList: `into` keeps the greater of each resource. */
export function maxResources(into: Resources, other: Resources): void {
  for (const [k, q] of other) if (!into.has(k) || cmpQuantity(q, into.get(k)!) > 0) into.set(k, q);
}
