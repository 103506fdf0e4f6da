/**
 * "Why here?": a pod's last scheduling attempt drawn from its explanation
 * (the scheduler's filter verdicts and scores, recorded on the pod): one row
 * per node with each Filter plugin's verdict (the one that rejected the node
 * in red), for feasible nodes each Score plugin's weighted score as a
 * stacked bar beside the final score, the chosen node highlighted; and for a
 * Pending pod, the FailedScheduling message and what preemption found.
 * The same data as text: `podplay explain pod NAME`.
 */
import type { Explanation } from '../../sandbox/index.ts';
import type { MapPod } from './model.ts';

/** One colour per score plugin, in the order plugins are first met (distinguishable in both themes). */
const PLUGIN_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
};

const round = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The FailedScheduling message split into what the filters said and what preemption found. */
export function splitFitError(message: string | undefined): { filters?: string; preemption?: string } {
  if (!message) return {};
  const at = message.indexOf(' preemption: ');
  return at < 0 ? { filters: message } : { filters: message.slice(0, at), preemption: message.slice(at + ' preemption: '.length) };
}

/** The explanation of `pod` as a DOM fragment (a note when there is none). */
export function renderExplanation(pod: MapPod, explanation: Explanation | undefined): HTMLElement {
  const root = el('div', { class: 'explain', 'data-testid': 'explain' });
  const fit = splitFitError(pod.message);
  if (pod.node) {
    root.append(el('p', { class: 'explain-summary' }, 'Bound to ', el('strong', {}, pod.node), explanation?.selectedNode === pod.node ? ': the feasible node with the highest final score.' : '.'));
  } else {
    root.append(el('p', { class: 'explain-summary rejected' }, fit.filters ?? 'Waiting for the scheduler.'));
    if (fit.preemption) root.append(el('p', { class: 'explain-preemption' }, el('strong', {}, 'Preemption: '), fit.preemption));
    if (pod.nominatedNode) root.append(el('p', {}, `Nominated node: ${pod.nominatedNode} (room is being made by preemption).`));
  }
  if (!explanation) {
    root.append(el('p', { class: 'muted' }, pod.node ? 'The scheduler left no record for this pod (it was bound by hand, with spec.nodeName, or before podplay recorded attempts).' : 'No attempt recorded yet.'));
    return root;
  }
  // A PreFilter that rejects the pod rejects it before any node is looked at.
  const preFilter = Object.entries(explanation.preFilter).filter(([, v]) => v !== 'success' && v !== 'skip');
  for (const [plugin, verdict] of preFilter) root.append(el('p', { class: 'explain-summary rejected' }, `PreFilter ${plugin}: ${verdict}`));
  const nodes = Object.entries(explanation.nodes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Only nodes that passed this attempt's filters were scored by it (scores of an earlier attempt may remain on the pod).
  const passed = (n: (typeof nodes)[number][1]) => Object.values(n.filters).every((v) => v === 'passed') && n.total !== undefined;
  const scored = nodes.filter(([, n]) => passed(n));
  const plugins = [...new Set(scored.flatMap(([, n]) => Object.keys(n.scores)))];
  const colour = (p: string) => PLUGIN_COLOURS[plugins.indexOf(p) % PLUGIN_COLOURS.length]!;
  const best = Math.max(1, ...scored.map(([, n]) => n.total ?? 0));

  const body = el('tbody');
  for (const [name, n] of nodes) {
    const verdicts = Object.entries(n.filters);
    const rejectedBy = verdicts.find(([, v]) => v !== 'passed');
    const chosen = explanation.selectedNode === name;
    const row = el('tr', { 'data-explain-node': name, class: chosen ? 'chosen' : rejectedBy ? 'rejected' : 'feasible' });
    row.append(el('th', { scope: 'row' }, name, chosen ? el('span', { class: 'chosen-mark' }, ' ✓ chosen') : ''));
    const list = el('ul', { class: 'verdicts' });
    for (const [plugin, verdict] of verdicts) {
      const pass = verdict === 'passed';
      list.append(el('li', { class: pass ? 'pass' : 'reject', 'data-plugin': plugin }, pass ? `${plugin} ✓` : `${plugin}: ${verdict}`));
    }
    if (!verdicts.length) list.append(el('li', { class: 'muted' }, 'not filtered'));
    row.append(el('td', {}, list));
    const scoreCell = el('td');
    if (passed(n)) {
      const bar = el('div', { class: 'stack', role: 'img' });
      const words: string[] = [];
      for (const p of plugins) {
        const s = n.scores[p];
        if (!s) continue;
        words.push(`${p} ${round(s.weighted)}`);
        if (s.weighted <= 0) continue;
        bar.append(el('span', { class: 'segment', style: `width:${(s.weighted / best) * 100}%;background:${colour(p)}`, title: `${p}: raw ${round(s.raw)}, normalized ${round(s.normalized)}, weighted ${round(s.weighted)}` }));
      }
      bar.setAttribute('aria-label', `scores on ${name}: ${words.join(', ')}`);
      scoreCell.append(bar);
    } else scoreCell.append(el('span', { class: 'muted' }, rejectedBy ? 'filtered out' : '—'));
    row.append(scoreCell, el('td', { class: 'total' }, passed(n) ? round(n.total!) : ''));
    body.append(row);
  }
  const table = el('table', { class: 'explain-table' }, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Node'), el('th', { scope: 'col' }, 'Filter verdicts'), el('th', { scope: 'col' }, 'Scores (weighted)'), el('th', { scope: 'col' }, 'Final'))), body);
  root.append(el('div', { class: 'table-scroll' }, table));

  if (plugins.length) {
    const legend = el('ul', { class: 'legend', 'aria-label': 'Score plugins' });
    for (const p of plugins) legend.append(el('li', {}, el('span', { class: 'swatch', style: `background:${colour(p)}` }), p));
    root.append(legend);
    const full = el('tbody');
    for (const [name, n] of scored) {
      for (const p of plugins) {
        const s = n.scores[p];
        if (!s) continue;
        const weight = s.normalized ? s.weighted / s.normalized : undefined;
        full.append(el('tr', {}, el('td', {}, name), el('td', {}, p), el('td', {}, round(s.raw)), el('td', {}, round(s.normalized)), el('td', {}, weight === undefined ? '—' : round(weight)), el('td', {}, round(s.weighted))));
      }
    }
    const head = el('tr', {}, ...['Node', 'Plugin', 'Raw', 'Normalized', 'Weight', 'Weighted'].map((h) => el('th', { scope: 'col' }, h)));
    root.append(el('details', {}, el('summary', {}, 'Scores in full: raw, normalized (0–100), weight, weighted'), el('div', { class: 'table-scroll' }, el('table', {}, el('thead', {}, head), full))));
  }
  return root;
}
