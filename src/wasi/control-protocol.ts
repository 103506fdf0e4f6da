/**
 * The control directory's protocol, shared by its parts (see control.ts).
 */
export const CONTROL_DIR = '/run/podplay';
export const CONTROL_FILE = 'ctl';

/** A request: a JSON object with an `op`. */
export type Request = Record<string, unknown> & { op?: unknown };

/** What a part answers for a request that is not its own. */
export const NOT_MINE = Symbol('not mine');

export function requestError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

export function str(req: Request, key: string): string {
  const v = req[key];
  if (typeof v !== 'string' || v === '') throw requestError(`${String(req.op)}: "${key}" must be a non-empty string`, 'EINVAL');
  return v;
}

export function num(req: Request, key: string): number {
  const v = req[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw requestError(`${String(req.op)}: "${key}" must be a number`, 'EINVAL');
  return v;
}
