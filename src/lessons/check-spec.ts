import { DEFAULT_CHECK_TIMEOUT, type Check, type Comparison } from './types.ts';

/** What a check block may say, by key; anything else is a mistake worth naming. */
const COMPARISONS = ['equals', 'notEquals', 'atLeast', 'atMost', 'contains', 'matches', 'exists'] as const;
const COMMAND_KEYS = new Set(['run', 'exitCode', 'fails', 'timeout', ...COMPARISONS]);
const OBJECT_KEYS = new Set(['kind', 'name', 'namespace', 'selector', 'path', 'count', 'timeout', ...COMPARISONS]);

/** A check block's entry that could not be read: the message, and the key it is about when it is about one. */
export class CheckSpecError extends Error {
  constructor(
    message: string,
    readonly key?: string,
  ) {
    super(message);
  }
}

function closest(key: string, keys: Set<string>): string | undefined {
  const lower = key.toLowerCase();
  return [...keys].find((k) => k.toLowerCase() === lower || k.toLowerCase().startsWith(lower) || lower.startsWith(k.toLowerCase()));
}

function seconds(value: unknown): number {
  if (value === undefined) return DEFAULT_CHECK_TIMEOUT;
  if (typeof value === 'number' && value > 0) return value;
  const m = typeof value === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim()) : null;
  if (!m) throw new CheckSpecError(`timeout: ${JSON.stringify(value)} is not a duration (60s, 2m, 500ms)`, 'timeout');
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n;
}

function comparison(entry: Record<string, unknown>): Comparison {
  const given = COMPARISONS.filter((k) => entry[k] !== undefined);
  if (given.length > 1) throw new CheckSpecError(`a check compares one way: give one of ${given.join(', ')}`);
  const out: Comparison = {};
  for (const k of given) {
    const v = entry[k];
    if ((k === 'atLeast' || k === 'atMost') && typeof v !== 'number') throw new CheckSpecError(`${k}: needs a number, not ${JSON.stringify(v)}`, k);
    if (k === 'exists' && typeof v !== 'boolean') throw new CheckSpecError(`exists: needs true or false, not ${JSON.stringify(v)}`, k);
    if ((k === 'contains' || k === 'matches') && typeof v !== 'string') throw new CheckSpecError(`${k}: needs text, not ${JSON.stringify(v)}`, k);
    if (k === 'matches') {
      try {
        new RegExp(v as string);
      } catch (err) {
        throw new CheckSpecError(`matches: ${(err as Error).message}`, k);
      }
    }
    if ((k === 'equals' || k === 'notEquals') && !['string', 'number', 'boolean'].includes(typeof v)) throw new CheckSpecError(`${k}: needs a text, number or true/false value`, k);
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/**
 * One check from a check block's YAML entry: `run:` (a command; its exit
 * status, `exitCode` 0 unless said, and its output compared) or `kind:`
 * (API objects: `name` or `selector`, a `path` compared, or a `count`).
 */
export function readCheck(entry: unknown, line: number): Check {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new CheckSpecError('a check is a mapping: run: … (a command) or kind: … (API objects)');
  const e = entry as Record<string, unknown>;
  const isCommand = e.run !== undefined;
  const isObject = e.kind !== undefined;
  if (isCommand === isObject) {
    const type = e.type ?? e.check;
    throw new CheckSpecError(type !== undefined ? `unknown check kind ${JSON.stringify(type)}: a check has run: (a kubectl or docker command) or kind: (API objects)` : isCommand ? 'a check has run: or kind:, not both' : 'unknown check kind: a check has run: (a kubectl or docker command) or kind: (API objects)');
  }
  const keys = isCommand ? COMMAND_KEYS : OBJECT_KEYS;
  for (const key of Object.keys(e)) {
    if (keys.has(key)) continue;
    const near = closest(key, keys);
    throw new CheckSpecError(`unknown key ${key}:${near ? ` (did you mean ${near}?)` : ''} in a ${isCommand ? 'run:' : 'kind:'} check`, key);
  }
  const timeout = seconds(e.timeout);
  if (isCommand) {
    if (typeof e.run !== 'string' || !e.run.trim()) throw new CheckSpecError('run: needs the command line to run');
    if (e.exitCode !== undefined && !Number.isInteger(e.exitCode)) throw new CheckSpecError('exitCode: needs a whole number', 'exitCode');
    if (e.fails !== undefined && typeof e.fails !== 'boolean') throw new CheckSpecError('fails: needs true or false', 'fails');
    if (e.fails && e.exitCode !== undefined) throw new CheckSpecError('fails: and exitCode: say the same thing twice: give one', 'fails');
    return { type: 'command', run: e.run.trim(), exitCode: (e.exitCode as number | undefined) ?? 0, ...(e.fails ? { fails: true } : {}), timeout, line, ...comparison(e) };
  }
  for (const k of ['kind', 'name', 'namespace', 'selector', 'path'] as const) {
    if (e[k] !== undefined && typeof e[k] !== 'string') throw new CheckSpecError(`${k}: needs text`);
  }
  let count: number | Pick<Comparison, 'atLeast' | 'atMost'> | undefined;
  if (e.count !== undefined) {
    if (e.name !== undefined) throw new CheckSpecError('count: counts the objects a selector matches; a check with name: looks at that one object');
    if (typeof e.count === 'number' && Number.isInteger(e.count)) count = e.count;
    else if (e.count && typeof e.count === 'object' && Object.keys(e.count).every((k) => k === 'atLeast' || k === 'atMost') && Object.values(e.count).every((v) => typeof v === 'number')) count = e.count as Pick<Comparison, 'atLeast' | 'atMost'>;
    else throw new CheckSpecError('count: needs a number, or atLeast:/atMost: numbers');
  }
  const cmp = comparison(e);
  if (e.path !== undefined && Object.keys(cmp).length === 0) throw new CheckSpecError(`path: ${String(e.path)} needs a comparison: equals, notEquals, atLeast, atMost, contains, matches or exists`);
  return {
    type: 'object',
    kind: e.kind as string,
    ...(e.name !== undefined ? { name: e.name as string } : {}),
    namespace: (e.namespace as string | undefined) ?? 'default',
    ...(e.selector !== undefined ? { selector: e.selector as string } : {}),
    ...(e.path !== undefined ? { path: e.path as string } : {}),
    ...(count !== undefined ? { count } : {}),
    timeout,
    line,
    ...cmp,
  };
}
