/**
 * Object metadata and the smaller core kinds (Namespace, ConfigMap, Secret,
 * Service, Node, PriorityClass, Event): the checks the API server makes on
 * them, in its words.
 */
import { fieldErrors, type FieldError } from '../errors.ts';
import type { KubeObject } from '../meta.ts';
import { annotationErrors, dns1123Label, dns1123Subdomain, labelErrors, nameErrors } from './names.ts';

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

function dns1035Label(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1035_LABEL.test(value)) out.push(DNS1035_MESSAGE);
  return out;
}

/** How each kind's names are checked (most: a DNS-1123 subdomain). */
/** path.IsValidPathSegmentName: what RBAC objects' names must be (they may hold ':', as `system:discovery`). */
function pathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  for (const bad of ['/', '%']) if (value.includes(bad)) return [`may not contain '${bad}'`];
  return [];
}

const NAME_RULE: Record<string, (v: string) => string[]> = {
  Namespace: dns1123Label,
  Service: dns1035Label,
  Role: pathSegmentName,
  ClusterRole: pathSegmentName,
  RoleBinding: pathSegmentName,
  ClusterRoleBinding: pathSegmentName,
};

export function metadataErrors(obj: KubeObject): FieldError[] {
  const m = obj.metadata;
  const out: FieldError[] = [];
  if (m.name) out.push(...nameErrors('metadata.name', m.name, NAME_RULE[obj.kind] ?? dns1123Subdomain));
  out.push(...labelErrors('metadata.labels', m.labels), ...annotationErrors('metadata.annotations', m.annotations));
  (m.ownerReferences ?? []).forEach((r, i) => {
    for (const f of ['apiVersion', 'kind', 'name', 'uid'] as const) if (!r[f]) out.push(fieldErrors.required(`metadata.ownerReferences[${i}].${f}`));
  });
  if ((m.ownerReferences ?? []).filter((r) => r.controller).length > 1) {
    out.push(fieldErrors.invalid('metadata.ownerReferences', m.ownerReferences, 'Only one reference can have Controller set to true'));
  }
  return out;
}

const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
function dataKeyErrors(field: string, data: unknown): FieldError[] {
  const out: FieldError[] = [];
  for (const k of Object.keys((data as Record<string, unknown>) ?? {})) {
    if (!DATA_KEY.test(k) || k === '.' || k === '..' || k.startsWith('..')) {
      out.push(fieldErrors.invalid(field, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
    }
  }
  return out;
}

export function configMapErrors(obj: KubeObject): FieldError[] {
  const out = [...dataKeyErrors('data', obj.data), ...dataKeyErrors('binaryData', obj.binaryData)];
  for (const k of Object.keys((obj.data as object) ?? {})) if (k in ((obj.binaryData as object) ?? {})) out.push(fieldErrors.invalid('data', k, 'duplicate of key present in binaryData'));
  return out;
}

export function secretErrors(obj: KubeObject): FieldError[] {
  const out = dataKeyErrors('data', obj.data);
  for (const [k, v] of Object.entries((obj.data as Record<string, unknown>) ?? {})) {
    if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) out.push(fieldErrors.invalid(`data[${k}]`, v, 'illegal base64 data'));
  }
  return out;
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

export function serviceErrors(obj: KubeObject): FieldError[] {
  const spec = (obj.spec ?? {}) as { type?: string; ports?: Array<{ name?: string; port?: number; protocol?: string }> };
  const out: FieldError[] = [];
  if (spec.type !== undefined && !SERVICE_TYPES.includes(spec.type)) out.push(fieldErrors.notSupported('spec.type', spec.type, SERVICE_TYPES));
  if (spec.type !== 'ExternalName' && !spec.ports?.length) out.push(fieldErrors.required('spec.ports'));
  (spec.ports ?? []).forEach((p, i) => {
    if (!(Number(p.port) >= 1 && Number(p.port) <= 65535)) out.push(fieldErrors.invalid(`spec.ports[${i}].port`, p.port, 'must be between 1 and 65535, inclusive'));
    if ((spec.ports?.length ?? 0) > 1 && !p.name) out.push(fieldErrors.required(`spec.ports[${i}].name`));
  });
  return out;
}

export function nodeErrors(obj: KubeObject): FieldError[] {
  const spec = (obj.spec ?? {}) as { taints?: Array<{ key?: string; effect?: string }> };
  const out: FieldError[] = [];
  if (spec.taints !== undefined && !Array.isArray(spec.taints)) return [fieldErrors.invalid('spec.taints', spec.taints, 'must be a list of taints (key, value, effect)')];
  (spec.taints ?? []).forEach((t, i) => {
    if (!t.key) out.push(fieldErrors.required(`spec.taints[${i}].key`));
    if (!t.effect) out.push(fieldErrors.required(`spec.taints[${i}].effect`));
    else if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) out.push(fieldErrors.notSupported(`spec.taints[${i}].effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
  });
  return out;
}

export function priorityClassErrors(obj: KubeObject): FieldError[] {
  const value = obj.value;
  const out: FieldError[] = [];
  if (typeof value !== 'number') out.push(fieldErrors.required('value'));
  else if (value > 1_000_000_000 && !String(obj.metadata.name).startsWith('system-')) out.push(fieldErrors.forbidden('value', 'maximum allowed value of a user defined priority is 1000000000'));
  return out;
}

export function eventErrors(obj: KubeObject): FieldError[] {
  const involved = obj.involvedObject as { namespace?: string } | undefined;
  const out: FieldError[] = [];
  if (!involved) out.push(fieldErrors.required('involvedObject'));
  if (!obj.reason) out.push(fieldErrors.required('reason'));
  if (obj.type !== undefined && !['Normal', 'Warning'].includes(String(obj.type))) out.push(fieldErrors.notSupported('type', obj.type, ['Normal', 'Warning']));
  return out;
}
