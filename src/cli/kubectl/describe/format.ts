/**
 * The small printers describe.go shares: multi-line labels, annotations,
 * taints and tolerations; label selectors and label sets in their string
 * forms; RFC 1123 times; `<none>` and `True`/`False`.
 */
import { LAST_APPLIED, type LabelSelector, type Taint, type Toleration } from '../../../api/index.ts';
import { LEVEL_0, type PrefixWriter } from './writer.ts';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * time.RFC1123Z (`Fri, 27 Nov 2026 12:00:00 +0000`), in UTC. A missing
 * time is Go's zero time, as kubectl prints an unset metav1.Time.
 */
export function rfc1123z(ts: string | undefined | null): string {
  const t = ts ? Date.parse(ts) : NaN;
  if (Number.isNaN(t)) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(t);
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${time} +0000`;
}

export const printBool = (b: boolean | undefined) => (b ? 'True' : 'False');
export const stringOrNone = (s: string | undefined) => (s ? s : '<none>');

/** Go's %v of a scalar: `<nil>` for null, `true`/`false`, numbers and strings as they are. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  return String(v);
}

/** printLabelsMultilineWithIndent: `Labels: a=b` then one `key=value` per line, sorted; `<none>` when empty. */
export function printLabelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | undefined, initialIndent = '', innerIndent = '\t'): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return w.line('<none>');
  keys.forEach((key, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, initialIndent);
      w.write(LEVEL_0, innerIndent);
    }
    w.write(LEVEL_0, `${key}=${labels![key]}\n`);
  });
}

const MAX_ANNOTATION_LEN = 140;
const utf8 = new TextEncoder();
const byteLength = (s: string) => utf8.encode(s).length;

function shorten(s: string, max: number): string {
  const bytes = utf8.encode(s);
  return bytes.length > max ? new TextDecoder().decode(bytes.slice(0, max)) + '...' : s;
}

/** printAnnotationsMultiline: long or multi-line values go on their own lines; the last-applied configuration is left out. */
export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => k !== LAST_APPLIED)
    .sort();
  if (keys.length === 0) return w.line('<none>');
  const indent = '\t';
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, indent);
    const value = String(annotations![key]).replace(/\n$/, '');
    if (byteLength(value) + byteLength(key) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${key}:\n`);
      for (const s of value.split('\n')) w.write(LEVEL_0, `${indent}  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else w.write(LEVEL_0, `${key}: ${value}\n`);
  });
}

/** Taint.ToString(): `key=value:Effect`, or `key:Effect`. */
export const taintString = (t: Taint) => (t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`);

/** printTaintsMultilineWithIndent: sorted by effect, then key. */
export function printTaintsMultiline(w: PrefixWriter, title: string, taints: Taint[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  if (!taints?.length) return w.line('<none>');
  const cmpKey = (t: Taint) => `${t.effect},${t.key}`;
  const sorted = [...taints].sort((a, b) => (cmpKey(a) < cmpKey(b) ? -1 : cmpKey(a) > cmpKey(b) ? 1 : 0));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    w.write(LEVEL_0, `${taintString(t)}\n`);
  });
}

/** printTolerationsMultilineWithIndent: sorted by key; `op=Exists` for the match-all form; `for 300s`. */
export function printTolerationsMultiline(w: PrefixWriter, title: string, tolerations: Toleration[] | undefined, initialIndent = ''): void {
  w.write(LEVEL_0, `${initialIndent}${title}:\t`);
  if (!tolerations?.length) return w.line('<none>');
  const sorted = [...tolerations].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  sorted.forEach((t, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, initialIndent);
      w.write(LEVEL_0, '\t');
    }
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(LEVEL_0, `${s}\n`);
  });
}

/** labels.FormatLabels: `a=b,c=d` sorted by key, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

/**
 * LabelSelectorAsSelector(s).String(): requirements sorted by key,
 * `k=v` for matchLabels, `k in (a,b)`, `k notin (a,b)`, `k`, `!k` for
 * matchExpressions. Empty (or absent) selects everything: ``.
 */
export function selectorString(selector: LabelSelector | undefined): string {
  const reqs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) reqs.push([k, `${k}=${v}`]);
  for (const e of selector?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text = e.operator === 'In' ? `${e.key} in (${values})` : e.operator === 'NotIn' ? `${e.key} notin (${values})` : e.operator === 'Exists' ? e.key : `!${e.key}`;
    reqs.push([e.key, text]);
  }
  return reqs
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, t]) => t)
    .join(',');
}

/** metav1.FormatLabelSelector: the selector string, `<none>` when it is empty. */
export const formatLabelSelector = (selector: LabelSelector | undefined) => selectorString(selector) || '<none>';

/** An int-or-string (maxSurge, targetPort) as IntOrString.String() prints it. */
export const intOrString = (v: number | string | undefined) => (v === undefined ? '0' : String(v));

/** The object's controller owner as `Kind/name` (printController), or ''. */
export function controllerOfText(meta: { ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> }): string {
  const ref = meta.ownerReferences?.find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}
