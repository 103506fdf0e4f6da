/**
 * Docker's variable substitution (BuildKit's frontend/dockerfile/shell
 * lexer): quotes, the escape character, `$VAR`, `${VAR}` and its modifiers
 * (`:-` `-` `:+` `+` `:?` `?`, `#` `##` `%` `%%`, `/` `//`). Used on the
 * instructions Docker expands (FROM, ENV, ARG, LABEL, WORKDIR, USER, COPY,
 * ADD, EXPOSE, VOLUME, STOPSIGNAL and their flags); RUN, CMD and ENTRYPOINT
 * are left to the shell.
 */
import { PodplayError } from '../shared/index.ts';

/** Variables in scope: unset names expand to nothing. */
export type Vars = ReadonlyMap<string, string>;

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}
  peek(): string | undefined {
    return this.text[this.pos];
  }
  next(): string | undefined {
    return this.text[this.pos++];
  }
}

/** Words being collected: characters from unquoted expansions split on blanks, quoted ones never do. */
class Words {
  readonly list: string[] = [];
  #word = '';
  #inWord = false;
  raw(s: string): void {
    this.#word += s;
    this.#inWord = true;
  }
  split(s: string): void {
    for (const ch of s) {
      if (/\s/.test(ch)) this.end();
      else this.raw(ch);
    }
  }
  end(): void {
    if (this.#inWord) this.list.push(this.#word);
    this.#word = '';
    this.#inWord = false;
  }
  /** Marks a word as present even when empty (`""`). */
  touch(): void {
    this.#inWord = true;
  }
}

function lexError(message: string): PodplayError {
  return new PodplayError('DockerfileInvalid', message);
}

class Lexer {
  /** Names that were referenced, in order (BuildKit tracks them for the build args in use). */
  readonly used = new Set<string>();
  constructor(
    readonly vars: Vars,
    readonly escape: string,
  ) {}

  /** The word with quotes removed and variables expanded; `words` gets it split as ProcessWords splits it. */
  process(s: Scanner, words: Words | undefined, stop?: string): string {
    let out = '';
    for (;;) {
      const ch = s.peek();
      if (ch === undefined) {
        if (stop !== undefined) throw lexError(`missing '}'`);
        break;
      }
      if (stop !== undefined && ch === stop) break;
      if (ch === "'") {
        const v = this.#single(s);
        out += v;
        words?.raw(v);
        words?.touch();
      } else if (ch === '"') {
        const v = this.#double(s);
        out += v;
        words?.raw(v);
        words?.touch();
      } else if (ch === '$') {
        const v = this.#dollar(s);
        out += v;
        words?.split(v);
      } else {
        s.next();
        if (ch === this.escape) {
          const escaped = s.next();
          if (escaped === undefined) break;
          out += escaped;
          words?.raw(escaped);
        } else {
          out += ch;
          if (words && /\s/.test(ch)) words.end();
          else words?.raw(ch);
        }
      }
    }
    return out;
  }

  #single(s: Scanner): string {
    s.next();
    let out = '';
    for (;;) {
      const ch = s.next();
      if (ch === undefined) throw lexError('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") return out;
      out += ch;
    }
  }

  #double(s: Scanner): string {
    s.next();
    let out = '';
    for (;;) {
      const ch = s.peek();
      if (ch === undefined) throw lexError('unexpected end of statement while looking for matching double-quote');
      if (ch === '"') {
        s.next();
        return out;
      }
      if (ch === '$') {
        out += this.#dollar(s);
        continue;
      }
      s.next();
      if (ch === this.escape) {
        const n = s.peek();
        if (n === '"' || n === '$' || n === this.escape) {
          out += n;
          s.next();
          continue;
        }
      }
      out += ch;
    }
  }

  #lookup(name: string): string | undefined {
    this.used.add(name);
    return this.vars.get(name);
  }

  #dollar(s: Scanner): string {
    s.next(); // $
    const ch = s.peek();
    if (ch === '{') {
      s.next();
      const name = this.#name(s);
      if (!name) throw lexError(`bad substitution`);
      const op = s.next();
      const value = this.#lookup(name);
      if (op === '}') return value ?? '';
      if (op === undefined) throw lexError(`missing '}'`);
      if (op === ':') {
        const mod = s.next();
        const word = this.#word(s);
        if (mod === '-') return value ? value : word;
        if (mod === '+') return value ? word : '';
        if (mod === '?') {
          if (!value) throw lexError(`${name}: ${word || 'is not allowed to be unset'}`);
          return value;
        }
        throw lexError(`unsupported modifier (${mod ?? ''}) in substitution`);
      }
      if (op === '-' || op === '+' || op === '?') {
        const word = this.#word(s);
        if (op === '-') return value ?? word;
        if (op === '+') return value !== undefined ? word : '';
        if (value === undefined) throw lexError(`${name}: ${word || 'is not allowed to be unset'}`);
        return value;
      }
      if (op === '#' || op === '%') {
        const longest = s.peek() === op ? (s.next(), true) : false;
        const pattern = this.#word(s);
        return trim(value ?? '', pattern, op === '#' ? 'prefix' : 'suffix', longest);
      }
      if (op === '/') {
        const all = s.peek() === '/' ? (s.next(), true) : false;
        const pattern = this.process(s, undefined, '/');
        let replacement = '';
        if (s.peek() === '/') {
          s.next();
          replacement = this.#word(s);
        } else s.next();
        return replace(value ?? '', pattern, replacement, all);
      }
      throw lexError(`unsupported modifier (${op}) in substitution`);
    }
    const name = this.#name(s);
    if (!name) return '$';
    return this.#lookup(name) ?? '';
  }

  /** The word of a modifier, up to its closing brace (consumed). */
  #word(s: Scanner): string {
    const w = this.process(s, undefined, '}');
    s.next();
    return w;
  }

  #name(s: Scanner): string {
    const first = s.peek();
    if (first !== undefined && /[0-9]/.test(first)) {
      s.next();
      return first;
    }
    let name = '';
    while (s.peek() !== undefined && /[A-Za-z0-9_]/.test(s.peek()!)) name += s.next();
    return name;
  }
}

/**
 * A shell pattern (`*`, `?`, `[…]` with `!` or `^`, `\\` escapes) as a
 * regular expression's source; `anyChar` is what `*` and `?` stand for
 * (any character here; Go's filepath.Match, per path component, leaves `/` out).
 */
export function globRegExp(pattern: string, anyChar = '[\\s\\S]'): string {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') re += `${anyChar}*`;
    else if (ch === '?') re += anyChar;
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/^[!^]/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return re;
}

function trim(value: string, pattern: string, side: 'prefix' | 'suffix', longest: boolean): string {
  const re = new RegExp(globRegExp(pattern).replace(/\[\\s\\S\]\*/g, longest ? '[\\s\\S]*' : '[\\s\\S]*?'));
  if (side === 'prefix') {
    const order = longest ? range(value.length, -1) : range(0, value.length + 1);
    for (const n of order) if (new RegExp(`^(?:${re.source})$`).test(value.slice(0, n))) return value.slice(n);
    return value;
  }
  const order = longest ? range(0, value.length + 1) : range(value.length, -1);
  for (const n of order) if (new RegExp(`^(?:${re.source})$`).test(value.slice(n))) return value.slice(0, n);
  return value;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  if (from <= to) for (let i = from; i < to; i++) out.push(i);
  else for (let i = from; i > to; i--) out.push(i);
  return out;
}

function replace(value: string, pattern: string, replacement: string, all: boolean): string {
  if (!pattern) return value;
  const re = new RegExp(globRegExp(pattern), all ? 'g' : '');
  return value.replace(re, () => replacement);
}

/** One word, quotes removed and variables expanded (BuildKit's ProcessWord). */
export function expandWord(word: string, vars: Vars, escape = '\\', used?: Set<string>): string {
  const lexer = new Lexer(vars, escape);
  const out = lexer.process(new Scanner(word), undefined);
  for (const n of lexer.used) used?.add(n);
  return out;
}

/** A text expanded, then split into words on blanks outside quotes (BuildKit's ProcessWords). */
export function expandWords(text: string, vars: Vars, escape = '\\', used?: Set<string>): string[] {
  const lexer = new Lexer(vars, escape);
  const words = new Words();
  lexer.process(new Scanner(text), words);
  words.end();
  for (const n of lexer.used) used?.add(n);
  return words.list;
}

/**
 * Splits an instruction's text into words on blanks outside quotes,
 * keeping quotes and escapes (the parser's parseWords, used for `k=v`
 * pairs before each side is expanded).
 */
export function splitRawWords(text: string, escape = '\\'): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === escape && i + 1 < text.length && quote !== "'") {
      word += ch + text[++i]!;
      continue;
    }
    if (quote) {
      if (ch === quote) quote = undefined;
      word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      word += ch;
      continue;
    }
    if (/\s/.test(ch)) {
      if (word) words.push(word);
      word = '';
      continue;
    }
    word += ch;
  }
  if (word) words.push(word);
  return words;
}

/**
 * A here-document's body as BuildKit expands it (an unquoted delimiter):
 * `$VAR` and `${…}` are expanded and `\$` is a dollar; quotes and other
 * backslashes are text, as in a shell's here-document.
 */
export function expandHeredoc(body: string, vars: Vars, used?: Set<string>): string {
  return body.replace(/\\\$|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, (m) => (m === '\\$' ? '$' : expandWord(m, vars, '\\', used)));
}
