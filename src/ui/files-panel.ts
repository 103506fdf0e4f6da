/**
 * The files panel: the workspace the terminal works in (`/home`, kept in
 * the sandbox's saved state) as a tree, an editor for the file picked (or
 * named by `edit FILE` in the terminal), and upload and download of a file
 * or the whole workspace as a tar. What the terminal changes shows here at
 * once, and what is saved here is what `docker build`, `kubectl apply -f`
 * and `cat` read.
 */
import { packTar, unpackTar, type TarEntry } from 'modern-tar';
import type { MemoryFiles } from '../cli/index.ts';
import type { CodeEditor } from './code-editor.ts';
import { download } from './images-view.ts';

export interface FilesPanelContext {
  files: MemoryFiles;
  /** Saves the sandbox's state (its workspace with it). */
  save(): void;
  dark(): boolean;
  status(text: string, error?: boolean): void;
}

const ROOT = '/home';

const HTML = `
<h2 id="files-title">Files</h2>
<div class="files-bar">
  <button type="button" id="files-new">New file</button>
  <button type="button" id="files-mkdir">New folder</button>
  <label class="button">Upload files <input type="file" id="files-upload" multiple hidden /></label>
  <label class="button">Upload a workspace (.tar) <input type="file" id="files-upload-tar" accept=".tar,application/x-tar" hidden /></label>
  <button type="button" id="files-download-all" data-testid="files-download-all">Download the workspace (.tar)</button>
</div>
<div class="files-body">
  <ul id="files-tree" class="files-tree" role="tree" aria-labelledby="files-title" data-testid="files-tree"></ul>
  <div class="files-editor">
    <div class="editor-bar">
      <span id="editor-path" data-testid="editor-path">Pick a file, or type <code>edit FILE</code> in the terminal.</span>
      <span class="editor-actions" hidden id="editor-actions">
        <button type="button" id="editor-save" data-testid="editor-save">Save</button>
        <button type="button" id="editor-download">Download</button>
        <button type="button" id="editor-delete">Delete</button>
      </span>
    </div>
    <div id="editor" class="editor-host" data-testid="editor"></div>
  </div>
</div>`;

export class FilesPanel {
  readonly #ctx: FilesPanelContext;
  readonly #section: HTMLElement;
  #editor: CodeEditor | undefined;
  #refreshing = false;

  constructor(section: HTMLElement, ctx: FilesPanelContext) {
    section.innerHTML = HTML;
    section.setAttribute('aria-labelledby', 'files-title');
    this.#section = section;
    this.#ctx = ctx;
    const prev = ctx.files.onChange;
    ctx.files.onChange = () => {
      prev?.();
      this.refresh();
    };
    this.#$('files-new').addEventListener('click', () => {
      const name = prompt('New file (relative to /home):', 'Dockerfile');
      if (name) void this.open(name);
    });
    this.#$('files-mkdir').addEventListener('click', () => {
      const name = prompt('New folder (relative to /home):');
      if (name) void this.#act(() => ctx.files.mkdir(this.#abs(name), true));
    });
    this.#$<HTMLInputElement>('files-upload').addEventListener('change', (e) => void this.#upload((e.target as HTMLInputElement).files));
    this.#$<HTMLInputElement>('files-upload-tar').addEventListener('change', (e) => void this.#uploadTar((e.target as HTMLInputElement).files?.[0]));
    this.#$('files-download-all').addEventListener('click', () => void this.#downloadAll());
    this.#$('editor-save').addEventListener('click', () => void this.save());
    this.#$('editor-download').addEventListener('click', () => {
      if (this.#editor) download(new TextEncoder().encode(this.#editor.text()), this.#editor.path.split('/').pop()!);
    });
    this.#$('editor-delete').addEventListener('click', () => {
      const path = this.#editor?.path;
      if (path && confirm(`Delete ${path}?`)) void this.#act(async () => {
        this.#close();
        await ctx.files.remove(path);
      });
    });
    this.refresh();
  }

  #$<T extends HTMLElement = HTMLElement>(id: string): T {
    return this.#section.querySelector<T>(`#${id}`)!;
  }

  #abs(path: string): string {
    return path.startsWith('/') ? path : `${this.#ctx.files.cwd()}/${path}`;
  }

  async #act(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
      this.#ctx.save();
    } catch (err) {
      this.#ctx.status((err as Error).message, true);
    }
  }

  /** Redraws the tree (the workspace changed). */
  refresh(): void {
    if (this.#refreshing) return;
    this.#refreshing = true;
    queueMicrotask(async () => {
      this.#refreshing = false;
      const tree = this.#$('files-tree');
      const entries = (await this.#ctx.files.walk(ROOT).catch(() => [])).sort((a, b) => (a.path < b.path ? -1 : 1));
      tree.replaceChildren(
        ...entries.map((e) => {
          const li = document.createElement('li');
          li.setAttribute('role', 'treeitem');
          li.style.paddingLeft = `${e.path.split('/').length - 1}em`;
          const name = e.path.split('/').pop()!;
          if (e.kind === 'dir') {
            li.textContent = `${name}/`;
            li.className = 'dir';
          } else {
            const b = document.createElement('button');
            b.type = 'button';
            b.textContent = name;
            b.dataset.path = `${ROOT}/${e.path}`;
            if (this.#editor?.path === `${ROOT}/${e.path}`) b.setAttribute('aria-current', 'true');
            b.addEventListener('click', () => void this.open(`${ROOT}/${e.path}`));
            li.append(b);
          }
          return li;
        }),
      );
    });
  }

  /** Opens a file in the editor (`edit FILE`); a file that does not exist opens empty and is made on save. */
  async open(path: string): Promise<void> {
    const abs = this.#abs(path).replace(/\/+/g, '/');
    if (this.#editor?.dirty() && this.#editor.path !== abs && !confirm(`${this.#editor.path} has changes that are not saved. Leave them?`)) return;
    let text = '';
    try {
      text = new TextDecoder().decode(await this.#ctx.files.read(abs));
    } catch (err) {
      if ((err as { code?: string }).code === 'EISDIR') throw new Error(`edit: ${path}: Is a directory`);
    }
    const { openEditor } = await import('./code-editor.ts');
    this.#close();
    const host = this.#$('editor');
    this.#editor = openEditor(host, abs, text, { save: () => void this.save(), dark: this.#ctx.dark(), label: `Editing ${abs}` });
    this.#$('editor-path').textContent = abs;
    this.#$('editor-actions').hidden = false;
    this.#section.scrollIntoView?.({ block: 'nearest' });
    this.#editor.focus();
    this.refresh();
  }

  /** Writes the editor's text to its file. */
  async save(): Promise<void> {
    const editor = this.#editor;
    if (!editor) return;
    await this.#act(async () => {
      await this.#ctx.files.write(editor.path, new TextEncoder().encode(editor.text()));
      editor.saved();
      this.#ctx.status(`Saved ${editor.path}.`);
    });
  }

  #close(): void {
    this.#editor?.destroy();
    this.#editor = undefined;
    this.#$('editor').replaceChildren();
    this.#$('editor-actions').hidden = true;
  }

  async #upload(list: FileList | null | undefined): Promise<void> {
    for (const f of list ?? []) await this.#act(async () => this.#ctx.files.write(this.#abs(f.name), new Uint8Array(await f.arrayBuffer())));
    this.#ctx.status(`Uploaded ${list?.length ?? 0} file(s) to ${this.#ctx.files.cwd()}.`);
  }

  async #uploadTar(file: File | undefined): Promise<void> {
    if (!file) return;
    await this.#act(async () => {
      const entries = await unpackTar(new Uint8Array(await file.arrayBuffer()));
      let n = 0;
      for (const e of entries) {
        const name = e.header.name.replace(/^\.?\/+/, '');
        if (!name || name.split('/').includes('..')) continue;
        if (e.header.type === 'directory') await this.#ctx.files.mkdir(`${ROOT}/${name.replace(/\/$/, '')}`, true);
        else if (e.header.type === 'file' && e.data) {
          await this.#ctx.files.write(`${ROOT}/${name}`, e.data);
          n++;
        }
      }
      this.#ctx.status(`Unpacked ${n} file(s) from ${file.name} into ${ROOT}.`);
    });
  }

  async #downloadAll(): Promise<void> {
    const entries = await this.#ctx.files.walk(ROOT);
    const tar: TarEntry[] = [];
    for (const e of entries.sort((a, b) => (a.path < b.path ? -1 : 1))) {
      if (e.kind === 'dir') tar.push({ header: { name: `${e.path}/`, type: 'directory', size: 0, mode: 0o755 } });
      else {
        const data = await this.#ctx.files.read(`${ROOT}/${e.path}`);
        tar.push({ header: { name: e.path, type: 'file', size: data.byteLength, mode: 0o644 }, body: data });
      }
    }
    download(await packTar(tar), 'workspace.tar');
  }
}
