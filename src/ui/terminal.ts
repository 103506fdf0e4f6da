/**
 * The page's terminal: xterm.js bound to podplay's shell, sized to its box.
 * Owns the xterm instance, the shell and the resize listener; dispose()
 * releases them.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { Shell, type CliEnv } from '../cli/index.ts';
import type { Disposable } from '../shared/index.ts';

export const BANNER = `\x1b[1mpodplay\x1b[0m: a Kubernetes cluster of node workers in this tab. Type \x1b[1mhelp\x1b[0m, or try
  kubectl create deployment web --image=podplay/hello --replicas=3
  kubectl get pods -o wide
  kubectl apply -f web.yaml      (ls shows the example manifests)

`;

export interface TerminalView extends Disposable {
  term: Terminal;
  shell: Shell;
}

export function mountTerminal(element: HTMLElement, env: CliEnv): TerminalView {
  const term = new Terminal({
    rows: 28,
    cursorBlink: true,
    convertEol: false,
    scrollback: 5000,
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: 13,
    theme: { background: '#1e1e1e' },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(element);
  fit.fit();
  const shell = new Shell({ write: (d) => term.write(d), clear: () => term.clear() }, env, { banner: BANNER });
  const input = term.onData((d) => shell.input(d));
  const onResize = () => fit.fit();
  window.addEventListener('resize', onResize);
  term.focus();
  return {
    term,
    shell,
    dispose() {
      window.removeEventListener('resize', onResize);
      input.dispose();
      shell.dispose();
      term.dispose();
    },
  };
}
