import { PodplayError } from '../shared/index.ts';

/** WebAssembly pages are 64 KiB. */
export const WASM_PAGE = 64 * 1024;
const MAX_PAGES = 65536;

function readLeb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++]!;
    value += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [value, at];
    shift += 7;
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

/**
 * The module with its memory capped at `maxBytes`: the memory section's
 * limits get a maximum (whole pages), so `memory.grow` past it fails inside
 * the guest — Go's runtime then stops with "fatal error: out of memory" —
 * which is how a container's memory limit is really enforced. A module that
 * imports its memory, or declares a smaller maximum, is left as it is.
 */
export function withMemoryLimit(module: Uint8Array, maxBytes: number): Uint8Array {
  // wasm32 memories hold at most 65536 pages (4 GiB): a larger limit is no limit.
  if (maxBytes >= MAX_PAGES * WASM_PAGE) return module;
  if (module.byteLength < 8 || module[0] !== 0 || module[1] !== 0x61 || module[2] !== 0x73 || module[3] !== 0x6d) return module;
  const maxPages = Math.max(1, Math.floor(maxBytes / WASM_PAGE));
  let at = 8;
  while (at < module.byteLength) {
    const id = module[at]!;
    const [size, body] = readLeb(module, at + 1);
    if (id === 5) {
      const [count, first] = readLeb(module, body);
      if (count !== 1) return module;
      const flags = module[first]!;
      const [min, afterMin] = readLeb(module, first + 1);
      let end = afterMin;
      if (flags & 1) {
        const [max, afterMax] = readLeb(module, afterMin);
        if (max <= maxPages) return module;
        end = afterMax;
      }
      if (flags & ~1) return module; // shared or 64-bit memories: not what Go writes; leave them
      if (min > maxPages) {
        throw new PodplayError('RuntimeFailed', `the program needs ${min * WASM_PAGE} bytes of memory to start, more than its limit of ${maxBytes}: raise the memory limit.`);
      }
      const newBody = [...leb(1), 0x01, ...leb(min), ...leb(maxPages), ...module.subarray(end, body + size)];
      const section = [5, ...leb(newBody.length), ...newBody];
      const out = new Uint8Array(at + section.length + (module.byteLength - (body + size)));
      out.set(module.subarray(0, at), 0);
      out.set(section, at);
      out.set(module.subarray(body + size), at + section.length);
      return out;
    }
    at = body + size;
  }
  return module;
}
