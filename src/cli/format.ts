/** Numbers and times as docker prints them. */

/** "3 hours ago", as docker images prints CREATED. */
export function ago(iso: string | undefined, now = Date.now()): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return 'N/A';
  const s = Math.max(0, (now - t) / 1000);
  const steps: Array<[number, string]> = [[60, 'second'], [60, 'minute'], [24, 'hour'], [7, 'day'], [4.35, 'week'], [12, 'month'], [Infinity, 'year']];
  let v = s;
  for (const [size, unit] of steps) {
    if (v < size) {
      const n = Math.floor(v);
      return n <= 1 && unit === 'second' ? 'Less than a second ago' : `${n === 1 ? (unit === 'hour' ? 'An' : 'A') : n} ${unit}${n === 1 ? '' : 's'} ago`;
    }
    v /= size;
  }
  return 'N/A';
}

/** "5.2MB", as docker prints sizes (decimal units, three significant figures). */
export function dockerSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? n : +n.toPrecision(3)}${units[i]}`;
}

/** REPOSITORY and TAG of a ref, as docker images splits them ("<none>" for an image pulled by digest). */
export function repoAndTag(ref: string): [string, string] {
  const at = ref.indexOf('@');
  if (at >= 0) return [ref.slice(0, at), '<none>'];
  const i = ref.lastIndexOf(':');
  return i > ref.lastIndexOf('/') ? [ref.slice(0, i), ref.slice(i + 1)] : [ref, 'latest'];
}
