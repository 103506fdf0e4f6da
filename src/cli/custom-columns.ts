/**
 * kubectl's custom-columns output (k8s.io/kubectl pkg/cmd/get/customcolumn.go):
 * `-o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName`, or a
 * custom-columns-file whose first line holds the headers and second line the
 * field expressions, both split on whitespace. Each expression may be written
 * `metadata.name`, `.metadata.name`, `{metadata.name}` or `{.metadata.name}`
 * (RelaxedJSONPathExpression). A cell shows every value the expression finds,
 * as Go's fmt.Sprint prints it (`map[app:web]` for a map), joined by `,`;
 * `<none>` when it finds nothing. Rows are meant for `formatTable` in
 * table.ts, which aligns them as kubectl's tabwriter does.
 */
import { findJsonPathResults, formatGoValue, parseJsonPath } from './jsonpath.ts';

/** One column: its header and its JSONPath template in full `{.a.b}` form. */
export interface CustomColumn {
  header: string;
  path: string;
}

/** A malformed column spec or template file, in kubectl's words. */
export class CustomColumnsError extends Error {
  readonly code = 'CustomColumnsInvalid';
  constructor(message: string) {
    super(message);
    this.name = 'CustomColumnsError';
  }
}

const RELAXED = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/**
 * kubectl's RelaxedJSONPathExpression: `a.b`, `.a.b`, `{a.b}` and `{.a.b}`
 * all become `{.a.b}`; the empty string stays empty (a column that is always
 * `<none>`). Braces anywhere else are an error.
 */
export function relaxedJsonPathExpression(expr: string): string {
  if (expr === '') return expr;
  const m = RELAXED.exec(expr);
  if (!m) throw new CustomColumnsError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  return `{.${m[1] ?? m[2]}}`;
}

/**
 * Columns from a `-o custom-columns=` spec: comma-separated `HEADER:expr`
 * pairs, split at the first `:` (so an expression may hold colons but no
 * commas, as in kubectl). Throws {@link CustomColumnsError}.
 */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec === '') throw new CustomColumnsError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new CustomColumnsError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), path: relaxedJsonPathExpression(part.slice(colon + 1)) };
  });
}

/** Lines as Go's bufio.Scanner reads them: split at `\n`, a trailing `\r` dropped, no empty last line. */
function scanLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

const words = (line: string) => line.split(/\s+/u).filter((w) => w !== '');

/**
 * Columns from a custom-columns-file: headers on the first line, expressions
 * on the second, both whitespace-separated; later lines are ignored. kubectl
 * prints the header row for this form even with --no-headers. Throws
 * {@link CustomColumnsError}.
 */
export function parseCustomColumnsFile(text: string): CustomColumn[] {
  const [headerLine, specLine] = scanLines(text);
  const expected = 'Expected format is one line of space separated headers, one line of space separated column specs.';
  if (headerLine === undefined) throw new CustomColumnsError(`invalid template, missing header line. ${expected}`);
  if (specLine === undefined) throw new CustomColumnsError(`invalid template, missing spec line. ${expected}`);
  const headers = words(headerLine);
  const specs = words(specLine);
  if (headers.length !== specs.length) {
    throw new CustomColumnsError(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  }
  return headers.map((header, i) => ({ header, path: relaxedJsonPathExpression(specs[i]!) }));
}

/** kubectl's printers.EscapeTerminal: ESC and CR cannot reach the terminal raw. */
const escapeTerminal = (s: string) => s.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');

/** A `kind: …List` object stands for its items, as kubectl's meta.ExtractList expands it. */
function expandLists(objects: readonly unknown[]): unknown[] {
  return objects.flatMap((o) => {
    const obj = o as { kind?: unknown; items?: unknown } | null;
    return obj && typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items) ? obj.items : [o];
  });
}

/**
 * The table kubectl prints for `objects`: the header row (unless
 * `noHeaders`), then one row per object (List objects expanded to their
 * items). Missing fields give `<none>` (kubectl allows missing keys here).
 * Throws JsonPathError for an expression that does not parse, or that fails
 * on an object (an index out of bounds, say), as kubectl stops there too.
 */
export function customColumnRows(columns: readonly CustomColumn[], objects: readonly unknown[], noHeaders = false): string[][] {
  const templates = columns.map((c) => parseJsonPath(c.path));
  const rows = noHeaders ? [] : [columns.map((c) => c.header)];
  for (const obj of expandLists(objects)) {
    rows.push(templates.map((template) => {
      const results = findJsonPathResults(template, obj, { allowMissingKeys: true });
      const values = results.length === 0 || results[0]!.length === 0 ? ['<none>'] : [];
      for (const group of results) for (const v of group) values.push(escapeTerminal(formatGoValue(v)));
      return values.join(',');
    }));
  }
  return rows;
}
