import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tarOf, type Entry } from './images.ts';

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
export async function gzipLayer(entries: Entry[]): Promise<Uint8Array> {
  return gzipSync(await tarOf(entries));
}
