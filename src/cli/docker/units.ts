/**
 * Numbers, times and strings as the docker CLI prints them: docker/go-units
 * (HumanDuration, HumanSize, HumanSizeWithPrecision, RAMInBytes), Go's `%g`,
 * `strconv.Quote`, time.RFC3339Nano, and the formatter's Ellipsis and
 * TruncateID.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

/** go-units roundDuration: the nearest whole number of `unit`. */
const round = (ms: number, unit: number) => Math.trunc(ms / unit + 0.5);

/**
 * go-units HumanDuration (v0.5, as docker/cli vendors it): "Less than a
 * second", "1 second", "45 seconds", "About a minute", "3 minutes", "About
 * an hour", "2 hours", "3 days", "2 weeks", "5 months", "2 years".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = round(ms, HOUR);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (ms < 2 * WEEK) return `${round(ms, DAY)} days`;
  if (ms < 2 * MONTH) return `${round(ms, WEEK)} weeks`;
  if (ms < 2 * YEAR) return `${round(ms, MONTH)} months`;
  return `${round(ms, YEAR)} years`;
}

/** `units.HumanDuration(now - t) + " ago"`: docker's CREATED columns. */
export function since(t: number, now: number): string {
  return `${humanDuration(now - t)} ago`;
}

/** Go's `fmt.Sprintf("%.*g", precision, x)` for finite non-negative x. */
export function formatG(x: number, precision: number): string {
  if (x === 0) return '0';
  const [mantissa, expText] = x.toExponential(precision - 1).split('e') as [string, string];
  const exp = Number(expText);
  const trim = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  if (exp < -4 || exp >= precision) return `${trim(mantissa)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return trim(x.toFixed(Math.max(0, precision - 1 - exp)));
}

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** go-units HumanSizeWithPrecision: decimal units, `precision` significant digits ("1.7MB", "999B"). */
export function humanSizeWithPrecision(size: number, precision: number): string {
  let i = 0;
  while (size >= 1000 && i < DECIMAL_UNITS.length - 1) {
    size /= 1000;
    i++;
  }
  return `${formatG(size, precision)}${DECIMAL_UNITS[i]}`;
}

/** go-units HumanSize: four significant digits ("2.746MB"), as docker system df prints sizes. */
export function humanSize(size: number): string {
  return humanSizeWithPrecision(size, 4);
}

/**
 * go-units RAMInBytes: "64m", "1g", "512k", "100000" (binary units, the
 * `b` optional); undefined when it does not parse.
 */
export function ramInBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)*) ?([kmgtp])?i?b?$/i.exec(text);
  if (!m) return undefined;
  const mul = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Math.trunc(Number(m[1]) * mul);
}

/** Go's zero time.Time, as docker inspect prints a time that never happened. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** time.RFC3339Nano in UTC (fraction without trailing zeros), as Go marshals a time.Time. */
export function rfc3339Nano(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return ZERO_TIME;
  const iso = new Date(ms).toISOString(); // 2026-11-27T16:12:55.120Z
  const [base, frac] = iso.slice(0, -1).split('.') as [string, string];
  const digits = frac.replace(/0+$/, '');
  return `${base}${digits ? `.${digits}` : ''}Z`;
}

/** jsonmessage.RFC3339NanoFixed (nine fraction digits): `docker logs -t` timestamps. */
export function rfc3339NanoFixed(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000000Z`;
}

/** time.RFC3339 in UTC, whole seconds: `docker history --human=false`. */
export function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** formatter.Ellipsis: at most `max` characters, the last one an ellipsis when cut. */
export function ellipsis(s: string, max: number): string {
  const chars = [...s];
  if (max <= 0) return '';
  if (max === 1) return chars[0] ?? '';
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** stringid.TruncateID: the part after any `sha256:`, cut to 12 characters. */
export function truncateId(id: string): string {
  const colon = id.indexOf(':');
  return (colon >= 0 ? id.slice(colon + 1) : id).slice(0, 12);
}

const ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** Go's strconv.Quote for the text podplay shows (control characters as \xNN). */
export function goQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (ESCAPES[c]) out += ESCAPES[c];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

/**
 * JSON as Go's encoding/json writes it with MarshalIndent (docker inspect:
 * four spaces): `<`, `>`, `&`, U+2028 and U+2029 escaped as \u00XX.
 */
export function goJson(value: unknown, indent = '    '): string {
  return JSON.stringify(value, null, indent).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
