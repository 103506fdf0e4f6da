/**
 * PATCH bodies as the API server takes them: JSON Patch (RFC 6902, through
 * fast-json-patch), JSON Merge Patch (RFC 7386) and Kubernetes' strategic
 * merge patch, whose lists of named things merge item by item on their
 * merge key (containers by name, ports by containerPort, env by name, …) and
 * which understands the `$patch: delete|replace` and
 * `$deleteFromPrimitiveList/…` directives. Server-side apply is not served.
 */
import jsonPatch, { type Operation } from 'fast-json-patch';
import { ApiError } from '../api/index.ts';

export const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The merge key of a list field (the Go types' patchMergeKey), by the field's name. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  env: 'name',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  conditions: 'type',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
};
/** Lists of scalars merged as sets (patchStrategy merge without a key). */
const SET_LISTS = new Set(['finalizers']);

export function applyPatch(type: string, current: unknown, body: Uint8Array, kind: string): unknown {
  let patch: unknown;
  try {
    patch = JSON.parse(new TextDecoder().decode(body));
  } catch (err) {
    throw new ApiError('BadRequest', `error decoding patch: ${(err as Error).message}`);
  }
  const doc = structuredClone(current) as Json;
  if (type === 'application/json-patch+json') {
    if (!Array.isArray(patch)) throw new ApiError('BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    try {
      return jsonPatch.applyPatch(doc, patch as Operation[], true, false).newDocument;
    } catch (err) {
      throw new ApiError('Invalid', `the server rejected our request due to an error in our request: ${(err as Error).message}`);
    }
  }
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw new ApiError('BadRequest', `error decoding patch: the patch for a ${kind} must be a JSON object`);
  return type === 'application/merge-patch+json' ? mergePatch(doc, patch as Json) : strategicMerge(doc, patch as Json, '');
}

/** RFC 7386. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: { [k: string]: Json } = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}

function isMap(v: Json | undefined): v is { [k: string]: Json } {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function strategicMerge(target: Json, patch: Json, field: string): Json {
  if (!isMap(patch)) return patch;
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return rest;
  }
  if (patch.$patch === 'delete') return null;
  const out: { [k: string]: Json } = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$setElementOrder/') || k === '$retainKeys' || k === '$patch') continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const name = k.slice('$deleteFromPrimitiveList/'.length);
      const list = out[name];
      if (Array.isArray(list) && Array.isArray(v)) out[name] = list.filter((x) => !v.includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      out[k] = mergeList(Array.isArray(out[k]) ? (out[k] as Json[]) : [], v, k);
      continue;
    }
    const merged = strategicMerge(out[k] ?? null, v, k);
    if (merged === null) delete out[k];
    else out[k] = merged;
  }
  void field;
  return out;
}

function mergeList(current: Json[], patch: Json[], field: string): Json[] {
  if (patch.some((p) => isMap(p) && p.$patch === 'replace')) return patch.filter((p) => !(isMap(p) && p.$patch === 'replace'));
  if (SET_LISTS.has(field)) return [...current, ...patch.filter((p) => !current.includes(p))];
  let key = MERGE_KEYS[field];
  if (field === 'ports') key = patch.concat(current).some((p) => isMap(p) && 'containerPort' in p) ? 'containerPort' : 'port';
  if (!key) return patch;
  const out = [...current];
  for (const item of patch) {
    if (!isMap(item) || !(key in item)) {
      out.push(item);
      continue;
    }
    const at = out.findIndex((x) => isMap(x) && x[key!] === item[key!]);
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) out[at] = strategicMerge(out[at]!, item, field);
    else out.push(strategicMerge(null, item, field));
  }
  return out;
}
