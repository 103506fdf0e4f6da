/**
 * kubectl apply (client-side): create the object when it is new; otherwise
 * a three-way merge of the last applied manifest (kept in the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation), the new
 * manifest and the live object. Fields the manifest dropped are removed,
 * fields it sets are set, and what others set (defaults, controllers) stays.
 * Lists of named items (containers, env, volumes…) merge by name, as a
 * strategic merge patch does; other lists are replaced.
 */
import { apiVersionOf, kindFor, type KindInfo } from './kinds.ts';
import { LAST_APPLIED, type KubeObject } from './meta.ts';
import type { ApiStore } from './store.ts';

export interface ApplyResult {
  object: KubeObject;
  /** What kubectl prints after the object's name: `pod/web created`. */
  action: 'created' | 'configured' | 'unchanged';
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObject = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON with keys in order, as Go marshals a map. */
function sorted(v: unknown): Json {
  if (Array.isArray(v)) return v.map(sorted);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]));
  return v as Json;
}

/** The annotation's value: the manifest as applied, with its namespace, without the annotation itself. */
export function lastAppliedOf(manifest: KubeObject, info: KindInfo, namespace: string): string {
  const copy = structuredClone(manifest) as KubeObject;
  copy.metadata = { ...copy.metadata, annotations: { ...copy.metadata.annotations } };
  delete copy.metadata.annotations![LAST_APPLIED];
  if (info.namespaced) copy.metadata.namespace = namespace;
  return JSON.stringify(sorted(copy));
}

const named = (list: unknown[]) => list.length > 0 && list.every((x) => isObject(x) && typeof x.name === 'string');

/** Fields merged with the strategic merge patch's retainKeys: only the keys the manifest gives survive (a strategy's type and its options go together). */
const RETAIN_KEYS = new Set(['strategy', 'updateStrategy']);
/** Lists whose items retain only their manifest's keys (a volume has one source). */
const RETAIN_ITEMS = new Set(['volumes']);

function mergeLists(current: Json[] | undefined, original: Json[] | undefined, modified: Json[], retain: boolean): Json[] {
  if (!named(modified) || (current && current.length && !named(current))) return modified;
  const byName = (l: Json[] | undefined) => new Map((l ?? []).filter(isObject).map((x) => [String(x.name), x]));
  const cur = byName(current);
  const orig = byName(original);
  const mod = byName(modified);
  const out: Json[] = modified.map((m) => merge3(cur.get(String((m as Record<string, Json>).name)), orig.get(String((m as Record<string, Json>).name)), m, retain));
  // Items someone else added stay; items this manifest applied before and now dropped go.
  for (const [name, c] of cur) if (!mod.has(name) && !orig.has(name)) out.push(c);
  return out;
}

function merge3(current: Json | undefined, original: Json | undefined, modified: Json, retain = false): Json {
  if (isObject(modified)) {
    const base: Record<string, Json> = isObject(current) ? { ...current } : {};
    if (retain) for (const k of Object.keys(base)) if (!(k in modified)) delete base[k];
    const out = base;
    if (isObject(original)) for (const k of Object.keys(original)) if (!(k in modified)) delete out[k];
    for (const [k, v] of Object.entries(modified)) {
      const cur = isObject(current) ? current[k] : undefined;
      const orig = isObject(original) ? original[k] : undefined;
      out[k] = Array.isArray(v) ? mergeLists(Array.isArray(cur) ? cur : undefined, Array.isArray(orig) ? orig : undefined, v, RETAIN_ITEMS.has(k)) : merge3(cur, orig, v, RETAIN_KEYS.has(k));
    }
    return out;
  }
  if (Array.isArray(modified)) return mergeLists(Array.isArray(current) ? current : undefined, Array.isArray(original) ? original : undefined, modified, false);
  return modified;
}

/**
 * Applies one decoded manifest. `namespace` is where an object without one
 * goes (kubectl's -n, or `default`).
 */
export function applyObject(store: ApiStore, manifest: KubeObject, namespace = 'default', options: { dryRun?: boolean } = {}): ApplyResult {
  const info = kindFor(manifest.apiVersion, manifest.kind);
  if (!info) throw new Error(`apply of an undecoded object: ${manifest.apiVersion} ${manifest.kind}`);
  const ns = info.namespaced ? manifest.metadata?.namespace || namespace : '';
  const name = manifest.metadata?.name;
  const annotation = lastAppliedOf(manifest, info, ns);
  const live = name ? store.tryGet(info.kind, ns, name) : undefined;
  if (!live) {
    const obj = structuredClone(manifest) as KubeObject;
    obj.apiVersion = apiVersionOf(info);
    obj.metadata = { ...obj.metadata, annotations: { ...obj.metadata?.annotations, [LAST_APPLIED]: annotation } };
    if (info.namespaced) obj.metadata.namespace = ns;
    return { object: store.create(obj, options), action: 'created' };
  }
  const originalText = live.metadata.annotations?.[LAST_APPLIED];
  const original = originalText ? (JSON.parse(originalText) as Json) : undefined;
  const modified = sorted(manifest) as Record<string, Json>;
  const metadata = { ...(modified.metadata as Record<string, Json>) };
  metadata.annotations = { ...((metadata.annotations as Record<string, Json>) ?? {}), [LAST_APPLIED]: annotation };
  if (info.namespaced) metadata.namespace = ns;
  modified.metadata = metadata;
  if (isObject(original)) {
    // The annotation itself is the one field apply always owns.
    const om = { ...((original.metadata as Record<string, Json>) ?? {}) };
    om.annotations = { ...((om.annotations as Record<string, Json>) ?? {}), [LAST_APPLIED]: '' };
    original.metadata = om;
  }
  const merged = merge3(sorted(live), original, modified) as unknown as KubeObject;
  merged.metadata.resourceVersion = live.metadata.resourceVersion;
  const updated = store.update(merged, options);
  // An update that changes nothing gives the stored object back.
  return { object: updated, action: updated === live ? 'unchanged' : 'configured' };
}
