/**
 * The Dockerfile front end: dockerfile-ast (the parser VS Code's Dockerfile
 * support uses) finds instructions, line continuations, the `escape` and
 * `syntax` directives, flags, JSON forms and here-documents; this module
 * turns its tree into stages of instructions and checks what BuildKit
 * checks before a build starts. The only user of dockerfile-ast.
 */
import { DockerfileParser, type Instruction as AstInstruction } from 'dockerfile-ast';
import { PodplayError } from '../shared/index.ts';

/** A here-document of RUN or COPY (`<<EOF`, `<<-EOF`, `<<"EOF"`). */
export interface Heredoc {
  name: string;
  content: string;
  /** False when the delimiter was quoted: no variable expansion in it. */
  expand: boolean;
}

export interface Instruction {
  /** Upper case: `RUN`, `COPY`, … */
  keyword: string;
  /** 1-based lines the instruction spans. */
  line: number;
  endLine: number;
  /** The instruction as written, continuations joined (what step names and history show). */
  original: string;
  /** The arguments after the flags, continuations joined, here-document bodies left out. */
  args: string;
  /** `--name=value` flags, by name (repeatable ones keep every value). */
  flags: Map<string, string[]>;
  /** The exec (JSON array) form's strings, when the arguments are one. */
  json?: string[];
  heredocs: Heredoc[];
  /** ONBUILD's trigger: the instruction it holds. */
  trigger?: Instruction;
}

export interface Stage {
  index: number;
  /** `AS name`, lower-cased as BuildKit compares it. */
  name?: string;
  /** The FROM instruction. */
  from: Instruction;
  /** The base as written (`${BASE}`, `podplay/toolbox`, `scratch`, an earlier stage's name). */
  base: string;
  platform?: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM: in scope for FROM lines only (unless a stage declares them again). */
  globalArgs: Instruction[];
  stages: Stage[];
  escape: string;
  /** The `syntax` directive, recorded (podplay has one front end). */
  syntax?: string;
  /** The source, by line, for error snippets. */
  lines: string[];
}

/** Every instruction the front end knows (BuildKit's list, MAINTAINER included). */
export const INSTRUCTIONS = ['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'];

/** A Dockerfile BuildKit would refuse: the message in its words, and the line it is about. */
export class DockerfileError extends PodplayError {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super('DockerfileInvalid', message);
    this.name = 'DockerfileError';
  }
}

/** Edit distance with adjacent transpositions (optimal string alignment): FORM is one edit from FROM. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** BuildKit's suggestion for an unknown word: the closest candidate within a distance of about a third of its length. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(w.length / 3)) ? best : undefined;
}

class Source {
  readonly lines: string[];
  readonly #starts: number[] = [0];
  constructor(readonly text: string) {
    this.lines = text.split('\n');
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.#starts.push(i + 1);
  }
  offset(p: { line: number; character: number }): number {
    return (this.#starts[p.line] ?? this.text.length) + p.character;
  }
  slice(r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
    return this.text.slice(this.offset(r.start), this.offset(r.end));
  }
}

/** Joins continued lines as BuildKit does: the escape before a newline and the newline go; comment lines inside go too. */
function joinContinuations(text: string, escape: string): string {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/\r$/, '');
    if (i > 0 && /^\s*#/.test(line)) continue;
    const continued = line.replace(/\s+$/, '').endsWith(escape) && i < lines.length - 1;
    if (continued) line = line.replace(/\s+$/, '').slice(0, -1);
    out.push(line);
  }
  return out.join('').trim();
}

function convert(node: AstInstruction, src: Source, escape: string): Instruction {
  const range = node.getRange();
  const keyword = node.getKeyword().toUpperCase();
  const flags = new Map<string, string[]>();
  const withFlags = node as AstInstruction & { getFlags?: () => Array<{ getName(): string; getValue(): string | null }> };
  for (const f of withFlags.getFlags?.() ?? []) {
    const list = flags.get(f.getName()) ?? [];
    list.push(f.getValue() ?? '');
    flags.set(f.getName(), list);
  }
  const withHeredocs = node as AstInstruction & { getHeredocs?: () => Array<{ getName(): string; getContentRange(): ReturnType<AstInstruction['getRange']> | null; getNameRange(): ReturnType<AstInstruction['getRange']> }> };
  const heredocs: Heredoc[] = (withHeredocs.getHeredocs?.() ?? []).map((h) => {
    const content = h.getContentRange();
    const head = src.slice({ start: { line: h.getNameRange().start.line, character: 0 }, end: h.getNameRange().end });
    const quoted = /<<-?\s*["']/.test(head);
    return { name: h.getName(), content: content ? src.slice(content) + '\n' : '', expand: !quoted };
  });
  const full = src.slice(range);
  // The first line of a here-document instruction is the instruction; its bodies follow.
  const firstPart = heredocs.length ? full.split('\n')[0]! : full;
  const original = joinContinuations(firstPart, escape);
  const argsRange = node.getArgumentsRange();
  let args = '';
  if (argsRange) {
    const raw = src.slice(argsRange);
    args = joinContinuations(heredocs.length ? raw.split('\n')[0]! : raw, escape);
  }
  const withJson = node as AstInstruction & { getJSONStrings?: () => Array<{ getJSONValue(): string }> };
  const strings = withJson.getJSONStrings?.() ?? [];
  const json = /^\[/.test(args) && strings.length > 0 && isJsonArray(args) ? (JSON.parse(args) as string[]) : /^\[\s*\]$/.test(args) ? [] : undefined;
  const out: Instruction = { keyword, line: range.start.line + 1, endLine: range.end.line + 1, original, args, flags, ...(json ? { json } : {}), heredocs };
  if (keyword === 'ONBUILD') {
    const trigger = (node as AstInstruction & { getTriggerInstruction?: () => AstInstruction | null }).getTriggerInstruction?.();
    if (trigger) out.trigger = { ...convert(trigger, src, escape), line: out.line, endLine: out.endLine };
  }
  return out;
}

function isJsonArray(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((s) => typeof s === 'string');
  } catch {
    return false;
  }
}

/** What each instruction needs, checked as BuildKit's parser checks it (line numbers are the instruction's first). */
function check(i: Instruction): void {
  const err = (m: string) => new DockerfileError(`dockerfile parse error on line ${i.line}: ${m}`, i.line);
  if (!INSTRUCTIONS.includes(i.keyword)) {
    const near = suggest(i.keyword, INSTRUCTIONS);
    const word = i.original.split(/\s+/)[0] ?? i.keyword;
    throw err(`unknown instruction: ${word}${near ? ` (did you mean ${word === word.toUpperCase() ? near : near.toLowerCase()}?)` : ''}`);
  }
  const none = i.args === '' && i.heredocs.length === 0;
  if (none && !['CMD', 'ENTRYPOINT', 'SHELL'].includes(i.keyword)) throw err(`${i.keyword} requires at least one argument`);
  if (i.keyword === 'SHELL' && !i.json) throw err('SHELL requires the arguments to be in JSON form');
  if ((i.keyword === 'COPY' || i.keyword === 'ADD') && !i.json && i.heredocs.length === 0 && i.args.split(/\s+/).length < 2) throw err(`${i.keyword} requires at least two arguments, but only one was provided. Destination could not be determined`);
  if (i.keyword === 'ONBUILD') {
    if (!i.trigger) throw err('ONBUILD requires at least one argument');
    const t = i.trigger.keyword;
    if (t === 'ONBUILD') throw err("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    if (t === 'FROM' || t === 'MAINTAINER') throw err(`${t} isn't allowed as an ONBUILD trigger`);
    check(i.trigger);
  }
}

/**
 * Parses a Dockerfile into its global ARGs and stages. Errors are BuildKit's
 * (`dockerfile parse error on line 3: unknown instruction: FORM (did you mean FROM?)`).
 */
export function parseDockerfile(text: string): Dockerfile {
  const src = new Source(text);
  const ast = DockerfileParser.parse(text);
  const escape = ast.getEscapeCharacter() || '\\';
  const syntax = ast.getDirectives().find((d) => d.getDirective()?.toLowerCase() === 'syntax')?.getValue() ?? undefined;
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const node of ast.getInstructions()) {
    const i = convert(node, src, escape);
    check(i);
    if (i.keyword === 'FROM') {
      const words = i.args.split(/\s+/).filter(Boolean);
      if (words.length !== 1 && !(words.length === 3 && words[1]!.toUpperCase() === 'AS')) {
        throw new DockerfileError(`dockerfile parse error on line ${i.line}: FROM requires either one or three arguments`, i.line);
      }
      const name = words[2]?.toLowerCase();
      if (name !== undefined && !/^[a-z][a-z0-9-_.]*$/.test(name)) {
        throw new DockerfileError(`invalid name for build stage: "${words[2]}", name can't start with a number or contain symbols`, i.line);
      }
      const platform = i.flags.get('platform')?.[0];
      stages.push({ index: stages.length, ...(name ? { name } : {}), from: i, base: words[0]!, ...(platform ? { platform } : {}), instructions: [] });
      continue;
    }
    const stage = stages[stages.length - 1];
    if (!stage) {
      if (i.keyword !== 'ARG') throw new DockerfileError(`no build stage in current context`, i.line);
      globalArgs.push(i);
      continue;
    }
    stage.instructions.push(i);
  }
  if (stages.length === 0) throw new DockerfileError('the Dockerfile cannot be empty');
  const names = new Set<string>();
  for (const s of stages) {
    if (s.name && names.has(s.name)) throw new DockerfileError(`duplicate stage name "${s.name}"`, s.from.line);
    if (s.name) names.add(s.name);
  }
  return { globalArgs, stages, escape, ...(syntax ? { syntax } : {}), lines: src.lines };
}
