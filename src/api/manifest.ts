/**
 * Manifests as kubectl reads them: YAML or JSON, several documents per file,
 * `kind: List` flattened; each object mapped to a kind podplay serves and
 * decoded strictly. Errors are worded as kubectl and the API server word
 * them. The only user of the `yaml` library.
 */
import { parseAllDocuments, stringify } from 'yaml';
import { ApiError, apiErrors } from './errors.ts';
import { kindFor } from './kinds.ts';
import type { KubeObject } from './meta.ts';
import { SCHEMAS, typeError, unknownFields } from './schema.ts';

/** An error kubectl prints itself (not one from the server): `error: …`. */
export class ManifestError extends Error {
  readonly code = 'ManifestInvalid';
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
  kubectlMessage(): string {
    return `error: ${this.message}`;
  }
}

/** Parses every document of a manifest file; `source` names it in errors (a file name, a URL, `STDIN`). */
export function parseManifests(text: string, source: string): KubeObject[] {
  // YAML 1.1, as kubectl reads it (go-yaml v2 under sigs.k8s.io/yaml): 0755 is octal (defaultMode), yes/no are booleans.
  const docs = parseAllDocuments(text, { uniqueKeys: false, version: '1.1' });
  const out: KubeObject[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const problem = doc.errors[0];
    if (problem) {
      const line = problem.linePos?.[0]?.line;
      throw new ManifestError(`error parsing ${source}: error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${problem.message.split('\n')[0]}`);
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new ManifestError(`error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`);
    const obj = value as KubeObject;
    if (obj.kind === 'List' && Array.isArray(obj.items)) out.push(...(obj.items as KubeObject[]));
    else out.push(obj);
  }
  return out;
}

/**
 * Checks that an object names a kind podplay serves in that apiVersion
 * (kubectl's REST mapping) and has no unknown field (the API server's strict
 * decoding); gives the object as it is.
 */
export function decodeObject(obj: KubeObject, source: string): KubeObject {
  const { apiVersion, kind } = obj ?? {};
  if (!kind) throw new ManifestError(`error validating "${source}": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false`);
  if (!apiVersion) throw new ManifestError(`error validating "${source}": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false`);
  const info = kindFor(String(apiVersion), String(kind));
  if (!info) {
    const name = obj.metadata?.name ?? '';
    const namespace = obj.metadata?.namespace ?? '';
    throw new ManifestError(
      `resource mapping not found for name: ${JSON.stringify(name)} namespace: ${JSON.stringify(namespace)} from ${JSON.stringify(source)}: no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}\nensure CRDs are installed first`,
    );
  }
  const mistyped = typeError(obj, SCHEMAS[info.kind] ?? true);
  if (mistyped) throw apiErrors.badRequest(`${info.kind} in version ${JSON.stringify(info.version)} cannot be handled as a ${info.kind}: ${mistyped}`);
  const unknown = unknownFields(obj, SCHEMAS[info.kind] ?? true);
  if (unknown.length) {
    throw apiErrors.badRequest(`${info.kind} in version ${JSON.stringify(info.version)} cannot be handled as a ${info.kind}: strict decoding error: ${unknown.map((f) => `unknown field ${JSON.stringify(f)}`).join(', ')}`);
  }
  return obj;
}

/**
 * kubectl's AddSourceToErr: a server error about a manifest names the
 * action and the file (`error when creating "web.yaml": …`).
 */
export function withSource(err: unknown, verb: 'creating' | 'retrieving current configuration of' | 'applying patch' | 'deleting' | 'replacing', source: string): unknown {
  if (!(err instanceof ApiError) || err.reason === 'Invalid') return err;
  const wrapped = new ApiError(err.reason, `error when ${verb} ${JSON.stringify(source)}: ${err.message}`, err.details);
  return wrapped;
}

/** Keys sorted at every level. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

/**
 * An object as `kubectl get -o yaml` writes it (sigs.k8s.io/yaml over
 * yaml.v2): keys sorted, sequences not indented under their key, YAML 1.1
 * quoting (`"1"`, `"true"`, `"y"`, timestamps), no line folding.
 */
export function toYaml(value: unknown): string {
  return stringify(sortKeys(value), { version: '1.1', indentSeq: false, lineWidth: 0 });
}
