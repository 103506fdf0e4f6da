/**
 * What a sandbox fetches at start from its attributes: manifests to apply,
 * files for the terminal, extra image layouts. Each URL that fails says
 * which URL and why (HTTP status, a refused cross-origin request, not YAML),
 * and the rest still start.
 */
import { layoutSources } from '../sandbox/index.ts';

export interface Fetched {
  url: string;
  text?: string;
  bytes?: Uint8Array;
  /** Why it could not be used, in words for the page's author. */
  error?: string;
}

/** Why a fetch of `url` failed, as a person can act on it. */
function fetchFailure(url: string, err: unknown): string {
  const sameOrigin = new URL(url).origin === location.origin;
  return sameOrigin
    ? `could not be fetched (${(err as Error).message}): is the site (or the network) up?`
    : `could not be fetched (${(err as Error).message}): the network is down, or its server does not allow this page's origin (${location.origin}) to read it (CORS).`;
}

/** Fetches each URL (relative ones against the page), keeping the order; a failure is one entry's error. */
export async function fetchAll(urls: readonly string[], as: 'text' | 'bytes'): Promise<Fetched[]> {
  return Promise.all(
    urls.map(async (given): Promise<Fetched> => {
      let url: string;
      try {
        url = new URL(given, location.href).href;
      } catch {
        return { url: given, error: 'is not a URL' };
      }
      let res: Response;
      try {
        res = await fetch(url);
      } catch (err) {
        return { url, error: fetchFailure(url, err) };
      }
      if (!res.ok) return { url, error: `answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}` };
      return as === 'text' ? { url, text: await res.text() } : { url, bytes: new Uint8Array(await res.arrayBuffer()) };
    }),
  );
}

/** The file name a URL gives a file in the terminal's working directory: its last path segment (a `data:` URL has none). */
export function fileNameOf(url: string): string {
  const u = new URL(url);
  if (u.protocol === 'data:') return 'data.txt';
  const last = u.pathname.split('/').pop() ?? '';
  let name: string;
  try {
    name = decodeURIComponent(last);
  } catch {
    name = last; // a stray % in the URL: the name as written
  }
  return name.replace(/[\\/]/g, '_') || 'index.html';
}

/** Checks each image layout URL (its oci-layout and index.json); the good ones, and an error for each of the others. */
export async function checkLayouts(urls: readonly string[]): Promise<{ good: string[]; errors: Fetched[] }> {
  const good: string[] = [];
  const errors: Fetched[] = [];
  for (const given of urls) {
    let url = given;
    try {
      url = new URL(given, location.href).href;
      await layoutSources(url).list();
      good.push(url);
    } catch (err) {
      errors.push({ url, error: (err as Error).message });
    }
  }
  return { good, errors };
}
