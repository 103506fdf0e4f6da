/**
 * The images panel: docker pull, loading an image from a file or URL
 * (drop, pick, or type), and the stored images as `docker images` lists
 * them with Run, Save and Remove on each row, and garbage collection.
 */
import { dockerSize } from '../cli/index.ts';
import type { PulledImage, Sandbox } from '../sandbox/index.ts';
import { ImagesView, download } from './images-view.ts';
import { PullView } from './pull-view.ts';

export interface PanelContext {
  docker(): Promise<Sandbox>;
  /** Says what the panels are doing (one status line for the images and run panels). */
  status(text: string, error?: boolean): void;
  /** Runs an image in the run panel (the Run button of a row). */
  runImage(ref: string): void;
}

const HTML = `
<h2 id="pull-title">docker pull</h2>
<form id="pull-form">
  <label>Image <input id="pull-ref" name="ref" size="32" placeholder="podplay/ticker or localhost:5000/team/app:1.0" required /></label>
  <button type="submit" id="pull-button">Pull</button>
</form>
<pre id="pull" data-testid="pull" tabindex="0" aria-label="Pull progress"></pre>
<h2 id="images-title">docker images</h2>
<div id="drop-zone" class="drop-zone" data-testid="drop-zone">
  <p>Load an image: drop an OCI layout tar (<code>skopeo copy … oci-archive:</code>, <code>docker save</code>) or a <code>.wasm</code> module here, or
  <label>choose a file <input type="file" id="load-file" accept=".tar,.tgz,.gz,.wasm,application/x-tar,application/wasm" /></label></p>
  <form id="load-url-form">
    <label>or a URL <input id="load-url" type="url" size="32" placeholder="https://example.org/images/ (a layout) or …/app.tar" required /></label>
    <label>Tag <input id="load-tag" size="12" placeholder="(from the image)" /></label>
    <button type="submit">Load</button>
  </form>
</div>
<div class="table-scroll" tabindex="0" aria-labelledby="images-title">
<table id="images" data-testid="images">
  <thead><tr><th>REPOSITORY</th><th>TAG</th><th>IMAGE ID</th><th>SIZE</th><th>SHARED SIZE</th><th>UNIQUE SIZE</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody></tbody>
</table>
</div>
<p><button type="button" id="gc">Remove unused data</button> <span id="storage" data-testid="storage"></span></p>`;

export class ImagesPanel {
  readonly #root: HTMLElement;
  readonly #ctx: PanelContext;
  readonly #view: ImagesView;
  #pullView: PullView;

  constructor(section: HTMLElement, ctx: PanelContext) {
    section.innerHTML = HTML;
    section.setAttribute('aria-labelledby', 'images-title');
    this.#root = section;
    this.#ctx = ctx;
    const $ = <T extends HTMLElement>(id: string) => section.querySelector<T>(`#${id}`)!;
    this.#pullView = new PullView($('pull'));
    this.#view = new ImagesView($<HTMLTableElement>('images'), {
      run: (ref) => ctx.runImage(ref),
      save: (ref) =>
        void this.#busy(`Saving ${ref}`, async (d) => {
          const bytes = await d.save([ref]);
          download(bytes, `${ref.replace(/[/:@]+/g, '-')}.tar`);
          return `Saved ${ref} as an OCI layout tar (${dockerSize(bytes.byteLength)}).`;
        }),
      remove: (ref) =>
        void this.#busy(`Removing ${ref}`, async (d) => {
          const r = await d.rmi(ref);
          return [...r.untagged.map((u) => `Untagged: ${u}`), ...r.deleted.map((x) => `Deleted: ${x}`)].join('\n');
        }),
    });
    const loaded = (images: PulledImage[]) => `Loaded image: ${images.map((i) => i.ref).join(', ')}`;
    $('pull-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const ref = $<HTMLInputElement>('pull-ref').value.trim();
      const view = this.#freshPullView();
      void this.#busy(`Pulling ${ref}`, async (d) => void (await d.pull(ref, (e) => view.push(e))));
    });
    const loadFile = (file: File) => {
      const view = this.#freshPullView();
      void this.#busy(`Loading ${file.name}`, async (d) => loaded(await d.load(new Uint8Array(await file.arrayBuffer()), file.name, { onEvent: (e) => view.push(e) })));
    };
    $<HTMLInputElement>('load-file').addEventListener('change', (ev) => {
      const input = ev.target as HTMLInputElement;
      if (input.files?.[0]) loadFile(input.files[0]);
      input.value = '';
    });
    const drop = $('drop-zone');
    drop.addEventListener('dragover', (ev) => {
      ev.preventDefault();
      drop.classList.add('over');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (ev) => {
      ev.preventDefault();
      drop.classList.remove('over');
      const file = ev.dataTransfer?.files[0];
      if (file) loadFile(file);
    });
    $('load-url-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const url = $<HTMLInputElement>('load-url').value.trim();
      const tag = $<HTMLInputElement>('load-tag').value.trim() || undefined;
      const view = this.#freshPullView();
      void this.#busy(`Loading ${url}`, async (d) => loaded(await d.importUrl(url, { tag, onEvent: (e) => view.push(e) })));
    });
    $('gc').addEventListener('click', () =>
      void this.#busy('Removing unused data', async (d) => {
        const r = await d.gc();
        return `Deleted ${r.deleted.length} unused blob${r.deleted.length === 1 ? '' : 's'}, ${dockerSize(r.freedBytes)} reclaimed.`;
      }),
    );
    void ctx.docker().then(async (d) => {
      const kept = await d.persist();
      $('storage').textContent = kept ? 'Images are kept in persistent storage.' : 'The browser may evict stored images under storage pressure.';
    });
  }

  /** The pull view for the next operation (it shows one operation's progress). */
  #freshPullView(): PullView {
    return (this.#pullView = new PullView(this.#root.querySelector('#pull')!));
  }

  /** The progress view of the current operation (the run panel's pulls show there too). */
  get pullView(): PullView {
    return this.#pullView;
  }

  async refresh(): Promise<void> {
    this.#view.render(await (await this.#ctx.docker()).images());
  }

  async #busy(what: string, work: (docker: Sandbox) => Promise<string | void>): Promise<void> {
    this.#ctx.status(`${what}…`);
    try {
      this.#ctx.status((await work(await this.#ctx.docker())) || 'Ready.');
    } catch (err) {
      this.#ctx.status((err as Error).message, true);
    }
    await this.refresh().catch(() => undefined);
  }
}
