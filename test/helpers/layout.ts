import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { packTar, type TarHeader } from 'modern-tar';

/** The committed OCI layout of the sample images. */
export const LAYOUT_DIR = fileURLToPath(new URL('../../public/images', import.meta.url));

/** A fetch for file: URLs (Node's fetch has none), answering 404 for missing files. */
export async function fileFetch(url: string): Promise<Response> {
  try {
    return new Response(await readFile(fileURLToPath(url)));
  } catch {
    return new Response('not found', { status: 404 });
  }
}

export const layoutUrl = (dir = LAYOUT_DIR) => new URL(`file://${dir}`).href;

/** A gzip tar layer from entries: `{ name, type?, body?, linkname?, mode? }`. */
export async function gzipLayer(entries: Array<Partial<TarHeader> & { name: string; body?: string }>): Promise<Uint8Array> {
  const tar = await packTar(
    entries.map(({ body, ...h }) => ({
      header: { size: body ? new TextEncoder().encode(body).byteLength : 0, mtime: new Date(1_700_000_000_000), ...h } as TarHeader,
      body,
    })),
  );
  const stream = new Blob([tar]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
