/**
 * kubectl exec -i / docker exec -i: another program in a running container
 * with the terminal's input streamed to its stdin as it is typed (closed by
 * Ctrl-D or the end of input), its output streamed back, and with -t the
 * TERM a terminal gives it (so `sh` prompts). Ctrl-C kills it when it has
 * the terminal; otherwise the command stops waiting.
 */
import type { ContainerResult, NodeWorker, OutputEvent } from '../sandbox/index.ts';
import type { CommandIo } from './io.ts';

export interface StreamExecOptions {
  env?: Record<string, string>;
  workingDir?: string;
  /** Stream the terminal's input to the program (-i). */
  stdin: boolean;
  /** A terminal (-t): TERM=xterm, and Ctrl-C kills the program. */
  tty: boolean;
  onOutput(e: OutputEvent): void;
}

let seq = 0;

/** Runs the exec; 'interrupted' when Ctrl-C ended the wait. */
export async function streamExec(io: CommandIo, node: NodeWorker, id: string, argv: string[], o: StreamExecOptions): Promise<ContainerResult | 'interrupted'> {
  const execId = `exec-${Date.now().toString(36)}-${++seq}`;
  const env = { ...(o.tty ? { TERM: 'xterm' } : {}), ...o.env };
  let attached = true;
  const done = node.exec(id, argv, { env, workingDir: o.workingDir, interactive: o.stdin, execId }, (e) => attached && o.onOutput(e));
  const ended = done.then(
    () => true,
    () => true,
  );
  // The node knows the exec from the exec call on (its writes and kill wait for the program to start).
  if (o.stdin) {
    void (async () => {
      const chunks = (io.stdin ?? (async function* () {})())[Symbol.asyncIterator]();
      try {
        for (;;) {
          // The program's end stops the pump even while it waits for input.
          const next = await Promise.race([chunks.next(), ended.then(() => undefined)]);
          if (!next || next.done) break;
          if (!(await node.writeExecStdin(execId, next.value))) return;
        }
        await node.closeExecStdin(execId);
      } finally {
        void chunks.return?.();
      }
    })().catch(() => undefined);
  }
  const interrupted = new Promise<'interrupted'>((r) => (io.signal.aborted ? r('interrupted') : io.signal.addEventListener('abort', () => r('interrupted'), { once: true })));
  const first = await Promise.race([done, interrupted]);
  if (first !== 'interrupted') return first;
  attached = false;
  if (o.tty) {
    await node.killExec(execId).catch(() => false);
    await Promise.race([ended, new Promise((r) => setTimeout(r, 5000))]);
  }
  return 'interrupted';
}
