/**
 * What the metadata instructions do to the image config, and the history
 * entries BuildKit writes for every instruction (`created_by` in its words,
 * `comment: buildkit.dockerfile.v0`, `# buildkit` after RUN, COPY and ADD,
 * `empty_layer` for those that add no layer).
 */
import type { ImageConfig } from '../oci/index.ts';
import { PodplayError } from '../shared/index.ts';

export type HistoryEntry = NonNullable<ImageConfig['history']>[number];
export type RunConfig = NonNullable<ImageConfig['config']>;

export const HISTORY_COMMENT = 'buildkit.dockerfile.v0';

export function historyEntry(created: string, createdBy: string, emptyLayer: boolean): HistoryEntry {
  return { created, created_by: createdBy, comment: HISTORY_COMMENT, ...(emptyLayer ? { empty_layer: true } : {}) };
}

/** Go's `%q` of a []string: `["/bin/sh" "-c" "x"]`. */
export function goQuoteList(list: readonly string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;
}

/** Sets `name=value` in an Env list, in place of an earlier value. */
export function setEnv(env: readonly string[], name: string, value: string): string[] {
  const entry = `${name}=${value}`;
  const i = env.findIndex((kv) => kv.split('=')[0] === name);
  if (i < 0) return [...env, entry];
  const copy = [...env];
  copy[i] = entry;
  return copy;
}

/** An Env list as a map (later entries win). */
export function envMap(env: readonly string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  for (const kv of env) {
    const i = kv.indexOf('=');
    if (i > 0) out.set(kv.slice(0, i), kv.slice(i + 1));
  }
  return out;
}

/** EXPOSE's words as config keys (`8080` → `8080/tcp`), checked as Docker checks them. */
export function exposedPorts(words: readonly string[]): string[] {
  return words.map((w) => {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(w);
    if (!m) throw new PodplayError('BuildInvalid', `invalid containerPort: ${w.split('/')[0]}`);
    const proto = (m[3] ?? 'tcp').toLowerCase();
    if (m[2]) {
      const out: string[] = [];
      for (let p = Number(m[1]); p <= Number(m[2]); p++) out.push(`${p}/${proto}`);
      return out.join(' ');
    }
    return `${m[1]}/${proto}`;
  }).flatMap((s) => s.split(' '));
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go duration (`30s`, `1m30s`) in nanoseconds. */
export function parseGoDuration(text: string, flag: string): number {
  let rest = text;
  let ns = 0;
  if (rest === '0') return 0;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) throw new PodplayError('BuildInvalid', `time: invalid duration "${text}" for --${flag}`);
    ns += Number(m[1]) * UNIT_NS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return Math.round(ns);
}

/** A duration in nanoseconds as Go prints it (`30s`, `1m30s`, `0s`). */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  let s = ns / 1e9;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${Number(s.toFixed(9))}s`;
}

/** HEALTHCHECK's config and its history text. */
export function healthcheck(flags: Map<string, string[]>, test: string[]): { config: NonNullable<RunConfig['Healthcheck']>; text: string } {
  const d = (name: string) => (flags.get(name)?.[0] !== undefined ? parseGoDuration(flags.get(name)![0]!, name) : 0);
  const retries = flags.get('retries')?.[0];
  if (retries !== undefined && !/^\d+$/.test(retries)) throw new PodplayError('BuildInvalid', `strconv.ParseInt: parsing "${retries}": invalid syntax`);
  const config = { Test: test, Interval: d('interval'), Timeout: d('timeout'), StartPeriod: d('start-period'), StartInterval: d('start-interval'), Retries: Number(retries ?? 0) };
  if (test[0] === 'NONE') return { config: { Test: ['NONE'] }, text: `HEALTHCHECK {Test:[NONE] Interval:0s Timeout:0s StartPeriod:0s StartInterval:0s Retries:0}` };
  const text = `HEALTHCHECK {Test:[${test.join(' ')}] Interval:${goDuration(config.Interval)} Timeout:${goDuration(config.Timeout)} StartPeriod:${goDuration(config.StartPeriod)} StartInterval:${goDuration(config.StartInterval)} Retries:${config.Retries}}`;
  const trimmed: NonNullable<RunConfig['Healthcheck']> = { Test: test };
  for (const k of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries'] as const) if (config[k]) trimmed[k] = config[k];
  return { config: trimmed, text };
}
