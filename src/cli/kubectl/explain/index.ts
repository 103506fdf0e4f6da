/**
 * `kubectl explain TYPE[.field…]`: a kind's or a field's documentation in
 * kubectl's OpenAPI v3 `plaintext` layout (kubectl/pkg/explain/v2/templates/
 * plaintext.tmpl), wrapped as its go-wordwrap wraps, from podplay's own
 * field tree (./schema.ts, loaded when the command first runs). `--recursive`
 * prints the tree of fields without descriptions.
 */
import { KINDS, type KindInfo } from '../../../api/index.ts';
import { CommandError } from '../../io.ts';
import type { Command, Invocation } from '../../program.ts';
import { resourceType, resourceWords } from '../resources.ts';
import { TYPES, fieldsOf, loadTypes, typeDescriptions, typeLabel, walk, type FieldDoc } from './schema.ts';

export { TYPES, type FieldDoc, type TypeDoc } from './schema.ts';

const SUGGEST = 'Use "kubectl api-resources" for a complete list of supported resources.';

/** go-wordwrap v1.0.1 WrapString: breaks at white space before a word would pass `limit`; longer words stay whole. */
export function wrap(text: string, limit: number): string {
  let out = '';
  let current = 0;
  let word = '';
  let wordLen = 0;
  let space = '';
  let spaceLen = 0;
  for (const ch of text) {
    if (ch === '\n') {
      if (word === '') {
        if (current + spaceLen <= limit) out += space;
      } else {
        out += space + word;
      }
      out += ch;
      current = 0;
      space = word = '';
      spaceLen = wordLen = 0;
    } else if (/\s/u.test(ch) && ch !== '\u00a0') {
      if (space === '' || word !== '') {
        current += spaceLen + wordLen;
        out += space + word;
        space = word = '';
        spaceLen = wordLen = 0;
      }
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (current + wordLen + spaceLen > limit && wordLen < limit) {
        out += '\n';
        current = 0;
        space = '';
        spaceLen = 0;
      }
    }
  }
  if (word === '') {
    if (current + spaceLen <= limit) out += space;
  } else {
    out += space + word;
  }
  return out;
}

/** The template's `indent`: every line, the empty last one included, gets `n` spaces. */
const indent = (n: number, text: string) => {
  const pad = ' '.repeat(n);
  return pad + text.replaceAll('\n', `\n${pad}`);
};

const enumValue = (v: string) => (v === '' ? '""' : v);

/** One field: `name\t<type> -required-`, its enum (four values at most), and unless `short` its wrapped description. */
function fieldDetail(name: string, field: FieldDoc, level: number, short: boolean): string {
  const at = level * 2;
  let text = `${' '.repeat(at)}${name}\t<${typeLabel(field.type)}>`;
  if (field.required) text += ' -required-';
  if (field.enum?.length) {
    const shown = field.enum.slice(0, 4).map(enumValue).join(', ');
    text += `\n${' '.repeat(at)}enum: ${shown}${field.enum.length > 4 ? ', ....' : ''}`;
  }
  text += '\n';
  if (!short) text += `${indent(at + 2, wrap(field.description || '<no description>', 78 - at))}\n\n`;
  return text;
}

/** The FIELDS section: each field of `type`'s objects, and with `recursive` theirs below them (a type is not entered twice on one path). */
function fieldList(type: string, level: number, recursive: boolean, seen: ReadonlySet<string> = new Set()): string {
  const named = type.replace(/^(\[\]|map\[string\])+/, '');
  if (seen.has(named)) return '';
  const path = new Set([...seen, named]);
  let text = '';
  for (const [name, field] of fieldsOf(type)) {
    text += fieldDetail(name, field, level, recursive);
    if (recursive) text += fieldList(field.type, level + 1, recursive, path);
  }
  return text;
}

/** `kubectl explain` output for a kind (its schema named after it) or a field path in it. */
export function renderExplain(info: KindInfo, path: readonly string[], recursive: boolean): string {
  let text = info.group ? `GROUP:      ${info.group}\n` : '';
  text += `KIND:       ${info.kind}\nVERSION:    ${info.version}\n\n`;
  let type = info.kind;
  let descriptions = typeDescriptions(type);
  if (path.length) {
    const steps = walk(info.kind, path);
    if (!steps) throw new CommandError(`error: field "${path.at(-1)}" does not exist`);
    const { name, field } = steps.at(-1)!;
    text += `FIELD: ${name} <${typeLabel(field.type)}>\n`;
    if (field.enum?.length) text += `ENUM:${field.enum.map((v) => `\n    ${enumValue(v)}`).join('')}`;
    text += '\n\n';
    type = field.type;
    descriptions = [...(field.description ? [field.description] : []), ...typeDescriptions(type)];
  }
  const description = descriptions.map((d) => `${d}\n`).join('') || '<empty>';
  text += `DESCRIPTION:\n${indent(4, wrap(description, 76))}\n`;
  const fields = fieldList(type, 1, recursive);
  if (fields) text += `FIELDS:\n${fields}`;
  return `${text}\n`;
}

/** A schema as kubectl's OpenAPI v2 explain (kube-openapi util/proto) sees it. */
type V2Schema =
  | { is: 'array'; description: string; sub: V2Schema }
  | { is: 'map'; description: string; sub: V2Schema }
  | { is: 'reference'; description: string; name: string }
  | { is: 'primitive'; type: string; description: string }
  | { is: 'kind'; name: string };

function v2Schema(type: string, description: string): V2Schema {
  if (type.startsWith('[]')) return { is: 'array', description, sub: v2Schema(type.slice(2), '') };
  if (type.startsWith('map[string]')) return { is: 'map', description, sub: v2Schema(type.slice(11), '') };
  if (['string', 'integer', 'boolean', 'number'].includes(type)) return { is: 'primitive', type, description };
  return { is: 'reference', description, name: type };
}

/** What a reference points at: an object type is a kind; Time, Quantity and IntOrString are strings in the v2 document. */
const v2Target = (name: string): V2Schema => (TYPES[name]?.fields ? { is: 'kind', name } : { is: 'primitive', type: 'string', description: TYPES[name]?.description ?? '' });

function v2TypeName(s: V2Schema): string {
  if (s.is === 'array') return `[]${v2TypeName(s.sub)}`;
  if (s.is === 'map') return `map[string]${v2TypeName(s.sub)}`;
  if (s.is === 'reference') return v2TypeName(v2Target(s.name));
  return s.is === 'kind' ? 'Object' : s.type;
}

const byteLength = (s: string) => new TextEncoder().encode(s).length;

/** kubectl's explain Formatter wrapString: words refilled to `width`, keeping code blocks, blank lines, list items and lines after a colon. */
export function wrapLines(text: string, width: number): string[] {
  const wrapped: string[] = [];
  let words: string[] = [];
  let lastWord = '';
  const flush = () => {
    if (!words.length) return;
    lastWord = '';
    wrapped.push(words.join(' '));
    words = [];
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('    ')) {
      flush();
      wrapped.push(line);
      continue;
    }
    if (wrapped.length > 0 && line.trim() === '') {
      flush();
      wrapped.push('');
      continue;
    }
    if (lastWord.endsWith(':') || line.trim() === '' || /^(\d+\.?|-|\*)\s/.test(line.trim())) flush();
    for (const word of line.split(/\s+/).filter(Boolean)) {
      lastWord = word;
      if (words.length && byteLength([...words, word].join(' ')) > width) flush();
      words.push(word);
    }
  }
  flush();
  return wrapped;
}

/** The Formatter's WriteWrapped at `at` spaces of an 80-column page: empty lines stay unindented. */
const writeWrapped = (text: string, at: number) =>
  wrapLines(text, 80 - at)
    .map((l) => (l === '' ? '\n' : `${' '.repeat(at)}${l}\n`))
    .join('');

function v2Fields(s: V2Schema, at: number, recursive: boolean, seen: ReadonlySet<string> = new Set()): string {
  if (s.is === 'array' || s.is === 'map') return v2Fields(s.sub, at, recursive, seen);
  if (s.is === 'reference') return seen.has(s.name) ? '' : v2Fields(v2Target(s.name), at, recursive, new Set([...seen, s.name]));
  if (s.is === 'primitive') return '';
  let text = '';
  for (const [name, field] of fieldsOf(s.name)) {
    const sub = v2Schema(field.type, field.description);
    if (recursive) {
      text += `${' '.repeat(at)}${name}\t<${v2TypeName(sub)}>\n${v2Fields(sub, at + 3, true, seen)}`;
    } else {
      text += `${' '.repeat(at)}${name}\t<${v2TypeName(sub)}>${field.required ? ' -required-' : ''}\n${writeWrapped(field.description, at + 2)}\n`;
    }
  }
  return text;
}

/** `kubectl explain -o plaintext-openapiv2`: the layout kubectl printed from the OpenAPI v2 document (kubectl/pkg/explain). */
export function renderExplainV2(info: KindInfo, path: readonly string[], recursive: boolean): string {
  // field_lookup.go: walk through arrays, maps and references; a scalar ends the walk early.
  let schema: V2Schema = { is: 'kind', name: info.kind };
  for (let i = 0; i < path.length; ) {
    if (schema.is === 'primitive') break;
    if (schema.is === 'array' || schema.is === 'map') schema = schema.sub;
    else if (schema.is === 'reference') schema = v2Target(schema.name);
    else {
      const field = fieldsOf(schema.name).find(([name]) => name === path[i])?.[1];
      if (!field) throw new CommandError(`error: field "${path[i]}" does not exist`);
      schema = v2Schema(field.type, field.description);
      i++;
    }
  }
  // model_printer.go: descriptions gathered on the way down to the kind or scalar.
  const name = path.at(-1) ?? '';
  const descriptions: string[] = [];
  let type = '';
  for (;;) {
    if (schema.is === 'array' || schema.is === 'map') {
      descriptions.push(schema.description);
      type ||= v2TypeName(schema);
      schema = schema.sub;
    } else if (schema.is === 'reference') {
      descriptions.push(schema.description);
      schema = v2Target(schema.name);
    } else break;
  }
  let text = `KIND:     ${info.kind}\nVERSION:  ${info.group ? `${info.group}/` : ''}${info.version}\n\n`;
  type ||= v2TypeName(schema);
  if (schema.is === 'kind' && name) text += `RESOURCE: ${name} <${type}>\n\n`;
  if (schema.is === 'primitive') text += `FIELD:    ${name} <${type}>\n\n`;
  descriptions.push(schema.is === 'kind' ? (TYPES[schema.name]?.description ?? '') : schema.description);
  text += 'DESCRIPTION:\n';
  if (descriptions.every((d) => !d)) text += writeWrapped('<empty>', 5);
  descriptions.forEach((d, i) => {
    if (d) text += `${i !== 0 ? '\n' : ''}${writeWrapped(d, 5)}`;
  });
  if (schema.is === 'kind') text += `\nFIELDS:\n${v2Fields(schema, 3, recursive)}`;
  return text;
}

/** The group-versions podplay serves, `v1`, `apps/v1`…: where `--api-version` may point. */
const SERVED = new Set(KINDS.map((k) => (k.group ? `${k.group}/${k.version}` : k.version)));

/** apimachinery's ParseGroupVersion. */
function parseGroupVersion(text: string): { group: string; version: string } {
  if (text === '' || text === '/') return { group: '', version: '' };
  const slashes = text.split('/').length - 1;
  if (slashes === 0) return { group: '', version: text };
  if (slashes === 1) return { group: text.slice(0, text.indexOf('/')), version: text.slice(text.indexOf('/') + 1) };
  throw new CommandError(`error: unexpected GroupVersion string: ${text}`);
}

/**
 * The kind and field path a `TYPE.field…` argument names. As kubectl does, a
 * group after the resource (`deployments.apps.spec`) belongs to the resource
 * unless `--api-version` is given.
 */
function parseTarget(arg: string, apiVersion: string): { info: KindInfo; path: string[] } {
  const text = arg.endsWith('.') ? arg.slice(0, -1) : arg;
  const [first, ...rest] = text.split('.');
  const info = resourceType(first!);
  const groupResource = info.group ? `${info.resource}.${info.group}` : info.resource;
  if (!apiVersion && text.startsWith(groupResource)) {
    const suffix = text.slice(groupResource.length);
    return { info, path: suffix ? suffix.split('.').slice(1) : [] };
  }
  return { info, path: rest };
}

/**
 * Child field names of a dotted path (`pod.spec` → `activeDeadlineSeconds`,
 * `affinity`…), for completion; none when it names no object, or before the
 * field tree is loaded ({@link loadTypes}).
 */
export function explainFields(path: string): string[] {
  try {
    const { info, path: fields } = parseTarget(path, '');
    const steps = walk(info.kind, fields);
    if (!steps) return [];
    return fieldsOf(steps.at(-1)?.field.type ?? info.kind).map(([name]) => name);
  } catch {
    return [];
  }
}

const FORMATS = ['plaintext', 'plaintext-openapiv2'];

async function run(inv: Invocation): Promise<number> {
  if (inv.args.length === 0) throw new CommandError(`error: You must specify the type of resource to explain. ${SUGGEST}`);
  if (inv.args.length > 1) throw new CommandError('error: We accept only this format: explain RESOURCE');
  await loadTypes();
  const apiVersion = inv.flags['api-version'] as string;
  const { info, path } = parseTarget(inv.args[0]!, apiVersion);
  const output = inv.flags.output as string;
  const recursive = inv.flags.recursive as boolean;
  const gv = apiVersion ? parseGroupVersion(apiVersion) : { group: info.group, version: info.version };
  if (output === 'plaintext-openapiv2') {
    if (gv.group !== info.group || gv.version !== info.version) throw new CommandError(`error: couldn't find resource for "${gv.group}/${gv.version}, Kind=${info.kind}"`);
    inv.io.out(renderExplainV2(info, path, recursive));
    return 0;
  }
  if (output !== 'plaintext') throw new CommandError(`error: unrecognized format: ${output}`);
  const gvr = `${gv.group}/${gv.version}, Resource=${info.resource}`;
  if (!SERVED.has(gv.group ? `${gv.group}/${gv.version}` : gv.version)) throw new CommandError(`error: couldn't find resource for "${gvr}"`);
  const shown = KINDS.find((k) => k.resource === info.resource && k.group === gv.group && k.version === gv.version);
  if (!shown) throw new CommandError(`error: GVR (${gvr}) not found in OpenAPI schema`);
  inv.io.out(renderExplain(shown, path, recursive));
  return 0;
}

export const explain: Command = {
  name: 'explain',
  short: 'Get documentation for a resource',
  use: 'explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2]',
  long: `Describe fields and structure of various resources.\n\n This command describes the fields associated with each supported API resource. Fields are identified via a simple JSONPath identifier:\n\n  <type>.<fieldName>[.<fieldName>]\n\n Information about each field is retrieved from the server in OpenAPI format.\n\n${SUGGEST}`,
  examples: `  # Get the documentation of the resource and its fields
  kubectl explain pods

  # Get all the fields in the resource
  kubectl explain pods --recursive

  # Get the explanation for deployment in supported api versions
  kubectl explain deployments --api-version=apps/v1

  # Get the documentation of a specific field of a resource
  kubectl explain pods.spec.containers

  # Get the documentation of resources in different format
  kubectl explain deployment --output=plaintext-openapiv2`,
  group: 'Basic Commands (Intermediate):',
  flags: [
    { name: 'recursive', type: 'bool', default: false, help: 'Print the fields of fields (Currently only 1 level deep)' },
    { name: 'api-version', type: 'string', help: 'Get different explanations for particular API version (API group/version)' },
    { name: 'output', short: 'o', type: 'string', default: 'plaintext', help: 'Format in which to render the schema (plaintext, plaintext-openapiv2)', values: FORMATS },
  ],
  run,
  complete: (env, args) => (args.length === 0 ? resourceWords() : []),
};
