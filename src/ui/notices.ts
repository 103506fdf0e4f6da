/**
 * Messages for the page's author and reader above the terminal: an
 * attribute that could not be used, a URL that failed, a saved state set
 * aside (with a link to download it, so nothing is lost). Errors are
 * announced to screen readers as they appear.
 */
export class Notices {
  readonly #list: HTMLElement;

  constructor(list: HTMLElement) {
    this.#list = list;
  }

  /** Adds a notice; `download` offers bytes as a file beside it; `group` lets {@link clear} take some and leave others. */
  add(text: string, kind: 'error' | 'info' = 'info', download?: { name: string; bytes: Uint8Array; label: string }, group = ''): HTMLElement {
    const li = document.createElement('li');
    li.className = `notice ${kind}`;
    li.dataset.group = group;
    if (kind === 'error') li.setAttribute('role', 'alert');
    li.textContent = text;
    if (download) {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([download.bytes as Uint8Array<ArrayBuffer>], { type: 'application/json' }));
      a.download = download.name;
      a.textContent = download.label;
      li.append(' ', a);
    }
    this.#list.append(li);
    return li;
  }

  /** Removes the notices of a group (a reset takes the start's), releasing their download links. */
  clear(group: string): void {
    for (const li of [...this.#list.children] as HTMLElement[]) {
      if (li.dataset.group !== group) continue;
      for (const a of li.querySelectorAll('a')) URL.revokeObjectURL(a.href);
      li.remove();
    }
  }

  get texts(): string[] {
    return [...this.#list.children].map((li) => li.textContent ?? '');
  }
}
