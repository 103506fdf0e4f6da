/** Anything that holds a resource (a worker, a timer, an object URL). Owners dispose what they create. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/** Collects disposables and disposes them in reverse order of addition. */
export class DisposableStack implements Disposable {
  #items: Disposable[] = [];
  add<T extends Disposable>(item: T): T {
    this.#items.push(item);
    return item;
  }
  async dispose(): Promise<void> {
    for (const item of this.#items.splice(0).reverse()) await item.dispose();
  }
}
