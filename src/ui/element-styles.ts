/**
 * The element's look, inside its shadow root (a docs site's CSS does not
 * reach in, and this does not leak out). Colours come from two palettes
 * (palettes.ts) whose text colours meet WCAG AA against their backgrounds
 * (checked in test/unit/ui-themes.test.ts). Nothing is wider than the
 * element: wide tables and the terminal scroll sideways inside their own
 * boxes.
 */
import xtermCss from '@xterm/xterm/css/xterm.css?inline';
import { MAP_CSS } from './map/map-styles.ts';
import { DARK, LIGHT, type Palette } from './palettes.ts';
import { DARK_THEME, LIGHT_THEME } from './terminal-themes.ts';

export { DARK, LIGHT, type Palette } from './palettes.ts';

const vars = (p: Palette) => Object.entries(p).map(([k, v]) => `--pp-${k}: ${v};`).join(' ');

export const ELEMENT_CSS = `
${xtermCss}
:host { display: block; max-width: 100%; font-family: system-ui, sans-serif; }
:host([hidden]) { display: none; }
.pp { ${vars(LIGHT)} --pp-term: ${LIGHT_THEME.background}; background: var(--pp-background); color: var(--pp-text); border: 1px solid var(--pp-border); border-radius: 6px; padding: 0.5rem; box-sizing: border-box; max-width: 100%; overflow: hidden; }
.pp.dark { ${vars(DARK)} --pp-term: ${DARK_THEME.background}; }
.bar { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; justify-content: space-between; }
.bar p { margin: 0.25rem 0; }
.controls { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.status.error, .notice.error { color: var(--pp-error); font-weight: 600; }
.muted, .hint { color: var(--pp-muted); font-size: 0.85rem; }
.hint { margin: 0.25rem 0; }
.badge { font-size: 0.8rem; color: var(--pp-muted); border: 1px solid var(--pp-border); border-radius: 999px; padding: 0 0.5rem; }
.notices { list-style: none; margin: 0.25rem 0; padding: 0; }
.notice { margin: 0.2rem 0; overflow-wrap: anywhere; }
.update { background: var(--pp-panel); border-left: 4px solid var(--pp-accent); padding: 0.3rem 0.5rem; margin: 0.25rem 0; }
a { color: var(--pp-accent); }
button, input, select { font: inherit; color: var(--pp-text); background: var(--pp-panel); border: 1px solid var(--pp-border); border-radius: 4px; padding: 0.2rem 0.5rem; max-width: 100%; box-sizing: border-box; }
button:disabled { opacity: 0.6; }
button:focus-visible, input:focus-visible, select:focus-visible, [tabindex]:focus-visible, a:focus-visible { outline: 3px solid var(--pp-focus); outline-offset: 2px; }
.terminal-box { border-radius: 4px; background: var(--pp-term); padding: 0.3rem; box-sizing: border-box; }
.terminal-box:focus-within { outline: 3px solid var(--pp-focus); outline-offset: 2px; }
.term-host { height: 100%; overflow-x: auto; overflow-y: hidden; }
/* xterm paints its viewport black; the rows leave a few pixels of it showing under the last one. */
.term-host .xterm-viewport { background-color: var(--pp-term) !important; }
h2 { font-size: 1rem; margin: 0.75rem 0 0.25rem; }
pre { background: var(--pp-panel); color: var(--pp-text); padding: 0.5rem; min-height: 2.5rem; overflow-x: auto; border-radius: 4px; margin: 0.25rem 0; }
.stderr { color: var(--pp-error); }
form { display: flex; gap: 0.5rem; align-items: end; flex-wrap: wrap; margin: 0.25rem 0; }
label { display: inline-flex; gap: 0.3rem; align-items: center; flex-wrap: wrap; max-width: 100%; }
input { min-width: 0; }
.drop-zone { border: 2px dashed var(--pp-border); border-radius: 6px; padding: 0.25rem 0.75rem; margin-bottom: 0.5rem; }
.drop-zone.over { border-color: var(--pp-accent); }
.table-scroll { overflow-x: auto; max-width: 100%; position: relative; }
.files-bar { display: flex; flex-wrap: wrap; gap: 0.4rem; margin-bottom: 0.4rem; }
label.button { border: 1px solid var(--pp-border); border-radius: 3px; padding: 0.1rem 0.4rem; cursor: pointer; font-size: 0.9rem; }
.files-body { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.files-tree { list-style: none; margin: 0; padding: 0.25rem; min-width: 10rem; flex: 0 1 14rem; max-height: 22rem; overflow: auto; border: 1px solid var(--pp-border); border-radius: 4px; font-family: ui-monospace, monospace; font-size: 0.85rem; }
.files-tree button { background: none; border: none; color: inherit; font: inherit; padding: 0.05rem 0.2rem; cursor: pointer; text-align: left; }
.files-tree button[aria-current] { background: var(--pp-border); border-radius: 3px; }
.files-tree .dir { color: var(--pp-muted); }
.files-editor { flex: 1 1 24rem; min-width: 0; display: flex; flex-direction: column; }
.editor-bar { display: flex; flex-wrap: wrap; gap: 0.5rem; justify-content: space-between; align-items: center; font-size: 0.85rem; margin-bottom: 0.25rem; }
.editor-host { height: 22rem; border: 1px solid var(--pp-border); border-radius: 4px; overflow: hidden; background: var(--pp-background); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.2rem 0.6rem 0.2rem 0; font-family: ui-monospace, monospace; font-size: 0.85rem; white-space: nowrap; }
td button { margin-right: 0.3rem; }
.visually-hidden { position: absolute; left: 0; top: 0; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
${MAP_CSS}
`;
