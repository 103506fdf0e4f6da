/**
 * apimachinery's fieldpath.ExtractFieldPathAsString: the metadata fields a
 * downward-API fieldRef may name, as text. Maps print as sorted `key="value"`
 * lines (fieldpath.FormatMap, values quoted as Go's %q).
 */
import type { KubeObject } from './meta.ts';

function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(map![k])}`)
    .join('\n');
}

/** The value of a metadata field path, or undefined when the path is not one of them. */
export function metadataField(obj: KubeObject, path: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? obj.metadata.labels : obj.metadata.annotations)?.[m[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return obj.metadata.name ?? '';
    case 'metadata.namespace':
      return obj.metadata.namespace ?? '';
    case 'metadata.uid':
      return obj.metadata.uid ?? '';
    case 'metadata.labels':
      return formatMap(obj.metadata.labels);
    case 'metadata.annotations':
      return formatMap(obj.metadata.annotations);
    default:
      return undefined;
  }
}
