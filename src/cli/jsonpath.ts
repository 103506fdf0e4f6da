/**
 * kubectl's JSONPath templates (`-o jsonpath=…`), as k8s.io/client-go
 * util/jsonpath parses and runs them: text outside `{}` prints as is, each
 * `{…}` action prints its results joined by one space: strings raw, numbers
 * and booleans as Go's fmt, maps and arrays as compact JSON (json.Marshal:
 * keys sorted, `<>&` escaped), null as `<nil>`. Errors carry client-go's words.
 * kubectl passes the template through untouched, so `-o jsonpath=.a.b`
 * prints the text `.a.b` (only custom-columns relaxes bare paths). Where Go
 * leaves an order random (map keys under `*` and `..`), key order is used.
 */

/** A parse or execution error, in client-go's words (`unclosed action`, `name is not found`). */
export class JsonPathError extends Error {
  readonly code: 'JsonPathParse' | 'JsonPathExecute';
  constructor(readonly phase: 'parse' | 'execute', message: string) {
    super(message);
    this.name = 'JsonPathError';
    this.code = phase === 'parse' ? 'JsonPathParse' : 'JsonPathExecute';
  }
}

/** One bound of `[start:end:step]`; `derived` marks the end of a plain index `[n]` (n+1). */
export interface SliceParam { value: number; known: boolean; derived: boolean }
export interface ListNode { type: 'list'; nodes: JsonPathNode[] }
/** The parse tree, node for node as client-go's parser builds it. */
export type JsonPathNode =
  | ListNode | { type: 'text'; text: string } | { type: 'field'; name: string } | { type: 'wildcard' } | { type: 'recursive' }
  | { type: 'array'; params: [SliceParam, SliceParam, SliceParam] }
  | { type: 'union'; branches: ListNode[] }
  | { type: 'filter'; left: ListNode; right: ListNode; operator: string }
  | { type: 'int' | 'float'; value: number } | { type: 'bool'; value: boolean } | { type: 'identifier'; name: string };

/** A parsed template: text nodes and one list node per `{…}` action. */
export interface JsonPathTemplate { readonly nodes: readonly JsonPathNode[] }

/** `allowMissingKeys`: a missing field yields nothing, not `x is not found` (kubectl's --allow-missing-template-keys, default true). */
export interface JsonPathOptions { allowMissingKeys?: boolean }

const EOF = -1;
const char = (r: number) => (r < 0 ? '' : String.fromCodePoint(r));
const isEndOfLine = (r: number) => r === 0x0d || r === 0x0a;
const isDigit = (r: number) => /\p{Nd}/u.test(char(r));
const isAlphaNumeric = (r: number) => /[\p{L}\p{Nd}_]/u.test(char(r));
const isTerminator = (r: number) => r === EOF || ' \t\r\n.,[]$@{}'.includes(char(r));

/** Go's %#U: `U+002A '*'`, the character left out when it is not printable. */
function goRune(r: number): string {
  const hex = 'U+' + r.toString(16).toUpperCase().padStart(4, '0');
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(char(r)) ? `${hex} '${char(r)}'` : hex;
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };
const ESCAPE = /\\(?:([abfnrtv\\'"])|(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})|([0-7]{3}))|\\|['"]/g;

/** Go's strconv.Unquote, extended (client-go's UnquoteExtend) to single quotes; undefined for invalid syntax. */
function unquoteExtend(s: string): string | undefined {
  const q = s[0];
  if (s.length < 2 || q !== s[s.length - 1] || (q !== '"' && q !== "'")) return undefined;
  let ok = true;
  const out = s.slice(1, -1).replace(ESCAPE, (m, c?: string, hex?: string, oct?: string) => {
    if (c) { // \' is valid only inside '…', \" only inside "…"
      if ((c === "'" || c === '"') && c !== q) ok = false;
      return ESCAPES[c]!;
    }
    if (!hex && !oct) { // a bare backslash, or the closing quote inside
      if (m === '\\' || m === q) ok = false;
      return m;
    }
    const code = hex ? parseInt(hex.slice(1), 16) : parseInt(oct!, 8);
    if (code > (oct ? 0xff : 0x10ffff) || (hex?.[0] !== 'x' && code >= 0xd800 && code < 0xe000)) ok = false;
    return ok ? String.fromCodePoint(code) : m;
  });
  return ok ? out : undefined;
}

const parseError = (message: string) => new JsonPathError('parse', message);
/** client-go's Parser: a hand-written scanner over the template's code points. */
class Parser {
  private pos = 0;
  private start = 0;
  private width = 0;
  readonly root: ListNode = { type: 'list', nodes: [] };
  constructor(private readonly input: string) {}

  private next(): number {
    const r = this.input.codePointAt(this.pos) ?? EOF;
    this.width = r < 0 ? 0 : r > 0xffff ? 2 : 1;
    this.pos += this.width;
    return r;
  }
  private backup() { this.pos -= this.width; }
  private peek() { const r = this.next(); this.backup(); return r; }
  private skipWhile(pred: (r: number) => boolean) { while (pred(this.next())); this.backup(); }
  private consumeText() { const v = this.input.slice(this.start, this.pos); this.start = this.pos; return v; }
  private at(prefix: string) { return this.input.startsWith(prefix, this.pos); }
  private skip(n: number) { this.pos += n; this.consumeText(); }
  private pushText() { if (this.pos > this.start) this.root.nodes.push({ type: 'text', text: this.consumeText() }); }
  parse(): ListNode {
    for (let open = this.input.indexOf('{'); open >= 0; open = this.input.indexOf('{', this.pos)) {
      this.pos = open;
      this.pushText();
      this.skip(1);
      const action: ListNode = { type: 'list', nodes: [] };
      this.root.nodes.push(action);
      this.parseInsideAction(action);
    }
    this.pos = this.input.length;
    this.pushText();
    return this.root;
  }
  /** Scans one action up to and including its `}`. */
  private parseInsideAction(cur: ListNode): void {
    for (;;) {
      if (this.at('}')) { this.skip(1); return; }
      if (this.at('[?(')) { this.parseFilter(cur); continue; }
      if (this.at('..')) { this.parseRecursive(cur); continue; }
      const r = this.next();
      if (r === EOF || isEndOfLine(r)) throw parseError('unclosed action');
      if (r === 0x20 || r === 0x40 || r === 0x24) this.consumeText(); // ' ', and '@' / '$' (the current object)
      else if (r === 0x5b) this.parseArray(cur);
      else if (r === 0x22 || r === 0x27) this.parseQuote(cur, r);
      else if (r === 0x2e) this.parseField(cur);
      else if (r === 0x2b || r === 0x2d || isDigit(r)) { this.backup(); this.parseNumber(cur); }
      else if (isAlphaNumeric(r)) { this.backup(); this.parseIdentifier(cur); }
      else throw parseError(`unrecognized character in action: ${goRune(r)}`);
    }
  }
  /** Keywords (`range`, `end`) and the booleans `true`/`false`. */
  private parseIdentifier(cur: ListNode) {
    this.skipWhile((r) => !isTerminator(r));
    const value = this.consumeText();
    cur.nodes.push(value === 'true' || value === 'false' ? { type: 'bool', value: value === 'true' } : { type: 'identifier', name: value });
  }
  private parseRecursive(cur: ListNode) {
    if (cur.nodes[cur.nodes.length - 1]?.type === 'recursive') throw parseError('invalid multiple recursive descent');
    this.skip(2);
    cur.nodes.push({ type: 'recursive' });
    if (isAlphaNumeric(this.peek())) this.parseField(cur);
  }
  private parseNumber(cur: ListNode) {
    if (this.at('+') || this.at('-')) this.next();
    this.skipWhile((r) => r === 0x2e || isDigit(r));
    const value = this.consumeText();
    if (/^[+-]?[0-9]+$/.test(value)) cur.nodes.push({ type: 'int', value: Number(value) });
    else if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(value)) cur.nodes.push({ type: 'float', value: Number(value) });
    else throw parseError(`cannot parse number ${value}`);
  }
  /** `[n]`, `[s:e:step]`, `[*]`, `['key']` and unions `[a,b]`. */
  private parseArray(cur: ListNode) {
    for (let r = this.next(); r !== 0x5d; r = this.next()) if (r === EOF || r === 0x0a) throw parseError('unterminated array');
    let text = this.consumeText().slice(1, -1);
    if (text === '*') text = ':';
    const parts = text.split(',');
    if (parts.length > 1) { // each part parsed on its own as [part]
      cur.nodes.push({ type: 'union', branches: parts.map((p) => parseAction(`[${p.replace(/^ +| +$/g, '')}]`)) });
      return;
    }
    const key = /^'([^']*)'$/.exec(text);
    if (key) { cur.nodes.push(...parseAction(`.${key[1]}`).nodes); return; }
    const m = /^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$/.exec(text);
    if (!m) throw parseError(`invalid array index ${text}`);
    const params: SliceParam[] = [];
    for (let i = 0; i < 3; i++) {
      const given = m[i + 1] ?? '';
      const v = i > 0 ? given.slice(1) : given;
      if (given === '') params.push(i === 1 ? { value: params[0]!.value + 1, known: true, derived: true } : { value: 0, known: false, derived: false });
      else if (i > 0 && v === '') params.push({ value: 0, known: false, derived: false });
      else if (!/^-?[0-9]+$/.test(v) || !Number.isSafeInteger(Number(v))) throw parseError(`array index ${v} is not a number`);
      else params.push({ value: Number(v), known: true, derived: false });
    }
    cur.nodes.push({ type: 'array', params: params as [SliceParam, SliceParam, SliceParam] });
  }
  /** `[?(left op right)]`, or `[?(path)]` (exists); a `)` inside the quoted operand does not close it. */
  private parseFilter(cur: ListNode) {
    this.skip(3);
    let begin = false, end = false, pair = EOF;
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw parseError('unterminated filter');
      if ((r === 0x22 || r === 0x27) && !begin) { begin = true; pair = r; }
      else if (r === pair && this.input[this.pos - 2] !== '\\') end = true;
      else if (r === 0x29 && begin === end) break;
    }
    if (this.next() !== 0x5d) throw parseError('unclosed array expect ]');
    const text = this.consumeText().slice(0, -2);
    const m = /^([^!<>=]+)([!<>=]+)([^\n]+?)$/.exec(text);
    if (!m) cur.nodes.push({ type: 'filter', left: parseAction(text), right: { type: 'list', nodes: [] }, operator: 'exists' });
    else cur.nodes.push({ type: 'filter', left: parseAction(m[1]!), right: parseAction(m[3]!), operator: m[2]! });
  }
  private parseQuote(cur: ListNode, end: number) {
    for (let r = this.next(); r !== end || this.input[this.pos - 2] === '\\'; r = this.next()) {
      if (r === EOF || r === 0x0a) throw parseError('unterminated quoted string');
    }
    const value = this.consumeText(), text = unquoteExtend(value);
    if (text === undefined) throw parseError(`unquote string ${value} error invalid syntax`);
    cur.nodes.push({ type: 'text', text });
  }
  /** A field name up to the next unescaped terminator; `\.` keeps a dot in the name. */
  private parseField(cur: ListNode) {
    this.consumeText();
    for (let r = this.next(); !isTerminator(r); r = this.next()) if (r === 0x5c) this.next();
    this.backup();
    const value = this.consumeText();
    cur.nodes.push(value === '*' ? { type: 'wildcard' } : { type: 'field', name: value.replaceAll('\\', '') });
  }
}

/** client-go's parseAction: `text` parsed as the inside of one `{…}`. */
function parseAction(text: string): ListNode {
  return new Parser(`{${text}}`).parse().nodes[0] as ListNode;
}

/** Parses a template; throws {@link JsonPathError} (phase `parse`) with the parser's words. */
export function parseJsonPath(template: string): JsonPathTemplate {
  return { nodes: new Parser(template).parse().nodes };
}

/** A float literal from the template (`1.5`): Go keeps it a float64, which compares only with floats. */
class GoFloat { constructor(readonly value: number) {} }

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoFloat);
const isNil = (v: unknown) => v === null || v === undefined;
const sortedKeys = (v: Record<string, unknown>) => Object.keys(v).filter((k) => v[k] !== undefined).sort();
const executeError = (message: string) => new JsonPathError('execute', message);

/** What Go's fmt prints for a float64 (%v is the shortest %g: exponent from 1e+06 up and below 1e-04). */
function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, e] = n.toExponential().split('e') as [string, string];
  const exp = Number(e);
  return exp >= -4 && exp < 6 ? n.toString() : `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/**
 * Go's fmt.Sprint of a decoded JSON value: `map[a:1 b:x]`, `[1 2]`, `<nil>`.
 * Whole numbers print as kubectl's decoder holds them, int64; others as float64.
 */
export function formatGoValue(v: unknown): string {
  if (isNil(v)) return '<nil>';
  if (v instanceof GoFloat) return goFloat(v.value);
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? v.toFixed(0) : goFloat(v);
  if (Array.isArray(v)) return `[${v.map(formatGoValue).join(' ')}]`;
  if (isMap(v)) return `map[${sortedKeys(v).map((k) => `${k}:${formatGoValue(v[k])}`).join(' ')}]`;
  return String(v);
}

/** Go's json.Marshal: map keys sorted, `<`, `>`, `&`, U+2028/9 escaped. */
function goJson(v: unknown): string {
  if (isNil(v)) return 'null';
  if (v instanceof GoFloat) return JSON.stringify(v.value);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isMap(v)) return `{${sortedKeys(v).map((k) => `${goJson(k)}:${goJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The kinds Go's text/template (client-go's fork) compares; two different kinds are an error. */
function basicKind(v: unknown): string {
  if (typeof v === 'boolean' || typeof v === 'string') return typeof v;
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof GoFloat) return 'float';
  throw executeError('invalid type for comparison');
}

type Scalar = string | number | boolean;
const OPERATORS: Record<string, (a: Scalar, b: Scalar) => boolean> = {
  '==': (a, b) => a === b, '!=': (a, b) => a !== b, '<': (a, b) => a < b, '>': (a, b) => a > b, '<=': (a, b) => a <= b, '>=': (a, b) => a >= b,
};

function compare(left: unknown, right: unknown, operator: string): boolean {
  const op = OPERATORS[operator];
  if (!op) throw executeError(`unrecognized filter operator ${operator}`);
  const kind = basicKind(left);
  if (kind !== basicKind(right)) throw executeError('incompatible types for comparison');
  if (kind === 'boolean' && operator !== '==' && operator !== '!=') throw executeError('invalid type for comparison');
  const scalar = (v: unknown) => (v instanceof GoFloat ? v.value : (v as Scalar));
  return op(scalar(left), scalar(right));
}

/** client-go's JSONPath.FindResults, with its range/end bookkeeping. */
class Executor {
  private beginRange = 0; // {range}s seen but not yet looped
  private inRange = 0; // loops under way
  private endRange = 0; // {end}s seen but not yet acted on
  private lastEndNode = -1; // where the last {end} was, to resume after it
  constructor(private readonly nodes: readonly JsonPathNode[], private readonly allowMissingKeys: boolean) {}

  /** Results of each node from `start`, a `{range}` body once per element, stopping at its `{end}`. */
  findResults(data: unknown, start = 0): unknown[][] {
    const full: unknown[][] = [];
    for (let i = start; i < this.nodes.length; i++) {
      const results = this.walk([data], this.nodes[i]!);
      if (this.endRange > 0 && this.endRange <= this.inRange) { // an {end}: this block is done
        this.endRange--;
        this.lastEndNode = i;
        break;
      }
      if (this.beginRange > 0) { // a {range}: the rest once per result, then on after the last {end} seen
        this.beginRange--;
        this.inRange++;
        if (results.length > 0) for (const value of results) full.push(...this.findResults(value, i + 1));
        else this.findResults(null, i + 1);
        this.inRange--;
        if (this.lastEndNode > i) i = this.lastEndNode;
        continue;
      }
      full.push(results);
    }
    return full;
  }
  private walk(input: unknown[], node: JsonPathNode): unknown[] {
    switch (node.type) {
      case 'list': return node.nodes.reduce((cur, n) => this.walk(cur, n), input);
      case 'text': return [node.text];
      case 'int': case 'bool': return input.map(() => node.value);
      case 'float': return input.map(() => new GoFloat(node.value));
      case 'field': return this.field(input, node.name);
      case 'array': return this.array(input, node.params);
      case 'union': return node.branches.flatMap((b) => this.walk(input, b));
      case 'wildcard': return input.flatMap(children);
      case 'recursive': return recursive(input);
      case 'filter': return this.filter(input, node);
      case 'identifier':
        if (node.name === 'range') { this.beginRange++; return input; }
        if (node.name !== 'end') throw executeError(`unrecognized identifier ${node.name}`);
        if (this.inRange === 0) throw executeError('not in range, nothing to end');
        this.endRange++;
        return [];
    }
  }
  private field(input: unknown[], name: string): unknown[] {
    const results = input.filter((v) => isMap(v) && Object.hasOwn(v, name) && v[name] !== undefined).map((v) => (v as Record<string, unknown>)[name]);
    if (results.length === 0 && input.length > 0 && !this.allowMissingKeys) throw executeError(`${name} is not found`);
    return results;
  }
  private array(input: unknown[], [p0, p1, p2]: readonly [SliceParam, SliceParam, SliceParam]): unknown[] {
    const result: unknown[] = [];
    for (const value of input) {
      if (isNil(value)) continue;
      if (!Array.isArray(value)) {
        const type = isMap(value) ? 'map[string]interface {}' : typeof value === 'number' ? (Number.isInteger(value) ? 'int64' : 'float64') : typeof value === 'boolean' ? 'bool' : 'string';
        throw executeError(`${type} is not array or slice`);
      }
      const len = value.length;
      const from = p0.known && p0.value < 0 ? p0.value + len : p0.known ? p0.value : 0;
      const to = !p1.known ? len : p1.value < 0 || (p1.value === 0 && p1.derived) ? p1.value + len : p1.value;
      if (to === from) return result; // zero elements asked for: client-go returns here
      if (from >= len || from < 0) throw executeError(`array index out of bounds: index ${from}, length ${len}`);
      if (to > len || to < 0) throw executeError(`array index out of bounds: index ${to - 1}, length ${len}`);
      if (from > to) throw executeError(`starting index ${from} is greater than ending index ${to}`);
      if (p2.known && p2.value <= 0) throw executeError('step must be > 0');
      for (let i = from; i < to; i += p2.known ? p2.value : 1) result.push(value[i]);
    }
    return result;
  }
  private filter(input: unknown[], node: Extract<JsonPathNode, { type: 'filter' }>): unknown[] {
    const results: unknown[] = [];
    for (const value of input) {
      if (!Array.isArray(value)) throw executeError(`${formatGoValue(value)} is not array or slice and cannot be filtered`);
      for (const item of value) {
        if (node.operator === 'exists') {
          try { if (this.walk([item], node.left).length > 0) results.push(item); } catch { /* client-go ignores errors here */ }
          continue;
        }
        const lefts = this.walk([item], node.left);
        const rights = lefts.length === 1 ? this.walk([item], node.right) : [];
        if (lefts.length > 1 || rights.length > 1) throw executeError('can only compare one element at a time');
        if (rights.length === 1 && compare(lefts[0], rights[0], node.operator)) results.push(item);
      }
    }
    return results;
  }
}

const utf8 = new TextEncoder();
/** The direct children `*` selects: map values, array elements, a string's UTF-8 bytes (as Go indexes it). */
const children = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : isMap(v) ? Object.values(v).filter((c) => c !== undefined) : typeof v === 'string' ? [...utf8.encode(v)] : [];

/** `..`: every value that has children, each followed by its descendants. */
const recursive = (input: unknown[]): unknown[] => input.flatMap((v) => (children(v).length > 0 ? [v, ...recursive(children(v))] : []));

/** Results grouped per top-level node, as client-go's FindResults returns them (custom-columns reads these). */
export function findJsonPathResults(template: string | JsonPathTemplate, data: unknown, options: JsonPathOptions = {}): unknown[][] {
  const parsed = typeof template === 'string' ? parseJsonPath(template) : template;
  return new Executor(parsed.nodes, options.allowMissingKeys ?? true).findResults(data);
}

/**
 * The text `kubectl get -o jsonpath=TEMPLATE` prints for `data` (no newline
 * added). Throws {@link JsonPathError}: phase `parse` for a bad template,
 * `execute` for a failed lookup. kubectl wraps these as `error parsing
 * jsonpath T, MSG` and `error executing jsonpath "T": Error executing
 * template: MSG. …`.
 */
export function executeJsonPath(template: string | JsonPathTemplate, data: unknown, options: JsonPathOptions = {}): string {
  const print = (v: unknown) => (Array.isArray(v) || isMap(v) ? goJson(v) : formatGoValue(v));
  return findJsonPathResults(template, data, options).map((results) => results.map(print).join(' ')).join('');
}
