/** The lesson element's styles: the step panel beside the sandbox, stacked on narrow screens. */
export const LESSON_CSS = `
:host { display: block; font-family: system-ui, sans-serif; color-scheme: light dark; }
.layout { display: grid; grid-template-columns: minmax(18rem, 2fr) 3fr; gap: 1rem; align-items: start; }
@media (max-width: 56rem) { .layout { grid-template-columns: 1fr; } }
.panel { max-height: calc(100vh - 2rem); overflow: auto; position: sticky; top: 1rem; }
@media (max-width: 56rem) { .panel { max-height: none; position: static; } }
.course { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: baseline; justify-content: space-between; }
.course-title { font-weight: 600; }
.problems { color: #b3261e; font-family: ui-monospace, monospace; font-size: 0.85rem; padding-left: 1.2rem; }
h1 { font-size: 1.4rem; margin: 0.6rem 0 0.2rem; }
.minutes { margin: 0; opacity: 0.75; font-size: 0.9rem; }
.step { border-left: 3px solid #9aa0a6; padding: 0.1rem 0 0.4rem 0.8rem; margin: 1rem 0; }
.step[data-state=current] { border-left-color: #0451a5; }
.step[data-state=done] { border-left-color: #0f7a3d; }
.step h2 { font-size: 1.1rem; margin: 0.3rem 0; }
.step[data-state=done] .mark::before { content: '✓ '; color: #0f7a3d; }
.state { font-weight: normal; font-size: 0.85rem; opacity: 0.75; }
pre { overflow-x: auto; padding: 0.5rem; background: color-mix(in srgb, currentColor 7%, transparent); border-radius: 4px; margin-bottom: 0.2rem; }
.code-actions { display: flex; gap: 0.4rem; margin-bottom: 0.6rem; }
button { font: inherit; font-size: 0.85rem; padding: 0.15rem 0.6rem; cursor: pointer; }
.seen { font-size: 0.85rem; opacity: 0.8; }
.actions { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 1rem 0; }
`;
