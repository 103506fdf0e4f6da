/**
 * The field tree `kubectl explain` walks: the API types podplay serves, each
 * with the description the API server's OpenAPI v3 document gives it
 * (generated from the k8s.io/api v1.35 Go comments, enum notes included),
 * cut down to the fields podplay keeps and acts on: object metadata and the
 * small shared types (apimachinery meta/v1); Pod, PodSpec, Container, the
 * volume types podplay runs and PodStatus (core/v1); scheduling (affinity,
 * taints, topology spread); Deployment, ReplicaSet, DaemonSet and Job
 * (apps/v1, batch/v1); Service, ConfigMap, Secret, Namespace, Node and Event
 * (core/v1). A field's type reads as kubectl prints it: `string`,
 * `integer`, `boolean`, a type's name (`PodSpec`), `[]T` for a list and
 * `map[string]T` for a map.
 *
 * The tree is data, ./schema.json, not code: a page fetches it from the
 * build's folder when `kubectl explain` first runs ({@link loadTypes}); from
 * the sources (Node, the dev server) it is read beside this module.
 */
import { assetUrl, importNodeOnly } from '../../../shared/index.ts';

/** A field of an API type, as the OpenAPI document describes it. */
export interface FieldDoc {
  /** `string`, `integer`, `boolean`, `number`, a type's name, `[]T` or `map[string]T`. */
  type: string;
  description: string;
  required?: boolean;
  /** The values an enum field takes, in the order the API lists them. */
  enum?: readonly string[];
}

/** An API type: an object with fields, or a named scalar (`Quantity`, `Time`). */
export interface TypeDoc {
  description: string;
  /** The JSON type a named scalar has, printed instead of its name (`Time` is a `string`). */
  primitive?: 'string';
  fields?: Readonly<Record<string, FieldDoc>>;
}

/** Where a production build puts ./schema.json (see vite.config.ts). */
export const EXPLAIN_SCHEMA_PATH = 'assets/kubectl-explain.json';

/** The data file beside this module in the sources; a variable, so that no bundler copies it as an asset of its own. */
const SOURCE = './schema.json';

const types: Record<string, TypeDoc> = {};

/**
 * Every type by name; each kind's own type is named after the kind. Empty
 * until {@link loadTypes} has resolved, except in Node, where the sources
 * fill it as this module loads.
 */
export const TYPES: Readonly<Record<string, TypeDoc>> = types;

// Node running the sources (tsx) reads the file at once, so that lookups work before the command first runs.
if (!import.meta.env?.PROD) {
  const process = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process;
  const fs = process?.getBuiltinModule?.('node:fs') as typeof import('node:fs') | undefined;
  if (fs) Object.assign(types, JSON.parse(fs.readFileSync(new URL(SOURCE, import.meta.url), 'utf8')));
}

async function readTypes(): Promise<Record<string, TypeDoc>> {
  const url = import.meta.env?.PROD ? assetUrl(EXPLAIN_SCHEMA_PATH) : new URL(/* @vite-ignore */ SOURCE, import.meta.url).href;
  if (url.startsWith('file:')) {
    const { readFile } = await importNodeOnly<typeof import('node:fs/promises')>('node:fs/promises');
    return JSON.parse(await readFile(new URL(url), 'utf8'));
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not fetch the API's field documentation (${url}): HTTP ${res.status}. Copy all of podplay's build folder, ${EXPLAIN_SCHEMA_PATH} included.`);
  return res.json();
}

let loading: Promise<void> | undefined;

/** Fills {@link TYPES}, once; after a failure the next call tries again. */
export function loadTypes(): Promise<void> {
  if (Object.keys(types).length) return Promise.resolve();
  return (loading ??= readTypes().then(
    (read) => void Object.assign(types, read),
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  ));
}

const PRIMITIVES = new Set(['string', 'integer', 'boolean', 'number']);
const LIST = '[]';
const MAP = 'map[string]';

/** What a list or map holds (`[]Container` → `Container`), or undefined for anything else. */
export function elementType(type: string): string | undefined {
  if (type.startsWith(LIST)) return type.slice(LIST.length);
  if (type.startsWith(MAP)) return type.slice(MAP.length);
  return undefined;
}

/** The type as kubectl prints it between `<` and `>` (its template's typeGuess). */
export function typeLabel(type: string): string {
  if (type.startsWith(LIST)) return LIST + typeLabel(type.slice(LIST.length));
  if (type.startsWith(MAP)) return MAP + typeLabel(type.slice(MAP.length));
  if (PRIMITIVES.has(type)) return type;
  return TYPES[type]?.primitive ?? type;
}

/** The named type a field's type comes down to, through lists and maps (`[]Container` → its TypeDoc). */
export function namedType(type: string): TypeDoc | undefined {
  const inner = elementType(type);
  if (inner !== undefined) return namedType(inner);
  return PRIMITIVES.has(type) ? undefined : TYPES[type];
}

/** The fields an object of this type has (through lists and maps), sorted by name; none for scalars. */
export function fieldsOf(type: string): Array<[string, FieldDoc]> {
  const fields = namedType(type)?.fields ?? {};
  return Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The descriptions kubectl shows for a field: its own, then its type's (a
 * list's or map's element type's), one per line as its template joins them.
 */
export function typeDescriptions(type: string): string[] {
  const inner = elementType(type);
  if (inner !== undefined) return typeDescriptions(inner);
  const doc = PRIMITIVES.has(type) ? undefined : TYPES[type];
  return doc?.description ? [doc.description] : [];
}

/** One step of a field path: the field's name and its doc. */
export interface PathStep {
  name: string;
  field: FieldDoc;
}

/**
 * Follows `path` from the type `root`; undefined when a name along it is not
 * a field (kubectl then names the path's last element as missing).
 */
export function walk(root: string, path: readonly string[]): PathStep[] | undefined {
  const steps: PathStep[] = [];
  let type = root;
  for (const name of path) {
    const field = Object.hasOwn(namedType(type)?.fields ?? {}, name) ? namedType(type)!.fields![name]! : undefined;
    if (!field) return undefined;
    steps.push({ name, field });
    type = field.type;
  }
  return steps;
}
