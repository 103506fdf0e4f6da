/**
 * The cluster map's look (inside the element's shadow root, with its
 * palette variables). Chip colours follow the STATUS families; each keeps
 * white text at 4.5:1 or better, in both themes. An owner's colour is the
 * chip's left stripe.
 */
export const TONES: Record<string, string> = {
  running: '#1e7a34',
  waiting: '#8a5b00',
  failing: '#b3261e',
  failed: '#8e1b4f',
  done: '#5a606b',
  terminating: '#6146b0',
  unknown: '#3f3f46',
};

const tones = Object.entries(TONES)
  .map(([tone, colour]) => `.chip[data-tone='${tone}'] { background: ${colour}; }`)
  .join('\n');

export const MAP_CSS = `
.map-section [hidden] { display: none !important; }
.map-bar { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.25rem 0; }
.map-mode { font-weight: 600; }
.map-mode.past { color: var(--pp-error); }
.workloads { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; list-style: none; padding: 0; margin: 0.25rem 0; font-size: 0.85rem; }
.workloads li { display: inline-flex; gap: 0.3rem; align-items: center; }
.workloads button { padding: 0 0.45rem; }
.map-canvas { display: flex; flex-direction: column; gap: 0.5rem; }
.map-canvas h3 { font-size: 0.9rem; margin: 0.2rem 0; }
.pending-lane { border: 1px dashed var(--pp-border); border-radius: 6px; padding: 0.25rem 0.5rem; }
.pending-lane .count { color: var(--pp-muted); font-weight: normal; }
.map-zones { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-start; }
.zone { contain: layout style; flex: 1 1 15rem; min-width: 0; background: var(--pp-panel); border-radius: 6px; padding: 0.25rem 0.4rem 0.4rem; }
.zone-nodes { display: flex; flex-direction: column; gap: 0.4rem; }
.node { contain: layout style; border: 1px solid var(--pp-border); border-radius: 6px; padding: 0.3rem 0.4rem; background: var(--pp-background); transition: opacity 0.3s, filter 0.3s; }
.node.down { opacity: 0.55; filter: grayscale(1); border-style: dashed; }
.node.cordoned { border-style: dotted; }
.node-head { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: baseline; }
.node-head h4 { margin: 0; font-size: 0.9rem; font-family: ui-monospace, monospace; }
.node-status { font-size: 0.8rem; color: var(--pp-muted); }
.node.down .node-status, .node-worker { color: var(--pp-error); font-size: 0.8rem; font-weight: 600; }
.taints { list-style: none; padding: 0; margin: 0.15rem 0; display: flex; flex-wrap: wrap; gap: 0.25rem; }
.taint { font-family: ui-monospace, monospace; font-size: 0.75rem; border: 1px solid var(--pp-border); border-radius: 3px; padding: 0 0.25rem; }
.taint button { border: 0; background: none; padding: 0 0.2rem; }
.res { display: grid; grid-template-columns: 2.2rem 1fr auto; gap: 0.3rem; align-items: center; font-size: 0.75rem; }
.res-name, .res-text { color: var(--pp-muted); font-family: ui-monospace, monospace; }
.res-bar { position: relative; height: 0.7rem; background: var(--pp-panel); border: 1px solid var(--pp-border); border-radius: 3px; overflow: hidden; }
.res-bar .req { position: absolute; left: 0; top: 0; height: 65%; background: var(--pp-accent); }
.res-bar .req.full { background: var(--pp-error); }
.res-bar .use { position: absolute; left: 0; bottom: 0; height: 35%; background: var(--pp-muted); }
.pod-list { list-style: none; padding: 0; margin: 0.25rem 0; display: flex; flex-wrap: wrap; gap: 0.25rem; min-height: 1.4rem; }
.pending-list { flex-direction: column; }
.chip-item { display: inline-flex; gap: 0.4rem; align-items: baseline; max-width: 100%; }
.chip { color: #fff; border: 0; border-left: 5px solid var(--owner, transparent); border-radius: 4px; padding: 0.05rem 0.35rem; font-family: ui-monospace, monospace; font-size: 0.75rem; max-width: 16rem; display: inline-flex; gap: 0.3rem; cursor: pointer; }
.chip-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chip-restarts:empty, .chip-status:empty { display: none; }
.chip-status { font-weight: 600; }
.map-legend .swatch { width: 0.6rem; height: 0.6rem; }
.map-legend .legend-owner .swatch { width: 0.3rem; height: 0.8rem; border-radius: 1px; }
.map-section[data-motion='off'] .node { transition: none; }
${tones}
.chip[data-tone='terminating'], .chip[data-tone='unknown'] { outline: 1px dashed #fff; outline-offset: -3px; }
.reason { display: none; font-size: 0.8rem; color: var(--pp-error); overflow-wrap: anywhere; }
.pending-list .reason { display: inline; }
.node-actions { font-size: 0.8rem; margin-top: 0.2rem; }
.node-actions[open] { display: flex; flex-wrap: wrap; gap: 0.3rem; align-items: center; }
.node-actions summary { cursor: pointer; color: var(--pp-accent); }
.node-actions[open] summary { flex-basis: 100%; }
.node-actions form { margin: 0; gap: 0.25rem; }
.map-legend { display: flex; flex-wrap: wrap; gap: 0.25rem 0.6rem; list-style: none; padding: 0; margin: 0.25rem 0; font-size: 0.75rem; }
dialog.pod-dialog { max-width: min(56rem, 95vw); width: 100%; color: var(--pp-text); background: var(--pp-background); border: 1px solid var(--pp-border); border-radius: 6px; }
dialog.pod-dialog::backdrop { background: rgb(0 0 0 / 0.35); }
.dialog-head { display: flex; gap: 0.5rem; align-items: baseline; justify-content: space-between; flex-wrap: wrap; }
.dialog-head h3 { margin: 0; font-family: ui-monospace, monospace; font-size: 1rem; overflow-wrap: anywhere; }
.dialog-actions { display: flex; gap: 0.4rem; flex-wrap: wrap; margin: 0.4rem 0; }
.explain-table td, .explain-table th { vertical-align: top; white-space: normal; }
.explain-table tr.chosen { background: color-mix(in srgb, var(--pp-accent) 14%, transparent); }
.explain-table tr.rejected th { color: var(--pp-error); }
.verdicts { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 0.2rem; }
.verdicts li { font-size: 0.75rem; border-radius: 3px; padding: 0 0.25rem; border: 1px solid var(--pp-border); }
.verdicts li.reject { color: var(--pp-error); border-color: var(--pp-error); font-weight: 600; }
.stack { display: flex; width: 12rem; max-width: 100%; height: 0.9rem; background: var(--pp-panel); border-radius: 3px; overflow: hidden; }
.stack .segment { display: block; height: 100%; }
.explain .legend { display: flex; flex-wrap: wrap; gap: 0.2rem 0.7rem; list-style: none; padding: 0; font-size: 0.75rem; }
.swatch { display: inline-block; width: 0.7rem; height: 0.7rem; margin-right: 0.25rem; border-radius: 2px; vertical-align: middle; }
.explain .rejected, .explain-preemption { color: var(--pp-error); }
.timeline h3, .pod-dialog h4 { font-size: 0.9rem; margin: 0.3rem 0; }
.timeline { border-top: 1px solid var(--pp-border); margin-top: 0.5rem; padding-top: 0.25rem; }
.timeline-bar { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }
.timeline-bar input[type=range] { flex: 1 1 12rem; }
.timeline-note { margin: 0.2rem 0; color: var(--pp-muted); font-size: 0.85rem; }
.timeline-note.error { color: var(--pp-error); }
.timeline-events { contain: strict; height: 9rem; position: relative; list-style: none; padding: 0; margin: 0.25rem 0; max-height: 9rem; overflow-y: auto; font-family: ui-monospace, monospace; font-size: 0.75rem; }
.timeline-events li { white-space: nowrap; }
.timeline-events button { all: unset; box-sizing: border-box; display: block; width: 100%; padding: 0 0.25rem; cursor: pointer; white-space: pre; overflow: hidden; text-overflow: ellipsis; }
.timeline-events button:focus-visible { outline: 2px solid var(--pp-focus); outline-offset: -2px; }
.timeline-events li.current { background: color-mix(in srgb, var(--pp-accent) 20%, transparent); }
.timeline-events li.future { opacity: 0.5; }
`;
