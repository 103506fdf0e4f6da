/** Numbers and times as docker prints them, for the faces outside the docker commands (the page's images table, `podplay images`). */
import { humanDuration, humanSizeWithPrecision } from './docker/units.ts';

/** "3 hours ago", "About an hour ago": docker images' CREATED (go-units HumanDuration + " ago"). */
export function ago(iso: string | undefined, now = Date.now()): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return 'N/A';
  return `${humanDuration(Math.max(0, now - t))} ago`;
}

/** "5.23MB", as docker prints sizes (decimal units, three significant figures). */
export function dockerSize(n: number): string {
  return humanSizeWithPrecision(n, 3);
}

/** REPOSITORY and TAG of a ref, as docker images splits them ("<none>" for an image pulled by digest). */
export function repoAndTag(ref: string): [string, string] {
  const at = ref.indexOf('@');
  if (at >= 0) return [ref.slice(0, at), '<none>'];
  const i = ref.lastIndexOf(':');
  return i > ref.lastIndexOf('/') ? [ref.slice(0, i), ref.slice(i + 1)] : [ref, 'latest'];
}
