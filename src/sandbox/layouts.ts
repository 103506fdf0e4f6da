import { LayoutSource, SourceChain, type FetchFn, type ImageSource } from '../oci/index.ts';

/** The bundled layout, after any others (a site's own images): where names without a registry are pulled from. */
export function layoutSources(layoutUrl: string, extra: readonly string[] = [], fetchFn: FetchFn = (u, init) => fetch(u, init)): ImageSource {
  const bundled = LayoutSource.fromUrl(layoutUrl, fetchFn);
  return extra.length ? new SourceChain([...extra.map((u) => LayoutSource.fromUrl(u, fetchFn)), bundled]) : bundled;
}
