/**
 * Pod names in the terminal that open the map's "Why here?": the `Name:`
 * line of `kubectl describe pod` output (a Name line followed by Namespace
 * and Priority, as describe prints a pod) becomes a link. The output itself
 * stays kubectl's, byte for byte.
 */
import type { IDisposable, Terminal } from '@xterm/xterm';

const NAME = /^Name:(\s+)(\S+)\s*$/;
const NAMESPACE = /^Namespace:\s+(\S+)\s*$/;
const PRIORITY = /^Priority:/;

/** Registers the links on `term`; `open` gets the pod's namespace and name. */
export function linkDescribedPods(term: Terminal, open: (namespace: string, name: string) => void): IDisposable {
  return term.registerLinkProvider({
    provideLinks(y, callback) {
      // y is 1-based; buffer lines are 0-based.
      const text = (row: number) => term.buffer.active.getLine(row)?.translateToString(true) ?? '';
      const name = NAME.exec(text(y - 1));
      const namespace = name && NAMESPACE.exec(text(y));
      if (!name || !namespace || !PRIORITY.test(text(y + 1))) return callback(undefined);
      const start = 'Name:'.length + name[1]!.length + 1;
      callback([
        {
          range: { start: { x: start, y }, end: { x: start + name[2]!.length - 1, y } },
          text: name[2]!,
          decorations: { underline: true, pointerCursor: true },
          activate: () => open(namespace[1]!, name[2]!),
        },
      ]);
    },
  });
}
