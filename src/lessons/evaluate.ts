/**
 * Checks evaluated against a cluster's real state: object checks over the
 * API store's objects, command checks by running the command in the
 * session's shell. A result says whether the check passed and, when not,
 * what was seen (for a hint in the page and the verifier's report).
 */
import { resolveResource, type ApiStore, type KubeObject } from '../api/index.ts';
import { findJsonPathResults, parseJsonPath, type JsonPathTemplate } from '../cli/index.ts';
import type { Check, CommandCheck, Comparison, ObjectCheck } from './types.ts';

export interface CheckResult {
  passed: boolean;
  /** What was seen, when it did not pass (`status.readyReplicas is 2`, `exit status 1: …`). */
  seen?: string;
}

/** What a check runs against: the API objects, and a shell for command checks. */
export interface CheckTarget {
  api: ApiStore;
  exec(line: string): Promise<{ stdout: string; stderr: string; exitCode: number }>;
}

function show(v: unknown): string {
  return v === undefined ? 'missing' : JSON.stringify(v) ?? String(v);
}

/** Whether `value` passes `cmp` (a check with no comparison: the value exists). */
export function compare(value: unknown, cmp: Comparison): boolean {
  const text = value === undefined || value === null ? undefined : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (cmp.exists !== undefined) return (value !== undefined && value !== null) === cmp.exists;
  if (cmp.equals !== undefined) return text !== undefined && text === String(cmp.equals);
  if (cmp.notEquals !== undefined) return text !== String(cmp.notEquals);
  if (cmp.atLeast !== undefined) return text !== undefined && Number(text) >= cmp.atLeast;
  if (cmp.atMost !== undefined) return text !== undefined && Number(text) <= cmp.atMost;
  if (cmp.contains !== undefined) return text !== undefined && text.includes(cmp.contains);
  if (cmp.matches !== undefined) return text !== undefined && new RegExp(cmp.matches, 'm').test(text);
  return value !== undefined && value !== null;
}

function hasComparison(c: Comparison): boolean {
  return [c.equals, c.notEquals, c.atLeast, c.atMost, c.contains, c.matches, c.exists].some((v) => v !== undefined);
}

/** Parsed field paths: a check is evaluated on every change, its path parsed once. */
const templates = new Map<string, JsonPathTemplate | null>();

/** The value at a field path (`status.readyReplicas`, `spec.containers[0].image`, or a kubectl JSONPath `{…}`). */
export function valueAt(obj: unknown, path: string): unknown {
  let template = templates.get(path);
  if (template === undefined) {
    const text = path.trim().startsWith('{') ? path.trim() : `{.${path.trim().replace(/^\./, '')}}`;
    try {
      template = parseJsonPath(text);
    } catch {
      template = null;
    }
    if (templates.size > 1000) templates.clear();
    templates.set(path, template);
  }
  if (!template) return undefined;
  try {
    return findJsonPathResults(template, obj, { allowMissingKeys: true })[0]?.[0];
  } catch {
    return undefined;
  }
}

/** The objects a check looks at: its kind in its namespace, by name or selector. */
function objectsOf(api: ApiStore, check: ObjectCheck): KubeObject[] | undefined {
  const info = resolveResource(check.kind);
  if (!info) return undefined;
  const namespace = info.namespaced ? check.namespace : undefined;
  if (check.name !== undefined) {
    const one = api.tryGet(info.kind, namespace, check.name);
    return one ? [one] : [];
  }
  return api.list(info.kind, { namespace, ...(check.selector ? { labelSelector: check.selector } : {}) }).items;
}

export function evaluateObjectCheck(api: ApiStore, check: ObjectCheck): CheckResult {
  const objects = objectsOf(api, check);
  if (!objects) return { passed: false, seen: `the cluster has no resource type "${check.kind}"` };
  if (check.name !== undefined) {
    const obj = objects[0];
    if (check.exists === false && !check.path) return obj ? { passed: false, seen: `${check.kind} ${check.name} exists` } : { passed: true };
    if (!obj) return { passed: false, seen: `${check.kind} ${check.name} does not exist` };
    if (!check.path) return { passed: true };
    const value = valueAt(obj, check.path);
    return compare(value, check) ? { passed: true } : { passed: false, seen: `${check.path} is ${show(value)}` };
  }
  const passing = check.path ? objects.filter((o) => compare(valueAt(o, check.path!), check)) : objects;
  const n = passing.length;
  const count = check.count ?? { atLeast: 1 };
  const ok = typeof count === 'number' ? n === count : (count.atLeast === undefined || n >= count.atLeast) && (count.atMost === undefined || n <= count.atMost);
  return ok ? { passed: true } : { passed: false, seen: `${n} of ${objects.length} ${check.kind}${check.selector ? ` matching ${check.selector}` : ''}${check.path ? ` with ${check.path} as asked` : ''}` };
}

export async function evaluateCommandCheck(target: CheckTarget, check: CommandCheck): Promise<CheckResult> {
  const r = await target.exec(check.run);
  if (check.fails) return r.exitCode !== 0 ? { passed: true } : { passed: false, seen: 'it succeeded (exit status 0)' };
  if (r.exitCode !== check.exitCode) return { passed: false, seen: `exit status ${r.exitCode}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n')[0]}` : ''}` };
  if (!hasComparison(check)) return { passed: true };
  const out = r.stdout.replace(/\n$/, '');
  return compare(out, check) ? { passed: true } : { passed: false, seen: `it printed ${show(out.length > 200 ? out.slice(0, 200) + '…' : out)}` };
}

export function evaluateCheck(target: CheckTarget, check: Check): Promise<CheckResult> {
  return check.type === 'object' ? Promise.resolve(evaluateObjectCheck(target.api, check)) : evaluateCommandCheck(target, check);
}

/** Every check of a step, in order; the step passes when all do. The first that fails says what it saw. */
export async function evaluateChecks(target: CheckTarget, checks: readonly Check[]): Promise<CheckResult> {
  for (const c of checks) {
    const r = await evaluateCheck(target, c);
    if (!r.passed) return r;
  }
  return { passed: true };
}
