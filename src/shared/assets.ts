/**
 * Where podplay's built files are served: the folder that holds podplay.js,
 * `assets/` (its chunks and the node worker), `wasmer-sdk/` and `images/`
 * (the bundled image layout). Relative to that folder, so a site can copy
 * the build under any path without rebuilding.
 *
 * The entry that knows the folder sets it once per thread ({@link setAssetsBase}):
 * podplay.js from its own URL, a page that bundles podplay from its
 * configuration, a node worker from what the page tells it. Under the dev
 * server the folder is the server's root.
 */
let base: string | undefined;

const here = () => (globalThis as { location?: { href: string } }).location?.href;

export function setAssetsBase(url: string | URL): void {
  const href = new URL(url, here()).href;
  base = href.endsWith('/') ? href : `${href}/`;
}

/** The folder, when it is known (always under the dev server). */
export function assetsBase(): string | undefined {
  if (base) return base;
  const env = (import.meta as ImportMeta & { env?: { DEV?: boolean; BASE_URL?: string } }).env;
  const origin = (globalThis as { location?: { origin: string } }).location?.origin;
  if (env?.DEV && origin) return new URL(env.BASE_URL ?? '/', origin).href;
  return undefined;
}

/** A file of the build, by its path in it (`images`, `wasmer-sdk/dist/index.js`). */
export function assetUrl(path: string): string {
  const root = assetsBase();
  if (!root) {
    throw new Error(`podplay cannot find its files (${path}): load podplay.js from the folder it was built into, or give the folder's URL (createSandbox({ assetsUrl }) or <podplay-sandbox assets="…">)`);
  }
  return new URL(path, root).href;
}
