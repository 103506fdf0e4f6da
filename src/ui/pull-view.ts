import { formatPullEvent, type PullEvent } from '../sandbox/index.ts';

/** Renders pull events as docker pull does on a terminal: one line per layer, updated in place. */
export class PullView {
  readonly #el: HTMLElement;
  readonly #lines: string[] = [];
  readonly #layerLine = new Map<string, number>();

  constructor(el: HTMLElement) {
    this.#el = el;
  }

  push(e: PullEvent): void {
    const text = formatPullEvent(e);
    if (e.kind === 'layer') {
      const at = this.#layerLine.get(e.id);
      if (at === undefined) this.#layerLine.set(e.id, this.#lines.push(text) - 1);
      else this.#lines[at] = text;
    } else {
      this.#lines.push(text);
    }
    this.#el.textContent = this.#lines.join('\n');
  }
}
