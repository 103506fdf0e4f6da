/**
 * `<podplay-sandbox>`: one sandbox (its own cluster of node workers, its own
 * docker node, its own terminal) in a docs page. Several on a page stay
 * independent; they share what can be shared (the page's one compiler of
 * modules, @wasmer/sdk's compiled module, the origin's image store).
 *
 * Lifecycle: connected → attributes read (bad values reported, defaults
 * used) → cross-origin isolation (podplay-sw.js, one reload) → the saved
 * state restored (`persist`) → cluster, terminal, panels → `ready` resolves
 * and `podplay-ready` is dispatched → the `run` lines are typed. Removed from
 * the page: it saves, then stops its workers.
 */
import { PodplayError } from '../shared/index.ts';
import type { SandboxSession } from '../cli/index.ts';
import { ATTRIBUTES, parseAttributes, type SandboxConfig } from './attributes.ts';
import { ELEMENT_CSS } from './element-styles.ts';
import { ensureIsolation } from './isolation.ts';
import { Notices } from './notices.ts';
import { applyUpdate, onServiceWorkerNews } from './offline.ts';
import { SandboxRunner, type CommandSource } from './sandbox-runner.ts';

const SKELETON = `
<div class="pp" part="root">
  <div class="bar">
    <p id="cluster-status" class="status" data-testid="cluster-status" role="status">Starting…</p>
    <div class="controls">
      <span id="offline" class="badge" data-testid="offline" hidden>Available offline</span>
      <label class="muted"><input type="checkbox" id="screen-reader" /> Screen reader mode</label>
      <button type="button" id="reset" data-testid="reset" disabled title="Start again with a clean cluster (images stay)">Reset</button>
    </div>
  </div>
  <div id="update" class="update" data-testid="update" role="status" hidden>A new version of podplay is ready. <button type="button" id="update-button">Reload to update</button></div>
  <ul id="notices" class="notices" data-testid="notices"></ul>
  <section id="terminal-section" aria-label="Terminal" hidden>
    <p class="hint" id="terminal-hint">Tab completes. To leave the terminal, press Esc, then Tab.</p>
    <div class="terminal-box"><div id="terminal" class="term-host" data-testid="terminal" aria-describedby="terminal-hint"></div></div>
  </section>
  <section id="files-section" class="files-section" data-testid="files-section" hidden></section>
  <section id="map-section" class="map-section" data-testid="map-section" hidden></section>
  <p id="status" class="status" data-testid="status" role="status" hidden></p>
  <section id="images-section" hidden></section>
  <section id="run-section" hidden></section>
</div>`;

export interface CommandDetail {
  line: string;
  exitCode: number;
  /** Typed in the terminal (by a person or el.type) or run by el.exec. */
  source: CommandSource;
  /** When it started (epoch ms); the event comes when it ends. */
  startedAt: number;
}

export class PodplaySandboxElement extends HTMLElement {
  static get observedAttributes(): readonly string[] {
    return ATTRIBUTES;
  }

  #ready!: Promise<void>;
  #settle: { resolve: () => void; reject: (err: Error) => void; done: boolean } | undefined;
  readonly #root: ShadowRoot;
  #config: SandboxConfig;
  #runner: SandboxRunner | undefined;
  /** Moves on at each start and each removal: a start that finds it moved stops and lets go of what it made. */
  #generation = 0;
  #active = false;
  #media: MediaQueryList | undefined;
  /** What to undo when the element leaves the page (listeners outside the shadow root). */
  #detach: Array<() => void> = [];
  #resetting: Promise<void> | undefined;
  readonly #notices: Notices;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open', delegatesFocus: false });
    this.#root.innerHTML = `<style>${ELEMENT_CSS}</style>${SKELETON}`;
    this.#notices = new Notices(this.#el('notices'));
    this.#config = parseAttributes({}).config;
    this.#newReady();
    // The element's own controls live as long as it does.
    this.#el<HTMLInputElement>('screen-reader').addEventListener('change', (e) => this.#setScreenReader((e.target as HTMLInputElement).checked));
    this.#el('reset').addEventListener('click', () => void this.reset().catch(() => undefined));
    this.#el('update-button').addEventListener('click', () => void applyUpdate());
  }

  /** Resolves when the sandbox can be used; rejects when it cannot start here (the element says why). A new one at each start. */
  get ready(): Promise<void> {
    return this.#ready;
  }

  #newReady(): void {
    if (this.#settle && !this.#settle.done) return;
    this.#ready = new Promise<void>((resolve, reject) => {
      const settle = { done: false, resolve: () => ((settle.done = true), resolve()), reject: (err: Error) => ((settle.done = true), reject(err)) };
      this.#settle = settle;
    });
    this.#ready.catch(() => undefined); // the element shows the failure; awaiting callers get it too
  }

  #el<T extends HTMLElement = HTMLElement>(id: string): T {
    return this.#root.getElementById(id) as T;
  }

  /** The running sandbox (cluster, docker side, files, history), once ready. */
  get session(): SandboxSession | undefined {
    return this.#runner?.session;
  }

  connectedCallback(): void {
    if (this.#active) return;
    this.#active = true;
    void this.#start(++this.#generation);
  }

  disconnectedCallback(): void {
    // Moved within the page (connected again in the same task): keep going.
    queueMicrotask(() => {
      if (this.isConnected || !this.#active) return;
      this.#active = false;
      this.#generation++;
      for (const undo of this.#detach.splice(0)) undo();
      const runner = this.#runner;
      this.#runner = undefined;
      void runner?.dispose();
      this.#settle?.reject(new PodplayError('RuntimeFailed', 'this sandbox was removed from the page'));
    });
  }

  attributeChangedCallback(name: string): void {
    if (!this.#active) return;
    const { config, problems } = parseAttributes(this.#attributes());
    for (const p of problems.filter((x) => x.attribute === name)) this.#problem(p.message, ATTRIBUTE_NOTICES);
    this.#config = config;
    if (name === 'theme') this.#applyTheme();
    if (name === 'height') this.#el('terminal').parentElement!.style.height = config.height;
    if (name === 'readonly-terminal') this.#runner?.terminal?.setReadonly(config.readonlyTerminal);
    if (name === 'screen-reader') this.#setScreenReader(config.screenReader);
  }

  #attributes(): Record<string, string | null> {
    return Object.fromEntries(ATTRIBUTES.map((a) => [a, this.getAttribute(a)]));
  }

  /** How the console names this element. */
  get #label(): string {
    return `<podplay-sandbox${this.id ? ` id="${this.id}"` : ''}>`;
  }

  /** An attribute that could not be used: on the element and in the console. */
  #problem(message: string, group: string): void {
    this.#notices.add(message, 'error', undefined, group);
    console.warn(`${this.#label}: ${message}`);
  }

  #status(text: string, error = false): void {
    const s = this.#el('cluster-status');
    s.textContent = text;
    s.classList.toggle('error', error);
    s.setAttribute('role', error ? 'alert' : 'status');
  }

  #applyTheme(): void {
    const theme = this.#config.theme;
    const dark = theme === 'dark' || (theme === 'auto' && !!this.#media?.matches);
    this.#el('cluster-status').closest('.pp')!.classList.toggle('dark', dark);
    this.#runner?.terminal?.setDark(dark);
  }

  #setScreenReader(on: boolean): void {
    this.#el<HTMLInputElement>('screen-reader').checked = on;
    this.#runner?.terminal?.setScreenReader(on);
  }

  async #start(generation: number): Promise<void> {
    this.#newReady();
    const { config, problems } = parseAttributes(this.#attributes());
    this.#config = config;
    this.#notices.clear(ATTRIBUTE_NOTICES);
    for (const p of problems) this.#problem(p.message, ATTRIBUTE_NOTICES);
    this.#media = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    const onScheme = () => this.#applyTheme();
    this.#media?.addEventListener('change', onScheme);
    this.#detach.push(() => this.#media?.removeEventListener('change', onScheme));
    this.#applyTheme();
    this.#el('terminal').parentElement!.style.height = config.height;
    this.#el('terminal-section').hidden = !config.panels.includes('terminal');
    this.#el('reset').setAttribute('disabled', '');
    this.#setScreenReader(config.screenReader);

    const runner = new SandboxRunner(this, this.#root, config, {
      status: (text, error) => this.#status(text, error),
      notices: this.#notices,
      dark: () => this.#el('cluster-status').closest('.pp')!.classList.contains('dark'),
      screenReader: () => this.#el<HTMLInputElement>('screen-reader').checked,
      command: (detail) => this.dispatchEvent(new CustomEvent<CommandDetail>('podplay-command', { detail, bubbles: true, composed: true })),
      change: (detail) => this.dispatchEvent(new CustomEvent('podplay-change', { detail, bubbles: true, composed: true })),
    });
    const assets = runner.assets;
    if (!assets) return this.#fail(new PodplayError('RuntimeFailed', 'podplay cannot find its files: give the folder podplay was built into with the assets attribute (assets="/podplay/").'));
    this.#status('Checking that this page can run containers…');
    let isolation: Awaited<ReturnType<typeof ensureIsolation>>;
    try {
      isolation = await ensureIsolation({ assets, serviceWorker: config.serviceWorker });
    } catch (err) {
      return this.#fail(new PodplayError('CrossOriginIsolationMissing', `podplay could not check that this page can run containers: ${(err as Error).message}`));
    }
    if (generation !== this.#generation) return;
    if (isolation.case === 'reloading') return this.#status(isolation.message);
    if (isolation.case !== 'isolated') return this.#fail(new PodplayError('CrossOriginIsolationMissing', isolation.message));
    this.#runner = runner;
    try {
      await runner.start();
    } catch (err) {
      // Removed from the page meanwhile: the removal has disposed the runner.
      if (generation !== this.#generation) return;
      this.#runner = undefined;
      await runner.dispose();
      return this.#fail(err as Error);
    }
    if (generation !== this.#generation) return;
    this.#el('reset').removeAttribute('disabled');
    this.#detach.push(
      onServiceWorkerNews(assets, (news) => {
        if (news.type === 'offline-ready') this.#el('offline').hidden = false;
        else this.#el('update').hidden = false;
      }),
    );
    this.#settle!.resolve();
    this.dispatchEvent(new CustomEvent('podplay-ready', { detail: { nodes: runner.session!.cluster.nodes.nodes.map((n) => n.name) }, bubbles: true, composed: true }));
    // A restored sandbox goes on where it was: its run lines ran on its first visit.
    if (runner.session!.restored.kind !== 'restored') await runner.typeRunLines().catch(() => undefined);
  }

  #fail(err: Error): void {
    this.#status(err.message, true);
    console.error(`${this.#label}: ${err.message}`);
    this.#settle?.reject(err);
    this.dispatchEvent(new CustomEvent('podplay-error', { detail: { code: (err as { code?: string }).code, message: err.message }, bubbles: true, composed: true }));
  }

  async #running(): Promise<SandboxRunner> {
    await this.ready;
    if (!this.#runner) throw new PodplayError('RuntimeFailed', 'this sandbox was removed from the page');
    return this.#runner;
  }

  /** Runs one shell line without typing it: what it printed and its exit code. */
  async exec(line: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
    return (await this.#running()).exec(line);
  }

  /**
   * Types a line into the terminal as a person would, runs it, and resolves
   * to its exit code (lines typed by the page go one after another).
   */
  async type(line: string): Promise<number> {
    return (await this.#running()).type(line);
  }

  /** kubectl apply -f of a manifest's text: kubectl's lines, and its errors. */
  async apply(yaml: string): Promise<{ lines: string[]; errors: string[] }> {
    return (await this.#running()).session!.apply(yaml);
  }

  /** API objects: one by name, else a list (namespace "default", or "*" for all). */
  async get(kind: string, name?: string, namespace?: string): Promise<unknown> {
    return (await this.#running()).session!.get(kind, name, namespace);
  }

  /**
   * Starts clean: a new cluster, the start files and manifests, no history;
   * the saved state is forgotten. A reset asked for during one is that one.
   * When it fails, the element says why and Reset can be tried again.
   */
  reset(): Promise<void> {
    this.#resetting ??= (async () => {
      const runner = await this.#running();
      this.#el('reset').setAttribute('disabled', '');
      try {
        await runner.reset();
      } catch (err) {
        this.#status(`Reset failed: ${(err as Error).message}. Try Reset again, or reload the page.`, true);
        throw err;
      } finally {
        this.#el('reset').removeAttribute('disabled');
      }
      await runner.typeRunLines();
    })().finally(() => (this.#resetting = undefined));
    return this.#resetting;
  }
}

/** Notices about the element's attributes: made again at each start. */
const ATTRIBUTE_NOTICES = 'attributes';

export function defineSandboxElement(name = 'podplay-sandbox'): void {
  if (!customElements.get(name)) customElements.define(name, PodplaySandboxElement);
}
