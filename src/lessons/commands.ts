import type { Command } from './types.ts';

/**
 * The commands of a shell block as a learner would paste them: blank lines
 * and `#` comments dropped, a leading `$ ` prompt taken off, lines ending
 * in `\` joined with the next, and a here-document (`<<EOF` … `EOF`, also
 * `<<'EOF'` and `<<-EOF`) kept with its command as its standard input.
 */
export function splitCommands(text: string): Command[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const out: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/^\s*\$ /, '');
    if (!line.trim() || /^\s*#/.test(line)) continue;
    while (/\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1).trimEnd() + ' ' + lines[++i]!.trim();
    const heredoc = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2\s*$/.exec(line);
    if (!heredoc) {
      out.push({ line: line.trim() });
      continue;
    }
    const [marker, dash, , word] = heredoc;
    const body: string[] = [];
    for (i++; i < lines.length; i++) {
      const l = dash ? lines[i]!.replace(/^\t+/, '') : lines[i]!;
      if (l === word) break;
      body.push(l);
    }
    out.push({ line: line.slice(0, line.length - marker.length).trim(), stdin: body.length ? body.join('\n') + '\n' : '' });
  }
  return out;
}
