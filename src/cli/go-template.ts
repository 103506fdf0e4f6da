/**
 * Go's text/template over JSON-shaped data, as `docker inspect -f`,
 * `docker ps --format` and `kubectl -o go-template` use it: text and
 * `{{…}}` actions (`{{-`/`-}}` trim the blanks beside them, `{{/* … *\/}}`
 * is a comment); pipelines of fields (`.State.Status`, `$v.IPAddress`,
 * `(…).Field`), variables (`$x := …`, `$x = …`), literals and functions
 * joined by `|`; `if`/`else if`/`else`, `range` (with `$i, $v :=`, and
 * `else`), `with`, `end`. Functions: Go's builtins (and, or, not, len,
 * index, slice, print, printf, println, eq, ne, lt, le, gt, ge) and those a
 * caller adds (docker's json, join, split, lower, upper, title, pad,
 * truncate). Errors carry Go's words: `template: NAME:1: function "x" not
 * defined`.
 */

import { BUILTINS, goValue, truth, type TemplateFunction } from './go-template-functions.ts';

export { goValue, type TemplateFunction };

export class TemplateError extends Error {
  /** 'parse' for a template that does not parse; 'exec' for one that fails while running. */
  readonly phase: 'parse' | 'exec';
  constructor(phase: 'parse' | 'exec', message: string) {
    super(message);
    this.phase = phase;
  }
}

type Operand =
  | { k: 'field'; base: 'dot' | 'var' | 'pipe'; name?: string; pipe?: Pipe; path: string[]; text: string }
  | { k: 'lit'; v: unknown }
  | { k: 'fn'; name: string };
interface Pipe {
  decl: string[];
  assign: boolean;
  cmds: Operand[][];
}
type Node =
  | { t: 'text'; text: string }
  | { t: 'action'; pipe: Pipe; line: number }
  | { t: 'if' | 'with'; pipe: Pipe; body: Node[]; alt?: Node[]; line: number }
  | { t: 'range'; pipe: Pipe; body: Node[]; alt?: Node[]; line: number };

interface Token {
  kind: 'field' | 'var' | 'ident' | 'string' | 'number' | 'char' | '(' | ')' | '|' | ':=' | '=' | ',' | 'dot-after';
  text: string;
}

/** The tokens of one action's inside. */
function lex(src: string, fail: (msg: string) => never): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    let m: RegExpExecArray | null;
    if (rest.startsWith(':=')) {
      out.push({ kind: ':=', text: ':=' });
      i += 2;
    } else if ('()|=,'.includes(c)) {
      out.push({ kind: c as Token['kind'], text: c });
      i++;
    } else if ((m = /^"(?:[^"\\\n]|\\.)*"/.exec(rest))) {
      out.push({ kind: 'string', text: m[0] });
      i += m[0].length;
    } else if ((m = /^`[^`]*`/.exec(rest))) {
      out.push({ kind: 'string', text: m[0] });
      i += m[0].length;
    } else if ((m = /^'(?:[^'\\]|\\.)'/.exec(rest))) {
      out.push({ kind: 'char', text: m[0] });
      i += m[0].length;
    } else if ((m = /^[-+]?(?:0x[0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)/.exec(rest)) && !(c === '.' && /^\.[A-Za-z_]/.test(rest))) {
      out.push({ kind: 'number', text: m[0] });
      i += m[0].length;
    } else if ((m = /^\$[A-Za-z_0-9]*((?:\.[A-Za-z_][A-Za-z_0-9]*)*)/.exec(rest))) {
      out.push({ kind: 'var', text: m[0] });
      i += m[0].length;
    } else if ((m = /^(?:\.[A-Za-z_][A-Za-z_0-9]*)+|^\./.exec(rest))) {
      const after = out[out.length - 1];
      out.push({ kind: after?.kind === ')' && m[0] !== '.' && src[i - 1] === ')' ? 'dot-after' : 'field', text: m[0] });
      i += m[0].length;
    } else if ((m = /^[A-Za-z_][A-Za-z_0-9]*/.exec(rest))) {
      out.push({ kind: 'ident', text: m[0] });
      i += m[0].length;
    } else fail(`unexpected "${c}" in command`);
  }
  return out;
}

const pathOf = (chain: string) => chain.split('.').filter(Boolean);

/** Parses a template; `funcs` are the functions it may call beside Go's builtins. */
export function parseTemplate(source: string, funcs: Record<string, TemplateFunction> = {}, name = ''): (data: unknown) => string {
  const known = { ...BUILTINS, ...funcs };
  // Split into text and actions, with trim markers applied.
  const parts: Array<{ text: string } | { action: string; line: number }> = [];
  let i = 0;
  let line = 1;
  let trimNext = false;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    let text = open < 0 ? source.slice(i) : source.slice(i, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) {
      parts.push({ text });
      break;
    }
    let start = open + 2;
    if (source[start] === '-' && /\s/.test(source[start + 1] ?? '')) {
      text = text.replace(/\s+$/, '');
      start += 2;
    }
    parts.push({ text });
    line += (source.slice(i, open).match(/\n/g) ?? []).length;
    const comment = /^\s*\/\*/.test(source.slice(start));
    const close = comment ? source.indexOf('*/', start) : -1;
    const end = source.indexOf('}}', comment && close >= 0 ? close : start);
    if (end < 0) throw new TemplateError('parse', `template: ${name}:${line}: unclosed action`);
    let inner = source.slice(start, end);
    if (/\s-$/.test(inner)) {
      inner = inner.slice(0, -2);
      trimNext = true;
    }
    if (!comment) parts.push({ action: inner, line });
    line += (inner.match(/\n/g) ?? []).length;
    i = end + 2;
  }

  let at = 0;
  const parseList = (endWords: string[]): { nodes: Node[]; ended: string; rest: string; line: number } => {
    const nodes: Node[] = [];
    while (at < parts.length) {
      const part = parts[at++]!;
      if ('text' in part) {
        if (part.text) nodes.push({ t: 'text', text: part.text });
        continue;
      }
      const fail = (msg: string): never => {
        throw new TemplateError('parse', `template: ${name}:${part.line}: ${msg}`);
      };
      const word = /^\s*([a-z]+)\b\s*([\s\S]*)$/.exec(part.action);
      const keyword = word && ['if', 'range', 'with', 'else', 'end', 'define', 'template', 'block', 'break', 'continue'].includes(word[1]!) ? word[1]! : undefined;
      if (keyword === 'end' || keyword === 'else') {
        if (!endWords.includes(keyword)) fail(`unexpected {{${keyword}}}`);
        return { nodes, ended: keyword, rest: word![2]!, line: part.line };
      }
      if (keyword === 'if' || keyword === 'with' || keyword === 'range') {
        nodes.push(parseControl(keyword, word![2]!, part.line, fail));
        continue;
      }
      if (keyword) fail(`{{${keyword}}} is not supported here`);
      nodes.push({ t: 'action', pipe: parsePipe(part.action, fail, false), line: part.line });
    }
    if (endWords.length) throw new TemplateError('parse', `template: ${name}:${line}: unexpected EOF`);
    return { nodes, ended: '', rest: '', line };
  };

  const parseControl = (keyword: 'if' | 'with' | 'range', rest: string, at0: number, fail: (msg: string) => never): Node => {
    const pipe = parsePipe(rest, fail, keyword === 'range');
    const body = parseList(['else', 'end']);
    let alt: Node[] | undefined;
    if (body.ended === 'else') {
      const elseIf = /^(if|with)\b\s*([\s\S]*)$/.exec(body.rest.trim());
      if (elseIf && elseIf[1] === keyword) {
        // {{else if …}} is an if inside the else, which the same {{end}} closes.
        alt = [parseControl(keyword, elseIf[2]!, body.line, fail)];
      } else {
        if (body.rest.trim()) fail(`unexpected "${body.rest.trim()}" in else`);
        const e = parseList(['end']);
        alt = e.nodes;
      }
    }
    return { t: keyword, pipe, body: body.nodes, alt, line: at0 };
  };

  const parsePipe = (text: string, fail: (msg: string) => never, range: boolean): Pipe => {
    const tokens = lex(text, fail);
    let p = 0;
    const decl: string[] = [];
    let assign = false;
    // $x := …, $x = …, range $i, $v := …
    const declEnd = tokens.findIndex((t) => t.kind === ':=' || t.kind === '=');
    if (declEnd > 0 && tokens.slice(0, declEnd).every((t, j) => (j % 2 === 0 ? t.kind === 'var' && !t.text.includes('.', 1) : t.kind === ','))) {
      for (let j = 0; j < declEnd; j += 2) decl.push(tokens[j]!.text);
      if (decl.length > (range ? 2 : 1)) fail('too many declarations in command');
      assign = tokens[declEnd]!.kind === '=';
      p = declEnd + 1;
    }
    const operand = (): Operand => {
      const t = tokens[p++];
      if (!t) return fail('missing value for command');
      let op: Operand;
      switch (t.kind) {
        case 'field':
          op = { k: 'field', base: 'dot', path: pathOf(t.text), text: t.text };
          break;
        case 'var': {
          const [v, ...path] = t.text.split('.');
          op = { k: 'field', base: 'var', name: v!, path, text: t.text };
          break;
        }
        case 'string':
          op = { k: 'lit', v: t.text.startsWith('`') ? t.text.slice(1, -1) : (JSON.parse(t.text) as string) };
          break;
        case 'char':
          op = { k: 'lit', v: (JSON.parse(`"${t.text.slice(1, -1).replace(/"/g, '\\"')}"`) as string).codePointAt(0) };
          break;
        case 'number':
          op = { k: 'lit', v: Number(t.text) };
          break;
        case 'ident':
          if (t.text === 'true' || t.text === 'false') op = { k: 'lit', v: t.text === 'true' };
          else if (t.text === 'nil') op = { k: 'lit', v: null };
          else if (t.text === 'and' || t.text === 'or' || t.text in known) op = { k: 'fn', name: t.text };
          else return fail(`function "${t.text}" not defined`);
          break;
        case '(': {
          let depth = 1;
          const from = p;
          while (p < tokens.length && depth > 0) {
            if (tokens[p]!.kind === '(') depth++;
            if (tokens[p]!.kind === ')') depth--;
            p++;
          }
          if (depth > 0) fail('unclosed left paren');
          const inner = tokens.slice(from, p - 1).map((x) => x.text).join(' ');
          op = { k: 'field', base: 'pipe', pipe: parsePipe(inner, fail, false), path: [], text: `(${inner})` };
          if (tokens[p]?.kind === 'dot-after') op.path = pathOf(tokens[p++]!.text);
          break;
        }
        default:
          return fail(`unexpected "${t.text}" in command`);
      }
      return op;
    };
    const cmds: Operand[][] = [];
    let cmd: Operand[] = [];
    while (p < tokens.length) {
      if (tokens[p]!.kind === '|') {
        if (!cmd.length) fail('missing command');
        cmds.push(cmd);
        cmd = [];
        p++;
        continue;
      }
      cmd.push(operand());
    }
    if (!cmd.length) fail(cmds.length ? 'missing command' : 'missing value for command');
    cmds.push(cmd);
    for (const c of cmds) if (c.length > 1 && c[0]!.k !== 'fn') fail(`can't give argument to non-function ${c[0]!.k === 'field' ? c[0]!.text : goValue((c[0] as { v: unknown }).v)}`);
    return { decl, assign, cmds };
  };

  const tree = parseList([]).nodes;

  return (data: unknown) => {
    const vars: Array<[string, unknown]> = [['$', data]];
    const lookup = (variable: string, line: number): unknown => {
      for (let j = vars.length - 1; j >= 0; j--) if (vars[j]![0] === variable) return vars[j]![1];
      throw new TemplateError('exec', `template: ${name}:${line}: undefined variable: ${variable}`);
    };
    const field = (v: unknown, path: string[], text: string, line: number): unknown => {
      for (const key of path) {
        if (v === undefined || v === null) {
          if (v === null) throw new TemplateError('exec', `template: ${name}:${line}: executing "${name}" at <${text}>: nil pointer evaluating interface {}.${key}`);
          return undefined;
        }
        if (typeof v !== 'object' || Array.isArray(v)) throw new TemplateError('exec', `template: ${name}:${line}: executing "${name}" at <${text}>: can't evaluate field ${key} in type ${Array.isArray(v) ? '[]interface {}' : typeof v}`);
        v = (v as Record<string, unknown>)[key];
      }
      return v;
    };
    const evalOperand = (op: Operand, dot: unknown, line: number): unknown => {
      if (op.k === 'lit') return op.v;
      if (op.k === 'fn') return call(op.name, [], dot, line, undefined);
      const base = op.base === 'dot' ? dot : op.base === 'var' ? lookup(op.name!, line) : evalPipe(op.pipe!, dot, line);
      return field(base, op.path, op.text, line);
    };
    const call = (fn: string, args: Operand[], dot: unknown, line: number, piped: { v: unknown } | undefined): unknown => {
      try {
        if (fn === 'and' || fn === 'or') {
          const all = [...args.map((a) => () => evalOperand(a, dot, line)), ...(piped ? [() => piped.v] : [])];
          if (!all.length) throw new Error(`wrong number of args for ${fn}: want at least 1 got 0`);
          let v: unknown;
          for (const get of all) {
            v = get();
            if (fn === 'and' ? !truth(v) : truth(v)) return v;
          }
          return v;
        }
        const values = args.map((a) => evalOperand(a, dot, line));
        if (piped) values.push(piped.v);
        return known[fn]!(...values);
      } catch (err) {
        if (err instanceof TemplateError) throw err;
        throw new TemplateError('exec', `template: ${name}:${line}: executing "${name}" at <${fn}>: error calling ${fn}: ${(err as Error).message.replace(/^error calling \w+: /, '')}`);
      }
    };
    const evalPipe = (pipe: Pipe, dot: unknown, line: number): unknown => {
      let piped: { v: unknown } | undefined;
      for (const cmd of pipe.cmds) {
        const [head, ...args] = cmd;
        if (head!.k === 'fn') piped = { v: call(head!.name, args, dot, line, piped) };
        else {
          if (piped) throw new TemplateError('exec', `template: ${name}:${line}: can't give argument to non-function`);
          piped = { v: evalOperand(head!, dot, line) };
        }
      }
      return piped!.v;
    };
    const setVars = (pipe: Pipe, values: unknown[]) => {
      pipe.decl.forEach((v, j) => {
        if (pipe.assign) {
          const found = vars.findLastIndex(([n]) => n === v);
          if (found >= 0) vars[found]![1] = values[j];
        } else vars.push([v, values[j]]);
      });
    };
    const run = (nodes: Node[], dot: unknown): string => {
      let out = '';
      const mark = vars.length;
      for (const n of nodes) {
        if (n.t === 'text') out += n.text;
        else if (n.t === 'action') {
          const v = evalPipe(n.pipe, dot, n.line);
          if (n.pipe.decl.length) setVars(n.pipe, [v]);
          else out += goValue(v);
        } else if (n.t === 'if' || n.t === 'with') {
          const v = evalPipe(n.pipe, dot, n.line);
          const inner = vars.length;
          if (n.pipe.decl.length) setVars(n.pipe, [v]);
          if (truth(v)) out += run(n.body, n.t === 'with' ? v : dot);
          else if (n.alt) out += run(n.alt, dot);
          vars.length = inner;
        } else {
          const v = evalPipe(n.pipe, dot, n.line);
          const items: Array<[unknown, unknown]> = Array.isArray(v)
            ? v.map((x, j) => [j, x])
            : v && typeof v === 'object'
              ? Object.keys(v)
                  .sort()
                  .map((k) => [k, (v as Record<string, unknown>)[k]])
              : typeof v === 'number' && Number.isInteger(v)
                ? Array.from({ length: Math.max(0, v) }, (_, j) => [j, j])
                : v === undefined || v === null
                  ? []
                  : (() => {
                      throw new TemplateError('exec', `template: ${name}:${n.line}: range can't iterate over ${goValue(v)}`);
                    })();
          if (!items.length) {
            if (n.alt) out += run(n.alt, dot);
            continue;
          }
          for (const [k, x] of items) {
            const inner = vars.length;
            if (n.pipe.decl.length === 1) vars.push([n.pipe.decl[0]!, x]);
            else if (n.pipe.decl.length === 2) vars.push([n.pipe.decl[0]!, k], [n.pipe.decl[1]!, x]);
            out += run(n.body, x);
            vars.length = inner;
          }
        }
      }
      vars.length = mark;
      return out;
    };
    return run(tree, data);
  };
}
