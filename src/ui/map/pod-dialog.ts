/**
 * The "Why here?" dialog of one pod: its status, Delete pod, and the
 * scheduler's explanation (explain-view.ts), from the live cluster or from a
 * past state of the history. Its controls are made once, so the focus stays
 * on them while the pod changes under the dialog.
 */
import { readExplanation, type Explanation, type Pod } from '../../sandbox/index.ts';
import type { MapAction } from './actions.ts';
import { renderExplanation } from './explain-view.ts';
import { mapPod } from './model.ts';

export interface PodDialogOptions {
  act(action: MapAction): void;
}

/** The pod's explanation, or why it cannot be read (a hand-edited annotation). */
function explanationOf(pod: Pod): { explanation?: Explanation; error?: string } {
  try {
    return { explanation: readExplanation(pod) };
  } catch (err) {
    return { error: `The scheduler's record on this pod could not be read (${(err as Error).message}): an annotation of kube-scheduler-simulator.sigs.k8s.io/ was changed by hand.` };
  }
}

export class PodDialog {
  readonly #dialog: HTMLDialogElement;
  readonly #title: HTMLElement;
  readonly #status: HTMLElement;
  readonly #explain: HTMLElement;
  readonly #command: HTMLElement;
  readonly #delete: HTMLButtonElement;
  /** The pod shown (`namespace/name`), and what of it was drawn. */
  #key: string | undefined;
  #drawn = '';

  constructor(dialog: HTMLDialogElement, options: PodDialogOptions) {
    this.#dialog = dialog;
    dialog.innerHTML = `
<div class="dialog-head"><h3 id="pod-dialog-title"></h3><button type="button" id="pod-dialog-close">Close</button></div>
<p id="pod-dialog-status"></p>
<div class="dialog-actions"><button type="button" id="pod-dialog-delete">Delete pod</button></div>
<h4>Why here? The scheduler's last attempt</h4>
<div id="pod-dialog-explain"></div>
<p class="muted">In the terminal: <code id="pod-dialog-command"></code></p>`;
    const $ = <T extends HTMLElement>(id: string) => dialog.querySelector<T>(`#${id}`)!;
    this.#title = $('pod-dialog-title');
    this.#status = $('pod-dialog-status');
    this.#explain = $('pod-dialog-explain');
    this.#command = $('pod-dialog-command');
    this.#delete = $<HTMLButtonElement>('pod-dialog-delete');
    $('pod-dialog-close').addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => (this.#key = undefined));
    this.#delete.addEventListener('click', () => {
      const [namespace, pod] = this.#key?.split('/') ?? [];
      if (namespace && pod) options.act({ kind: 'delete-pod', namespace, pod });
    });
  }

  /** The pod shown, while the dialog is open. */
  get key(): string | undefined {
    return this.#key;
  }

  open(key: string): void {
    this.#key = key;
    this.#drawn = '';
    if (!this.#dialog.open) this.#dialog.showModal();
  }

  close(): void {
    if (this.#dialog.open) this.#dialog.close();
  }

  /** Draws the open pod as `pod` (undefined: gone at this moment) at time `now`; `live` enables its action. */
  update(pod: Pod | undefined, now: number, live: boolean): void {
    const key = this.#key;
    if (!key) return;
    const [namespace, name] = key.split('/') as [string, string];
    const flag = namespace === 'default' ? '' : ` -n ${namespace}`;
    const drawn = `${key}@${pod?.metadata.resourceVersion ?? 'gone'}:${live}`;
    if (drawn === this.#drawn) return;
    this.#drawn = drawn;
    this.#title.textContent = `pod/${name}${flag}`;
    this.#command.textContent = `podplay explain pod ${name}${flag}`;
    this.#delete.disabled = !live || !pod;
    if (!pod) {
      this.#status.textContent = live ? 'This pod is gone.' : 'This pod does not exist at this moment.';
      this.#explain.replaceChildren();
      return;
    }
    const chip = mapPod(pod, now, new Map());
    this.#status.textContent = `${chip.status}, ${chip.ready} ready, ${chip.restarts} restart${chip.restarts === 1 ? '' : 's'}${chip.node ? `, on ${chip.node}` : ''}.`;
    const { explanation, error } = explanationOf(pod);
    const view = renderExplanation(chip, explanation);
    if (error) view.prepend(Object.assign(document.createElement('p'), { className: 'explain-summary rejected', textContent: error }));
    this.#explain.replaceChildren(view);
  }
}
