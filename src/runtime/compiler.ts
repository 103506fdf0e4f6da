import { PodplayError, sha256 } from '../shared/index.ts';
import { sdkWasmUrl } from '../wasi/index.ts';

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

let sdk: Promise<WebAssembly.Module | undefined> | undefined;

/**
 * @wasmer/sdk's own module (4.8 MB), compiled once per page and given to
 * every node worker of every sandbox on it, which would otherwise each fetch
 * and compile it. Undefined where the SDK finds its module itself (the dev
 * server, Node).
 */
export function sdkModule(): Promise<WebAssembly.Module | undefined> {
  return (sdk ??= (async () => {
    const url = sdkWasmUrl();
    if (!url) return undefined;
    const res = await fetch(url);
    if (!res.ok) throw new PodplayError('RuntimeFailed', `could not fetch the WebAssembly runtime (${url}): HTTP ${res.status}. Copy all of podplay's build folder, wasmer-sdk/ included.`);
    // Streaming compiles are cached by the browser; they need the wasm media type, which not every static host sends.
    if (res.headers.get('content-type')?.split(';')[0]?.trim() === 'application/wasm') return WebAssembly.compileStreaming(res);
    return WebAssembly.compile(await res.arrayBuffer());
  })().catch((err) => {
    sdk = undefined;
    throw err;
  }));
}
