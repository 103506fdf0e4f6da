/**
 * kubectl get --sort-by: objects ordered by the value a JSONPath finds in
 * each (`.metadata.creationTimestamp`, `{.status.containerStatuses[0].restartCount}`):
 * numbers as numbers, timestamps as times, other values as text; objects
 * without the field first. A path no object has is kubectl's error.
 */
import type { KubeObject } from '../../api/index.ts';
import { relaxedJsonPathExpression } from '../custom-columns.ts';
import { CommandError } from '../io.ts';
import { findJsonPathResults } from '../jsonpath.ts';

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function valueOf(obj: KubeObject, template: string): unknown {
  try {
    return findJsonPathResults(template, obj, { allowMissingKeys: true })[0]?.[0];
  } catch {
    return undefined;
  }
}

export function sortObjects(objects: readonly KubeObject[], expression: string): KubeObject[] {
  let template: string;
  try {
    template = relaxedJsonPathExpression(expression);
  } catch (err) {
    throw new CommandError(`error: ${(err as Error).message}`);
  }
  const keyed = objects.map((o) => ({ o, v: valueOf(o, template) }));
  if (objects.length && keyed.every((k) => k.v === undefined)) {
    throw new CommandError(`error: couldn't find any field with path "${template}" in the list of objects`);
  }
  const rank = (v: unknown): [number, number | string] => {
    if (v === undefined || v === null) return [0, ''];
    if (typeof v === 'number') return [1, v];
    if (typeof v === 'string' && TIMESTAMP.test(v)) return [1, Date.parse(v)];
    return [2, typeof v === 'string' ? v : JSON.stringify(v)];
  };
  return keyed
    .map((k) => ({ ...k, r: rank(k.v) }))
    .sort((a, b) => (a.r[0] !== b.r[0] ? a.r[0] - b.r[0] : a.r[1] < b.r[1] ? -1 : a.r[1] > b.r[1] ? 1 : 0))
    .map((k) => k.o);
}
