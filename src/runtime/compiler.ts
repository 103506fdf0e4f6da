import { sha256 } from '../shared/index.ts';

/**
 * The page's one compiler of guest programs: each distinct module (by
 * sha256) is compiled once with WebAssembly.compile, and the same compiled
 * module is given to every node worker that asks (a WebAssembly.Module can
 * be posted between threads of a page), so N nodes running one image
 * compile it once, not N times.
 */
export class ModuleCompiler {
  readonly #modules = new Map<string, Promise<WebAssembly.Module>>();
  /** Modules compiled here so far. */
  compiled = 0;

  async compile(bytes: Uint8Array): Promise<WebAssembly.Module> {
    const key = await sha256(bytes);
    let module = this.#modules.get(key);
    if (!module) {
      this.compiled++;
      module = WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
      module.catch(() => this.#modules.delete(key));
      this.#modules.set(key, module);
    }
    return module;
  }
}

/** The compiler every node worker of this page shares. */
export const pageCompiler = new ModuleCompiler();
