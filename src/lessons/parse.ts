/**
 * Reads a lesson file (docs/lessons.md): YAML front matter, then Markdown
 * whose `##` headings start steps. Fenced blocks carry the step's parts by
 * their info string: `sh` (or bash, shell, console) blocks are runnable,
 * `check` holds checks, `hint` a hint, `solution` the commands that pass the
 * step, and `file=NAME` shows (or, with a body, defines) a workspace file.
 * Every problem is reported with its file and line; the rest still loads.
 */
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import { splitCommands } from './commands.ts';
import { CheckSpecError, readCheck } from './check-spec.ts';
import type { Course, Lesson, LessonProblem, SandboxSettings, Step } from './types.ts';

const md = new MarkdownIt({ html: false, linkify: true });
const RUNNABLE = new Set(['sh', 'bash', 'shell', 'console']);
const FRONT_MATTER_KEYS = new Set(['title', 'minutes', 'sandbox', 'files', 'setup']);
const SANDBOX_KEYS = new Set(['nodes', 'nodeCpu', 'nodeMemory', 'speed']);

export interface Parsed<T> {
  value: T;
  problems: LessonProblem[];
}

/** The front matter's text and the line the Markdown starts on (1-based), or none. */
function splitFrontMatter(text: string): { yaml?: string; body: string; bodyLine: number } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return { body: text, bodyLine: 1 };
  return { yaml: m[1], body: text.slice(m[0].length), bodyLine: m[0].split('\n').length };
}

/** A YAML text as a value, its problems with lines counted from `firstLine` (the YAML's first line in the file). */
function readYaml(text: string, file: string, firstLine: number, what: string, problems: LessonProblem[]): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    for (const err of doc.errors) {
      const pos = lineCounter.linePos(err.pos[0]);
      problems.push({ file, line: firstLine + pos.line - 1, message: `${what}: ${err.message.split('\n')[0]}` });
    }
    return undefined;
  }
  return doc.toJS();
}

export function readSandbox(value: unknown, file: string, line: number, problems: LessonProblem[]): SandboxSettings {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ file, line, message: 'sandbox: needs a mapping (nodes, nodeCpu, nodeMemory, speed)' });
    return {};
  }
  const out: SandboxSettings = {};
  for (const [k, v] of Object.entries(value)) {
    if (!SANDBOX_KEYS.has(k)) problems.push({ file, line, message: `sandbox: unknown key ${k} (it takes nodes, nodeCpu, nodeMemory, speed)` });
    else if ((k === 'nodes' || k === 'speed') && (typeof v !== 'number' || v <= 0)) problems.push({ file, line, message: `sandbox: ${k} needs a positive number` });
    else if ((k === 'nodeCpu' || k === 'nodeMemory') && typeof v !== 'string' && typeof v !== 'number') problems.push({ file, line, message: `sandbox: ${k} needs a quantity (2, 4Gi)` });
    else (out as Record<string, unknown>)[k] = k === 'nodeCpu' || k === 'nodeMemory' ? String(v) : v;
  }
  return out;
}

interface FrontMatter {
  title?: string;
  minutes?: number;
  sandbox: SandboxSettings;
  files: Record<string, string>;
  setup: string;
}

function readFrontMatter(yaml: string | undefined, file: string, problems: LessonProblem[]): FrontMatter {
  const out: FrontMatter = { sandbox: {}, files: {}, setup: '' };
  if (yaml === undefined) return out;
  const value = readYaml(yaml, file, 2, 'front matter', problems);
  if (value === undefined || value === null) return out;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ file, line: 2, message: 'front matter: needs a mapping (title, minutes, sandbox, files, setup)' });
    return out;
  }
  const fm = value as Record<string, unknown>;
  for (const k of Object.keys(fm)) if (!FRONT_MATTER_KEYS.has(k)) problems.push({ file, line: 2, message: `front matter: unknown key ${k} (a lesson takes title, minutes, sandbox, files, setup)` });
  if (fm.title !== undefined) {
    if (typeof fm.title === 'string' && fm.title.trim()) out.title = fm.title.trim();
    else problems.push({ file, line: 2, message: 'front matter: title needs text' });
  }
  if (fm.minutes !== undefined) {
    if (typeof fm.minutes === 'number' && fm.minutes > 0) out.minutes = fm.minutes;
    else problems.push({ file, line: 2, message: 'front matter: minutes needs a positive number' });
  }
  out.sandbox = readSandbox(fm.sandbox, file, 2, problems);
  if (fm.files !== undefined) {
    if (fm.files && typeof fm.files === 'object' && !Array.isArray(fm.files) && Object.values(fm.files).every((v) => typeof v === 'string')) out.files = fm.files as Record<string, string>;
    else problems.push({ file, line: 2, message: 'front matter: files needs a mapping of file names to their text' });
  }
  if (fm.setup !== undefined) {
    if (typeof fm.setup === 'string') out.setup = fm.setup;
    else if (Array.isArray(fm.setup) && fm.setup.every((c) => typeof c === 'string')) out.setup = fm.setup.join('\n');
    else problems.push({ file, line: 2, message: 'front matter: setup needs commands (a list, or a block of lines)' });
  }
  return out;
}

/** The info string's language and its `key=value` attributes. */
function fenceInfo(info: string): { lang: string; attrs: Record<string, string> } {
  const [lang = '', ...rest] = info.trim().split(/\s+/);
  const attrs: Record<string, string> = {};
  for (const a of rest) {
    const eq = a.indexOf('=');
    if (eq > 0) attrs[a.slice(0, eq)] = a.slice(eq + 1).replace(/^["']|["']$/g, '');
  }
  return { lang: lang.toLowerCase(), attrs };
}

/**
 * Parses one lesson. `courseFiles` are files the course folder provides for
 * `file=NAME` blocks (besides the lesson's own `files:`).
 */
export function parseLesson(file: string, text: string, courseFiles: Record<string, string> = {}): Parsed<Lesson> {
  const problems: LessonProblem[] = [];
  const { yaml, body, bodyLine } = splitFrontMatter(text);
  const fm = readFrontMatter(yaml, file, problems);
  const offset = bodyLine - 1;
  const tokens = md.parse(body, {});
  const lesson: Lesson = { file, title: fm.title ?? '', sandbox: fm.sandbox, files: { ...fm.files }, setup: splitCommands(fm.setup), intro: '', steps: [] };
  if (fm.minutes !== undefined) lesson.minutes = fm.minutes;
  const lineOf = (t: Token) => (t.map ? t.map[0] + 1 + offset : 0);

  let current: Step | undefined;
  let chunk: Token[] = [];
  const flush = () => {
    const html = md.renderer.render(chunk, md.options, {});
    if (current) current.html = html;
    else lesson.intro = html;
    chunk = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'heading_open' && t.tag === 'h1' && !lesson.title) {
      lesson.title = tokens[i + 1]?.content.trim() ?? '';
      i += 2;
      continue;
    }
    if (t.type === 'heading_open' && t.tag === 'h2') {
      flush();
      current = { title: tokens[i + 1]?.content.trim() ?? '', html: '', runs: [], checks: [], hints: [], hintsHtml: [], solution: [], line: lineOf(t) };
      lesson.steps.push(current);
      i += 2;
      continue;
    }
    if (t.type !== 'fence') {
      chunk.push(t);
      continue;
    }
    const { lang, attrs } = fenceInfo(t.info);
    const line = lineOf(t);
    const where = current ? `step "${current.title}"` : 'the intro';
    if (lang === 'check' || lang === 'hint' || lang === 'solution') {
      if (!current) {
        problems.push({ file, line, message: `a ${lang} block belongs to a step: put it under a ## heading` });
        continue;
      }
      if (lang === 'hint') {
        current.hints.push(t.content.trim());
        current.hintsHtml.push(md.render(t.content));
      }
      else if (lang === 'solution') current.solution.push(...splitCommands(t.content));
      else readChecks(t.content, file, line, current, problems);
      continue;
    }
    if (attrs.file !== undefined) {
      const name = attrs.file;
      if (t.content.trim()) lesson.files[name] = t.content;
      else if (lesson.files[name] === undefined && courseFiles[name] !== undefined) lesson.files[name] = courseFiles[name];
      else if (lesson.files[name] === undefined) {
        problems.push({ file, line, message: `the code block in ${where} shows ${name}, which is not among the lesson's files (front matter files:, or files/${name} in the course folder): give the block a body or add the file` });
        continue;
      }
      const copy = Object.assign(Object.create(Object.getPrototypeOf(t)), t) as Token;
      copy.content = lesson.files[name]!;
      copy.info = lang;
      copy.attrSet('data-file', name);
      chunk.push(copy);
      continue;
    }
    if (RUNNABLE.has(lang)) {
      const commands = splitCommands(t.content);
      if (current && commands.length) {
        const index = current.runs.length;
        current.runs.push({ text: t.content, commands, line });
        chunk.push(Object.assign(Object.create(Object.getPrototypeOf(t)), t, { attrs: [...(t.attrs ?? []), ['data-run', String(index)]] }) as Token);
        continue;
      }
    }
    chunk.push(t);
  }
  flush();
  if (!lesson.title) problems.push({ file, line: 1, message: 'the lesson has no title: give one in the front matter (title:) or as a # heading' });
  if (!lesson.steps.length) problems.push({ file, line: 1, message: 'the lesson has no steps: each ## heading starts one' });
  return { value: lesson, problems };
}

function readChecks(text: string, file: string, line: number, step: Step, problems: LessonProblem[]): void {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length) {
      for (const err of doc.errors) problems.push({ file, line: line + lineCounter.linePos(err.pos[0]).line, message: `check: ${err.message.split('\n')[0]}` });
      continue;
    }
    const value = doc.toJS();
    const entries = Array.isArray(value) ? value : [value];
    const root = doc.contents as YamlNode | null;
    const nodes: Array<YamlNode | null> = Array.isArray(value) ? (root?.items as YamlNode[] | undefined) ?? [] : [root];
    const lineAt = (offset: number | undefined) => (offset === undefined ? line + 1 : line + lineCounter.linePos(offset).line);
    entries.forEach((entry, i) => {
      const node = nodes[i];
      const at = lineAt(node?.range?.[0]);
      try {
        step.checks.push(readCheck(entry, at));
      } catch (err) {
        if (!(err instanceof CheckSpecError)) throw err;
        const pair = err.key === undefined ? undefined : (node?.items as YamlPair[] | undefined)?.find((p) => p.key?.value === err.key);
        problems.push({ file, line: pair ? lineAt(pair.key?.range?.[0]) : at, message: `check: ${err.message}` });
      }
    });
  }
}

/** The parts of the yaml library's nodes a check's line numbers are read from. */
interface YamlNode {
  range?: [number, number, number];
  items?: unknown[];
}
interface YamlPair {
  key?: { value?: unknown; range?: [number, number, number] };
}

/** course.yaml: a title, the lessons in order, and the sandbox every lesson starts from. */
export function parseCourse(text: string, file = 'course.yaml'): Parsed<Partial<Course>> {
  const problems: LessonProblem[] = [];
  const value = readYaml(text, file, 1, 'course.yaml', problems);
  const out: Partial<Course> = {};
  if (value === undefined || value === null) return { value: out, problems };
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ file, line: 1, message: 'course.yaml needs a mapping (title, lessons, sandbox)' });
    return { value: out, problems };
  }
  const c = value as Record<string, unknown>;
  for (const k of Object.keys(c)) if (!['title', 'lessons', 'sandbox'].includes(k)) problems.push({ file, line: 1, message: `unknown key ${k} (a course takes title, lessons, sandbox)` });
  if (typeof c.title === 'string') out.title = c.title;
  if (c.lessons !== undefined) {
    if (Array.isArray(c.lessons) && c.lessons.every((l) => typeof l === 'string' && /\.md$/.test(l))) out.lessons = c.lessons as string[];
    else problems.push({ file, line: 1, message: 'lessons: needs the lesson files in order (01-intro.md, …)' });
  }
  out.sandbox = readSandbox(c.sandbox, file, 1, problems);
  return { value: out, problems };
}

/** A problem as the verifier and the page print it: `file:line: message`. */
export function formatProblem(p: LessonProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`;
}
