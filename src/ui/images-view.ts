import { dockerSize, repoAndTag } from '../cli/index.ts';
import { formatBytes, shortId, type ImageSummary } from '../sandbox/index.ts';

/** What the images table can ask of the page. */
export interface ImageActions {
  run(ref: string): void;
  save(ref: string): void;
  remove(ref: string): void;
}

/**
 * The stored images as `docker images` lists them, with `docker system df -v`'s
 * shared and unique sizes, and a row of actions each.
 */
export class ImagesView {
  readonly #body: HTMLTableSectionElement;
  readonly #actions: ImageActions;

  constructor(table: HTMLTableElement, actions: ImageActions) {
    this.#body = table.tBodies[0] ?? table.createTBody();
    this.#actions = actions;
  }

  render(images: readonly ImageSummary[]): void {
    this.#body.replaceChildren(
      ...images.map((img) => {
        const tr = document.createElement('tr');
        tr.dataset.ref = img.ref;
        const cells = [...repoAndTag(img.ref), shortId(img.id), dockerSize(img.size), dockerSize(img.sharedSize), dockerSize(img.uniqueSize)];
        for (const text of cells) tr.insertCell().textContent = text;
        tr.cells[3]!.title = formatBytes(img.size);
        const actions = tr.insertCell();
        for (const [label, act] of [['Run', this.#actions.run], ['Save', this.#actions.save], ['Remove', this.#actions.remove]] as const) {
          const b = document.createElement('button');
          b.type = 'button';
          b.textContent = label;
          b.addEventListener('click', () => act(img.ref));
          actions.append(b);
        }
        return tr;
      }),
    );
  }
}

/** Offers bytes as a file download (an object URL, revoked once the click has been handled). */
export function download(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/x-tar' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
