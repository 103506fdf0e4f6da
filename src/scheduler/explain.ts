/**
 * A scheduling attempt's working, written on the pod in
 * kube-scheduler-simulator's annotations (and the normalized scores in
 * podplay's own), so that the terminal and the cluster map can show why a
 * pod landed where it did: each extension point's outcome per plugin, each
 * node's filter verdicts, and each feasible node's raw, normalized and
 * weighted scores. readExplanation gives them back as one object.
 */
import type { Pod } from '../api/index.ts';
import type { NodeInfo } from './node-info.ts';
import type { Plugin } from './framework.ts';
import type { ScoreOutcome } from './runtime.ts';
import type { Status } from './status.ts';

const PREFIX = 'kube-scheduler-simulator.sigs.k8s.io/';
export const PREFILTER_RESULT_STATUS = `${PREFIX}prefilter-result-status`;
export const FILTER_RESULT = `${PREFIX}filter-result`;
export const POSTFILTER_RESULT = `${PREFIX}postfilter-result`;
export const PRESCORE_RESULT = `${PREFIX}prescore-result`;
export const SCORE_RESULT = `${PREFIX}score-result`;
export const FINAL_SCORE_RESULT = `${PREFIX}finalscore-result`;
export const SELECTED_NODE = `${PREFIX}selected-node`;
export const NORMALIZED_SCORE_RESULT = 'scheduler.podplay.dev/normalizedscore-result';

/** How the simulator words a plugin's outcome: `success`, `passed` for a filter, or the status message. */
const outcome = (s: Status, passed = 'success') => (s.isSuccess() ? passed : s.code === 'Skip' ? 'skip' : s.message() || s.code);

export interface CycleRecord {
  preFilter?: Map<string, Status>;
  /** The nodes filtered, in order, and the filters run on them. */
  filtered?: { nodes: readonly NodeInfo[]; filters: readonly Plugin[]; rejected: Map<string, Status> };
  postFilter?: { plugin: string; nominated?: string; message: string };
  score?: { nodes: readonly NodeInfo[]; outcome: ScoreOutcome };
  selected?: string;
}

/** The annotations of one attempt. */
export function explanationAnnotations(r: CycleRecord): Record<string, string> {
  const out: Record<string, string> = {};
  const json = (k: string, v: unknown) => (out[k] = JSON.stringify(v));
  if (r.preFilter) json(PREFILTER_RESULT_STATUS, Object.fromEntries([...r.preFilter].map(([p, s]) => [p, outcome(s)])));
  if (r.filtered) {
    const filter: Record<string, Record<string, string>> = {};
    for (const node of r.filtered.nodes) {
      const verdict = r.filtered.rejected.get(node.name);
      const row: Record<string, string> = (filter[node.name] = {});
      for (const f of r.filtered.filters) {
        if (verdict?.plugin === f.name) {
          row[f.name] = verdict.message();
          break;
        }
        row[f.name] = 'passed';
      }
    }
    json(FILTER_RESULT, filter);
  }
  if (r.postFilter) json(POSTFILTER_RESULT, r.postFilter.nominated ? { [r.postFilter.nominated]: { [r.postFilter.plugin]: 'preemption victims deleted' } } : {});
  if (r.score) {
    const { nodes, outcome: o } = r.score;
    json(PRESCORE_RESULT, Object.fromEntries([...o.preScore].map(([p, s]) => [p, outcome(s)])));
    const table = (pick: (d: ScoreOutcome['details'][number], i: number) => number) =>
      Object.fromEntries(nodes.map((n, i) => [n.name, Object.fromEntries(o.details.map((d) => [d.plugin, String(pick(d, i))]))]));
    json(SCORE_RESULT, table((d, i) => d.raw[i]!));
    json(NORMALIZED_SCORE_RESULT, table((d, i) => d.normalized[i]!));
    json(FINAL_SCORE_RESULT, table((d, i) => d.normalized[i]! * d.weight));
  }
  out[SELECTED_NODE] = r.selected ?? '';
  return out;
}

export interface NodeExplanation {
  /** Each filter's verdict: `passed` or the reason. */
  filters: Record<string, string>;
  scores: Record<string, { raw: number; normalized: number; weighted: number }>;
  total?: number;
}

export interface Explanation {
  selectedNode?: string;
  preFilter: Record<string, string>;
  preScore: Record<string, string>;
  nodes: Record<string, NodeExplanation>;
}

/** The last attempt's working, from a pod's annotations (undefined when there is none). */
export function readExplanation(pod: Pod): Explanation | undefined {
  const a = pod.metadata.annotations ?? {};
  if (a[SELECTED_NODE] === undefined && a[FILTER_RESULT] === undefined) return undefined;
  const parse = <T>(k: string): T => (a[k] ? JSON.parse(a[k]!) : {}) as T;
  const filter = parse<Record<string, Record<string, string>>>(FILTER_RESULT);
  const raw = parse<Record<string, Record<string, string>>>(SCORE_RESULT);
  const normalized = parse<Record<string, Record<string, string>>>(NORMALIZED_SCORE_RESULT);
  const final = parse<Record<string, Record<string, string>>>(FINAL_SCORE_RESULT);
  const nodes: Record<string, NodeExplanation> = {};
  for (const name of new Set([...Object.keys(filter), ...Object.keys(final)])) {
    const scores: NodeExplanation['scores'] = {};
    for (const [plugin, w] of Object.entries(final[name] ?? {})) scores[plugin] = { raw: Number(raw[name]?.[plugin]), normalized: Number(normalized[name]?.[plugin]), weighted: Number(w) };
    const weighted = Object.values(scores).map((s) => s.weighted);
    nodes[name] = { filters: filter[name] ?? {}, scores, ...(weighted.length ? { total: weighted.reduce((x, y) => x + y, 0) } : {}) };
  }
  return { selectedNode: a[SELECTED_NODE] || undefined, preFilter: parse(PREFILTER_RESULT_STATUS), preScore: parse(PRESCORE_RESULT), nodes };
}
