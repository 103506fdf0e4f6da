/**
 * The Score section of `podplay explain pod`: one row per feasible node,
 * best first, with each Score plugin's weighted score (its score normalized
 * to 0-100, times the plugin's weight) under a short header, the TOTAL the
 * scheduler compared, and the selected node marked `*` (as `kubectl config
 * get-contexts` marks the current context). A legend names each header's
 * upstream plugin and weight. `-o wide` lists each node's plugins instead,
 * with the raw score, the normalized score, the weight and their product.
 */
import { DEFAULT_PLUGINS, type Explanation, type Pod } from '../../sandbox/index.ts';
import { NBSP, byName, section } from './common.ts';

/** Short headers for the in-tree Score plugins; another plugin is headed by its name in capitals. */
const HEADERS: Record<string, string> = {
  TaintToleration: 'TAINT',
  NodeAffinity: 'AFFINITY',
  NodeResourcesFit: 'FIT',
  PodTopologySpread: 'SPREAD',
  InterPodAffinity: 'INTERPOD',
  NodeResourcesBalancedAllocation: 'BALANCED',
  ImageLocality: 'IMAGE',
};

/** Whether a node passed every filter run on it (a row of the filter annotation). */
export const passed = (filters: Record<string, string>) => Object.keys(filters).length > 0 && Object.values(filters).every((v) => v === 'passed');

const headerOf = (plugin: string) => HEADERS[plugin] ?? plugin.toUpperCase();

/**
 * A plugin's weight: weighted over normalized where a node scored above 0,
 * else (every node 0, so the weight changed nothing) the default profile's.
 */
function weightOf(ex: Explanation, plugin: string, nodes: readonly string[]): string {
  for (const n of nodes) {
    const s = ex.nodes[n]!.scores[plugin];
    if (s && s.normalized) return String(s.weighted / s.normalized);
  }
  const w = DEFAULT_PLUGINS.find((p) => p.name === plugin)?.weight;
  return w === undefined ? '?' : String(w);
}

/** The Score section: the table, or why nothing was scored. */
export function scoreSection(pod: Pod, ex: Explanation, wide: boolean): string {
  const title = 'Score: each Score plugin rates each feasible node 0-100, times its weight; the highest TOTAL wins.';
  // Only the nodes that passed this attempt's filters: scores of an earlier attempt may linger.
  const feasible = Object.keys(ex.nodes).filter((n) => passed(ex.nodes[n]!.filters));
  const scored = feasible.filter((n) => ex.nodes[n]!.total !== undefined);
  if (feasible.length === 0) return section(title, [], ['No node passed the filters, so none was scored.']);
  if (feasible.length === 1 || scored.length < 2) {
    const only = feasible[0]!;
    return section(title, [], [`Only ${only} passed the filters, so it was chosen without scoring (kube-scheduler scores only when there is a choice).`]);
  }
  const total = (n: string) => ex.nodes[n]!.total!;
  const selected = ex.selectedNode ?? pod.spec.nodeName;
  // Best first; among equals the selected node, then by name.
  scored.sort((a, b) => total(b) - total(a) || Number(b === selected) - Number(a === selected) || byName(a, b));
  const plugins = [...new Set(scored.flatMap((n) => Object.keys(ex.nodes[n]!.scores)))];
  const mark = (n: string) => (n === selected ? '*' : '');
  const rows: string[][] = [];
  const notes: string[] = [];
  if (wide) {
    rows.push(['SELECTED', 'NODE', 'PLUGIN', 'RAW', 'NORMALIZED', 'WEIGHT', 'SCORE']);
    for (const n of scored) {
      for (const [i, p] of plugins.entries()) {
        const s = ex.nodes[n]!.scores[p];
        rows.push([i === 0 ? mark(n) : '', i === 0 ? n : '', p, String(s?.raw ?? ''), String(s?.normalized ?? ''), weightOf(ex, p, scored), String(s?.weighted ?? '')]);
      }
      rows.push(['', '', 'TOTAL', '', '', '', String(total(n))]);
    }
  } else {
    rows.push(['SELECTED', 'NODE', ...plugins.map(headerOf), 'TOTAL']);
    for (const n of scored) rows.push([mark(n), n, ...plugins.map((p) => String(ex.nodes[n]!.scores[p]?.weighted ?? '')), String(total(n))]);
    notes.push(`${plugins.map((p) => `${headerOf(p)}: ${p} (weight ${weightOf(ex, p, scored)})`.replaceAll(' ', NBSP)).join(', ')}.`);
  }
  const best = scored.filter((n) => total(n) === total(scored[0]!));
  if (best.length > 1) notes.push(`Tied at ${total(scored[0]!)}: ${best.join(', ')}; the scheduler picks one of the best at random.`);
  const skipped = Object.entries(ex.preScore).filter(([, v]) => v === 'skip').map(([p]) => p);
  if (skipped.length) notes.push(`Not run (PreScore said Skip, nothing to rate for this pod): ${skipped.join(', ')}.`);
  if (!wide) notes.push('Raw and normalized scores: -o wide.');
  return section(title, rows, notes);
}
