/**
 * Pieces the podplay commands share: their `TYPE NAME` / `TYPE/NAME`
 * arguments, read as kubectl reads them, and how they lay out what they
 * print, in kubectl's manner: `Key:  value` blocks as describe aligns them,
 * sections with a title line and an indented table (uppercase headers,
 * tabwriter columns) followed by notes, and prose wrapped to fit a
 * 100-column terminal.
 */
import { resolveResource } from '../../api/index.ts';
import { UsageError } from '../flags.ts';
import { CommandError } from '../io.ts';
import { formatTable } from '../table.ts';
import { wrap } from '../kubectl/explain/index.ts';

/**
 * The names of `kind` objects the arguments give: `TYPE NAME…` (any of the
 * kind's words: pod, pods, po) or `TYPE/NAME…`, with kubectl's errors for
 * the rest. `path` and `example` word the usage errors (`podplay explain`, `pod NAME`).
 */
export function namesOf(args: readonly string[], kind: string, path: string, example: string): string[] {
  if (!args.length) throw new UsageError(`You must specify what to ${path.split(' ').at(-1)}: ${path} ${example}`);
  const check = (word: string) => {
    const info = resolveResource(word);
    if (!info) throw new CommandError(`error: the server doesn't have a resource type "${word}"`);
    if (info.kind !== kind) throw new CommandError(`error: ${path} takes ${kind.toLowerCase()}s (${example}), not ${info.resource}`);
  };
  if (args.some((a) => a.includes('/'))) {
    return args.map((a) => {
      if (!a.includes('/')) throw new UsageError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. '${path} resource/<resource_name>' instead of '${path} resource resource/<resource_name>'`);
      check(a.slice(0, a.indexOf('/')));
      const name = a.slice(a.indexOf('/') + 1);
      if (!name) throw new CommandError('error: arguments in resource/name form must have a single resource and name');
      return name;
    });
  }
  check(args[0]!);
  if (args.length === 1) throw new UsageError('resource(s) were provided, but no name was specified');
  return args.slice(1);
}

/** Terminal width the prose is wrapped to. */
const WIDTH = 100;

/** A space prose is not wrapped at (it is printed as a space). */
export const NBSP = '\u00a0';

/**
 * Prose wrapped at `width` columns as kubectl wraps (go-wordwrap), at spaces
 * but not at {@link NBSP}: every line indented by `indent`, the lines after
 * the first by `hang` more.
 */
export function wrapText(text: string, indent = '', hang = '', width = WIDTH): string {
  if (!text) return '';
  const [first, ...rest] = wrap(text, width - indent.length - hang.length).split('\n');
  return [indent + first, ...rest.map((l) => indent + hang + l)].map((l) => l.replaceAll(NBSP, ' ') + '\n').join('');
}

/** Every non-empty line of `text` indented. */
const indentLines = (text: string, indent: string) => text.replace(/^(?=.)/gm, indent);

/** `Key:  value` lines aligned as kubectl describe aligns them (tabwriter, padding 2). */
export function keyValues(rows: ReadonlyArray<readonly [string, string]>): string {
  return formatTable(rows.map(([k, v]) => [`${k}:`, v]), { minWidth: 0, padding: 2 });
}

/**
 * A section: its title line, then (indented by two) a table whose first row
 * is the header, then each note wrapped as prose.
 */
export function section(title: string, rows: ReadonlyArray<readonly string[]>, notes: readonly string[] = []): string {
  let out = wrapText(title, '', '  ');
  if (rows.length) out += indentLines(formatTable(rows), '  ');
  for (const note of notes) out += wrapText(note, '  ', '  ');
  return out;
}

/** Node names as people sort them: node-2 before node-10. */
export const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** `1 pod`, `3 pods`. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
