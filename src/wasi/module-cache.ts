/**
 * Compile once per page. @wasmer/sdk compiles a package's module in the
 * thread that created the package with `new WebAssembly.Module(bytes)`, and
 * takes only bytes, not a compiled module. So each node worker would compile
 * the same program again. Here the constructor of this thread is wrapped:
 * when it is given bytes equal to those of a module registered with
 * {@link registerModule} (compiled once by the page and posted to every
 * node worker), it returns that module instead of compiling. Equality is
 * checked byte for byte, so a different module is never swapped in.
 */
interface Entry {
  bytes: Uint8Array;
  module: WebAssembly.Module;
}

const registered = new Map<number, Entry[]>();
let installed = false;

/** Counts for tests and the bench: modules handed over from the page, and compiles that happened here anyway. */
export const moduleCacheStats = { reused: 0, compiled: 0 };

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function asBytes(source: unknown): Uint8Array | undefined {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return undefined;
}

export function installModuleCache(): void {
  if (installed) return;
  installed = true;
  const Original = WebAssembly.Module;
  (WebAssembly as unknown as { Module: unknown }).Module = new Proxy(Original, {
    construct(target, args, newTarget) {
      const bytes = asBytes(args[0]);
      const hit = bytes && registered.get(bytes.byteLength)?.find((e) => sameBytes(e.bytes, bytes));
      if (hit) {
        moduleCacheStats.reused++;
        return hit.module;
      }
      moduleCacheStats.compiled++;
      return Reflect.construct(target, args, newTarget);
    },
  });
}

/** Makes `module` the answer for these exact bytes in this thread. */
export function registerModule(bytes: Uint8Array, module: WebAssembly.Module): void {
  const list = registered.get(bytes.byteLength) ?? [];
  if (!list.some((e) => sameBytes(e.bytes, bytes))) list.push({ bytes: bytes.slice(), module });
  registered.set(bytes.byteLength, list);
}
