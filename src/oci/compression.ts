import { PodplayError, concatBytes } from '../shared/index.ts';

/** What a blob's first bytes say it is. */
export type Sniffed = 'gzip' | 'zstd' | 'tar' | 'wasm' | 'unknown';

export function sniff(bytes: Uint8Array): Sniffed {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (bytes[0] === 0x28 && bytes[1] === 0xb5 && bytes[2] === 0x2f && bytes[3] === 0xfd) return 'zstd';
  if (bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) return 'wasm';
  // POSIX ustar and GNU tar both write "ustar" at offset 257.
  if (bytes.length >= 262 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar') return 'tar';
  return 'unknown';
}

/** 512 MiB: more than any layer a browser tab should expand, less than what exhausts it. */
export const DEFAULT_MAX_EXPANDED_BYTES = 512 * 1024 * 1024;

/**
 * Expands gzip or zstd bytes, refusing to produce more than `maxBytes` (a
 * gzip bomb stops there instead of exhausting the tab). zstd works where the
 * platform's DecompressionStream knows it.
 */
export async function decompress(bytes: Uint8Array, format: 'gzip' | 'zstd', maxBytes: number, what: string): Promise<Uint8Array> {
  let stream: DecompressionStream;
  try {
    stream = new DecompressionStream(format as CompressionFormat);
  } catch {
    throw new PodplayError('LayerInvalid', `${what} is ${format}-compressed, and this platform's DecompressionStream cannot expand ${format}: re-pack the image with gzip layers.`);
  }
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream as unknown as TransformStream<Uint8Array, Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw new PodplayError(
          'LayerInvalid',
          `${what} expands to more than ${formatBytes(maxBytes)} (the limit on expanded data): it may be a decompression bomb. Raise maxExpandedBytes only for an image you trust.`,
        );
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof PodplayError) throw err;
    throw new PodplayError('LayerInvalid', `${what} is not valid ${format} data (${(err as Error).message}): it is truncated or corrupt; re-pack the image.`, { cause: err });
  }
  return concatBytes(chunks);
}

/** gzip bytes with the platform's CompressionStream. */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${+(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 * 1024) return `${+(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
