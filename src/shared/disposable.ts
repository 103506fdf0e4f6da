/** Anything that holds a resource (a worker, a timer, an object URL). Owners dispose what they create. */
export interface Disposable {
  dispose(): void | Promise<void>;
}
