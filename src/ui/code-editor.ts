/**
 * The files panel's editor: CodeMirror 6 with line numbers, history,
 * the default keymap (Ctrl-S saves) and highlighting picked by file name
 * (Dockerfile, YAML, Go, shell). The only user of CodeMirror; loaded when
 * the panel first opens a file.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { StreamLanguage, defaultHighlightStyle, syntaxHighlighting, type LanguageSupport } from '@codemirror/language';
import { go } from '@codemirror/lang-go';
import { yaml } from '@codemirror/lang-yaml';
import { dockerFile } from '@codemirror/legacy-modes/mode/dockerfile';
import { shell } from '@codemirror/legacy-modes/mode/shell';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine } from '@codemirror/view';

/** The language a file's name says it is in. */
export function languageOf(path: string): { name: string; extension: Extension | LanguageSupport | [] } {
  const base = path.split('/').pop() ?? path;
  if (/^(Dockerfile|Containerfile)(\..*)?$|\.dockerfile$/i.test(base)) return { name: 'Dockerfile', extension: StreamLanguage.define(dockerFile) };
  if (/\.ya?ml$/i.test(base)) return { name: 'YAML', extension: yaml() };
  if (/\.go$/i.test(base) || base === 'go.mod') return { name: 'Go', extension: go() };
  if (/\.(sh|bash)$/i.test(base) || base === '.profile') return { name: 'shell', extension: StreamLanguage.define(shell) };
  return { name: 'text', extension: [] };
}

export interface CodeEditor {
  readonly path: string;
  text(): string;
  /** Whether the text differs from what was last loaded or saved. */
  dirty(): boolean;
  saved(): void;
  focus(): void;
  destroy(): void;
}

/** An editor for `text` in `parent`; `save` runs on Ctrl-S / Cmd-S. */
export function openEditor(parent: HTMLElement, path: string, text: string, options: { save(): void; dark: boolean; label: string }): CodeEditor {
  let clean = text;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLine(),
        history(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        languageOf(path).extension,
        keymap.of([{ key: 'Mod-s', preventDefault: true, run: () => (options.save(), true) }, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        EditorView.theme({ '&': { height: '100%', fontSize: '13px' }, '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' } }, { dark: options.dark }),
        EditorView.contentAttributes.of({ 'aria-label': options.label, 'data-testid': 'editor-content' }),
      ],
    }),
  });
  return {
    path,
    text: () => view.state.doc.toString(),
    dirty: () => view.state.doc.toString() !== clean,
    saved: () => void (clean = view.state.doc.toString()),
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
