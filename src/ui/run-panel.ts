/**
 * The run panel: `docker run` of a stored image with arguments, its output
 * streamed as it is produced, its exit code, and a Kill button. On start it
 * runs podplay/hello once, pulled from the bundled layout on a first visit
 * and from IndexedDB after that.
 */
import { startError, type ContainerHandle, type PullEvent, type Sandbox } from '../sandbox/index.ts';

const IMAGES = ['podplay/hello', 'podplay/toolbox', 'podplay/ticker', 'podplay/crash', 'podplay/primes', 'podplay/memhog', 'podplay/kv'];

const HTML = `
<h2 id="run-title">docker run</h2>
<form id="run-form">
  <label>Image <select id="image" name="image"></select></label>
  <label>Arguments <input id="args" name="args" placeholder="(image default)" size="28" /></label>
  <button type="submit" id="run" disabled>Run</button>
  <button type="button" id="kill" disabled>Kill</button>
</form>
<pre id="output" data-testid="output" aria-live="polite" tabindex="0" aria-label="Container output"></pre>
<p id="exit" data-testid="exit"></p>`;

/** Splits an argument line the way a shell would for plain words and quotes. */
export function splitArgs(line: string): string[] | undefined {
  const words = line.match(/"[^"]*"|'[^']*'|\S+/g);
  return words?.map((w) => (/^(["']).*\1$/.test(w) ? w.slice(1, -1) : w));
}

/** 64 random hex digits, as docker makes a container's ID. */
function dockerId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface RunContext {
  docker(): Promise<Sandbox>;
  status(text: string, error?: boolean): void;
  /** Progress of a pull the run needed. */
  pullEvent(e: PullEvent): void;
  /** The stored images changed. */
  imagesChanged(): void;
}

export class RunPanel {
  readonly #ctx: RunContext;
  readonly #select: HTMLSelectElement;
  readonly #args: HTMLInputElement;
  readonly #runButton: HTMLButtonElement;
  readonly #killButton: HTMLButtonElement;
  readonly #output: HTMLElement;
  readonly #exit: HTMLElement;
  #current: ContainerHandle | undefined;

  constructor(section: HTMLElement, ctx: RunContext) {
    section.innerHTML = HTML;
    section.setAttribute('aria-labelledby', 'run-title');
    this.#ctx = ctx;
    const $ = <T extends HTMLElement>(id: string) => section.querySelector<T>(`#${id}`)!;
    this.#select = $('image');
    this.#args = $('args');
    this.#runButton = $('run');
    this.#killButton = $('kill');
    this.#output = $('output');
    this.#exit = $('exit');
    for (const ref of IMAGES) this.#select.add(new Option(ref, ref));
    $('run-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.run(this.#select.value, splitArgs(this.#args.value));
    });
    this.#killButton.addEventListener('click', () => void this.#current?.kill());
  }

  /** Enables the form (once containers can run) and runs podplay/hello. */
  async start(): Promise<void> {
    this.#runButton.disabled = false;
    await this.run('podplay/hello');
    performance.mark('podplay-first-run-done');
  }

  /** Picks `ref` (adding it to the list) and runs it with its default arguments. */
  runImage(ref: string): void {
    if (![...this.#select.options].some((o) => o.value === ref)) this.#select.add(new Option(ref, ref));
    this.#select.value = ref;
    this.#args.value = '';
    void this.run(ref);
  }

  /** Offers the stored images in the list too. */
  addImages(refs: readonly string[]): void {
    const known = new Set([...this.#select.options].map((o) => o.value));
    for (const ref of refs) if (!known.has(ref)) this.#select.add(new Option(ref, ref));
  }

  async run(image: string, args?: string[]): Promise<void> {
    this.#runButton.disabled = true;
    this.#output.textContent = '';
    this.#exit.textContent = '';
    try {
      const docker = await this.#ctx.docker();
      const { pulled } = await docker.ensureImage(image, (e) => this.#ctx.pullEvent(e));
      if (pulled) this.#ctx.imagesChanged();
      else this.#ctx.pullEvent({ kind: 'image', status: 'Status', message: `Image is up to date for ${image}:latest (from IndexedDB)` });
      this.#ctx.status(`Running ${image}…`);
      const decoder = new TextDecoder();
      this.#current = await docker.run(image, {
        // A docker container ID: its first 12 hex digits are the container's hostname.
        id: dockerId(),
        args,
        onOutput: (e) => {
          const span = document.createElement('span');
          if (e.type === 'stderr') span.className = 'stderr';
          span.textContent = decoder.decode(e.data, { stream: true });
          this.#output.append(span);
        },
      });
      this.#killButton.disabled = false;
      const result = await this.#current.result;
      const err = startError(result);
      this.#exit.textContent = err ? `docker: Error response from daemon: ${err.message}` : `exited with code ${result.exitCode} (${result.reason})`;
      this.#ctx.status('Ready.');
    } catch (err) {
      this.#ctx.status((err as Error).message, true);
    } finally {
      this.#current = undefined;
      this.#killButton.disabled = true;
      this.#runButton.disabled = false;
    }
  }
}
