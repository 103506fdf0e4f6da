/**
 * docker's Go templates (`inspect -f`, `ps`/`images`/`history --format`):
 * Go's text/template with docker/cli's functions (templates.go:
 * json, split, join, title, lower, upper, pad, truncate), and its words for
 * a template that does not parse (`template parsing error: …`).
 */
import { TemplateError, parseTemplate, type TemplateFunction } from '../go-template.ts';
import { CommandError } from '../io.ts';

const str = (v: unknown) => (typeof v === 'string' ? v : String(v ?? ''));

const DOCKER_FUNCTIONS: Record<string, TemplateFunction> = {
  // encoding/json with SetEscapeHTML(false), the trailing newline trimmed.
  json: (v) => JSON.stringify(v === undefined ? null : v),
  split: (s, sep) => str(s).split(str(sep)),
  join: (list, sep) => (Array.isArray(list) ? list.map(str).join(str(sep)) : str(list)),
  title: (s) => str(s).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_, b: string, c: string) => b + c.toUpperCase()),
  lower: (s) => str(s).toLowerCase(),
  upper: (s) => str(s).toUpperCase(),
  pad: (s, prefix, suffix) => `${' '.repeat(Number(prefix) || 0)}${str(s)}${' '.repeat(Number(suffix) || 0)}`,
  truncate: (s, n) => ([...str(s)].length <= Number(n) ? str(s) : [...str(s)].slice(0, Number(n)).join('')),
};

const parsed = new Map<string, (data: unknown) => string>();

/** A docker template's renderer; a template that does not parse is docker's error (exit `exitCode`). */
export function dockerTemplate(text: string, exitCode = 1): (data: unknown) => string {
  let render = parsed.get(text);
  if (!render) {
    try {
      render = parseTemplate(text, DOCKER_FUNCTIONS);
    } catch (err) {
      if (err instanceof TemplateError) throw new CommandError(`template parsing error: ${err.message}`, exitCode);
      throw err;
    }
    if (parsed.size > 64) parsed.clear();
    parsed.set(text, render);
  }
  const run = render;
  return (data) => {
    try {
      return run(data);
    } catch (err) {
      if (err instanceof TemplateError) throw new CommandError(err.message, 1);
      throw err;
    }
  };
}
