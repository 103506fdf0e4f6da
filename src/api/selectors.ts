/**
 * Label selectors (`app=web,tier!=db`, `env in (a,b)`, `!canary`, and the
 * matchLabels / matchExpressions of objects) and field selectors
 * (`metadata.name=web`, `spec.nodeName=`, `status.phase!=Running`), with
 * apimachinery's semantics: every requirement must hold; `!=` and `notin`
 * also match objects without the key.
 */
import { apiErrors } from './errors.ts';
import type { KubeObject, LabelSelector } from './meta.ts';

export interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/** A parsed label selector; the empty selector matches everything. */
export type Selector = Requirement[];

export function matches(selector: Selector, labels: Record<string, string> | undefined): boolean {
  for (let i = 0; i < selector.length; i++) {
    const r = selector[i]!;
    // Label values are strings: undefined means the key is absent.
    const value = labels === undefined ? undefined : labels[r.key];
    const has = value !== undefined;
    const op = r.operator;
    if (op === 'In') {
      if (!has || !r.values.includes(value)) return false;
    } else if (op === 'NotIn') {
      if (has && r.values.includes(value)) return false;
    } else if (op === 'Exists') {
      if (!has) return false;
    } else if (has) return false;
  }
  return true;
}

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function checkKey(key: string, text: string): void {
  if (!KEY.test(key)) throw apiErrors.badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${text}"`);
}
function checkValue(value: string, text: string): void {
  if (value.length > 63 || !VALUE.test(value)) throw apiErrors.badRequest(`unable to parse requirement: invalid label value: "${value}" in selector "${text}"`);
}

/** Splits on commas outside parentheses. */
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

/** Parses the `-l` / `labelSelector` string form. */
export function parseLabelSelector(text: string | undefined): Selector {
  if (!text?.trim()) return [];
  const out: Selector = [];
  for (const term of splitTerms(text)) {
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^!\s*(\S+)$/))) {
      checkKey(m[1]!, text);
      out.push({ key: m[1]!, operator: 'DoesNotExist', values: [] });
    } else if ((m = term.match(/^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      checkKey(m[1]!, text);
      const values = m[3]!.split(',').map((v) => v.trim());
      values.forEach((v) => checkValue(v, text));
      out.push({ key: m[1]!, operator: m[2] === 'in' ? 'In' : 'NotIn', values });
    } else if ((m = term.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/))) {
      checkKey(m[1]!, text);
      checkValue(m[3]!, text);
      out.push({ key: m[1]!, operator: m[2] === '!=' ? 'NotIn' : 'In', values: [m[3]!] });
    } else if ((m = term.match(/^(\S+)$/))) {
      checkKey(m[1]!, text);
      out.push({ key: m[1]!, operator: 'Exists', values: [] });
    } else {
      throw apiErrors.badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
    }
  }
  return out;
}

/** An object's selector (matchLabels and matchExpressions) as requirements. */
export function fromLabelSelector(selector: LabelSelector | undefined): Selector {
  const out: Selector = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) out.push({ key, operator: 'In', values: [value] });
  for (const e of selector?.matchExpressions ?? []) out.push({ key: e.key, operator: e.operator, values: e.values ?? [] });
  return out;
}

/** The selector's `-l` form, as kubectl describe prints it: `app=web,tier in (a,b)`. */
export function formatSelector(selector: Selector): string {
  return selector
    .map((r) => {
      if (r.operator === 'Exists') return r.key;
      if (r.operator === 'DoesNotExist') return `!${r.key}`;
      if (r.values.length === 1) return `${r.key}${r.operator === 'In' ? '=' : '!='}${r.values[0]}`;
      return `${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${r.values.join(',')})`;
    })
    .join(',');
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** Fields every kind can be selected by, plus each kind's own (as the API server allows). */
const FIELDS: Record<string, (o: KubeObject) => string> = {
  'metadata.name': (o) => o.metadata.name ?? '',
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};
const KIND_FIELDS: Record<string, Record<string, (o: KubeObject) => string>> = {
  Pod: {
    'spec.nodeName': (o) => String((o.spec as { nodeName?: string })?.nodeName ?? ''),
    'spec.schedulerName': (o) => String((o.spec as { schedulerName?: string })?.schedulerName ?? ''),
    'spec.restartPolicy': (o) => String((o.spec as { restartPolicy?: string })?.restartPolicy ?? ''),
    'status.phase': (o) => String((o.status as { phase?: string })?.phase ?? ''),
    'status.podIP': (o) => String((o.status as { podIP?: string })?.podIP ?? ''),
  },
  Node: { 'spec.unschedulable': (o) => String((o.spec as { unschedulable?: boolean })?.unschedulable ?? false) },
  Event: {
    'involvedObject.kind': (o) => String((o.involvedObject as { kind?: string })?.kind ?? ''),
    'involvedObject.name': (o) => String((o.involvedObject as { name?: string })?.name ?? ''),
    'involvedObject.namespace': (o) => String((o.involvedObject as { namespace?: string })?.namespace ?? ''),
    'involvedObject.uid': (o) => String((o.involvedObject as { uid?: string })?.uid ?? ''),
    reason: (o) => String(o.reason ?? ''),
    type: (o) => String(o.type ?? ''),
  },
  Secret: { type: (o) => String(o.type ?? '') },
  Job: { 'status.successful': (o) => String((o.status as { succeeded?: number })?.succeeded ?? 0) },
};

/** Parses `--field-selector`; fields a kind does not support are refused as the API server does. */
export function parseFieldSelector(text: string | undefined, kind: string): FieldRequirement[] {
  if (!text?.trim()) return [];
  return text.split(',').map((term) => {
    const m = term.trim().match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw apiErrors.badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const field = m[1]!;
    if (!FIELDS[field] && !KIND_FIELDS[kind]?.[field]) throw apiErrors.badRequest(`field label not supported: ${field}`);
    return { field, op: m[2] === '!=' ? '!=' : '=', value: m[3]! };
  });
}

export function matchesFields(reqs: FieldRequirement[], o: KubeObject): boolean {
  for (const r of reqs) {
    const get = FIELDS[r.field] ?? KIND_FIELDS[o.kind]?.[r.field];
    const v = get ? get(o) : '';
    if ((v === r.value) !== (r.op === '=')) return false;
  }
  return true;
}
