/**
 * A command line split into words as a POSIX shell splits it: blanks
 * separate words; 'single quotes' keep everything; "double quotes" keep
 * blanks and take backslash escapes of \ " $ and `; a backslash outside
 * quotes keeps the next character. A `#` starting a word begins a comment.
 * Unquoted `|`, `||`, `>`, `>>`, `2>`, `<`, `<<`, `&`, `&&` and `;` are words
 * of their own (operators).
 */

export interface SplitResult {
  words: string[];
  /** For each word, whether no part of it was quoted or escaped (only such a `|` or `>` is an operator). */
  plain: boolean[];
  /** Set when the line ends inside quotes or after a lone backslash (the shell would ask for more). */
  unterminated?: "'" | '"' | '\\';
  /** Where the last word starts in the line (for completion); the line's length when it ends in a blank. */
  lastWordStart: number;
}

export function splitWords(line: string): SplitResult {
  const words: string[] = [];
  const plain: boolean[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  const push = () => {
    words.push(word);
    plain.push(!quoted);
  };
  let start = line.length;
  let i = 0;
  const begin = () => {
    if (!inWord) {
      inWord = true;
      start = i;
    }
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) push();
      word = '';
      inWord = false;
      quoted = false;
      start = line.length;
      i++;
    } else if (c === '#' && !inWord) {
      break;
    } else if (c === '|' || c === '>' || c === '<' || c === ';' || c === '&') {
      // Operators end a word and are words of their own: `|`, `>`, `>>`, `<<`, `2>`, `&&`, `;`.
      let op = line[i + 1] === c && c !== ';' ? c + c : c;
      const fd = c === '>' && inWord && !quoted && /^[12]$/.test(word) ? word : '';
      if (inWord && !fd) push();
      i += op.length;
      if (fd) op = fd + op;
      words.push(op);
      plain.push(true);
      // `>&1`, `2>&1`: the target is a descriptor.
      if (op.endsWith('>') && line[i] === '&' && /[12]/.test(line[i + 1] ?? '')) {
        words.push(line.slice(i, i + 2));
        plain.push(true);
        i += 2;
      }
      word = '';
      inWord = false;
      quoted = false;
      start = line.length;
    } else if (c === "'") {
      begin();
      quoted = true;
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { words: [...words, word + line.slice(i + 1)], plain: [...plain, false], unterminated: "'", lastWordStart: start };
      word += line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      begin();
      quoted = true;
      i++;
      for (;;) {
        if (i >= line.length) return { words: [...words, word], plain: [...plain, false], unterminated: '"', lastWordStart: start };
        const d = line[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < line.length && '\\"$`'.includes(line[i + 1]!)) {
          word += line[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\') {
      begin();
      quoted = true;
      if (i + 1 >= line.length) return { words: [...words, word], plain: [...plain, false], unterminated: '\\', lastWordStart: start };
      word += line[i + 1];
      i += 2;
    } else {
      begin();
      word += c;
      i++;
    }
  }
  if (inWord) push();
  return { words, plain, lastWordStart: start };
}

/** A word quoted so that {@link splitWords} gives it back unchanged (for completion and history). */
export function quoteWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
