/**
 * Attaching to a pod's container (kubectl run -i/-t, kubectl attach): wait
 * until it has started, stream its output, pass standard input to it, and
 * end when it exits or on Ctrl-C; and kubectl exec's runs of another program
 * in a running container.
 */
import type { Pod } from '../../api/index.ts';
import { CommandError } from '../io.ts';
import type { Invocation } from '../program.ts';

/** Resolves once the container has a runtime id (started), or its pod ended or went away. */
export function whenStarted(inv: Invocation, pod: Pod, container: string): Promise<Pod | undefined> {
  const api = inv.env.cluster.api;
  const ready = (p: Pod | undefined): boolean => {
    if (!p) return true;
    const status = p.status?.containerStatuses?.find((c) => c.name === container);
    return !!status?.state.running || !!status?.state.terminated || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
  };
  const current = () => api.tryGet('Pod', pod.metadata.namespace, pod.metadata.name!) as Pod | undefined;
  if (ready(current())) return Promise.resolve(current());
  return new Promise((resolve) => {
    const w = api.watch('Pod', { namespace: pod.metadata.namespace, fieldSelector: `metadata.name=${pod.metadata.name}` }, () => {
      const p = current();
      if (ready(p)) finish(p);
    });
    const abort = () => finish(undefined);
    const finish = (p: Pod | undefined) => {
      w.dispose();
      inv.io.signal.removeEventListener('abort', abort);
      resolve(p);
    };
    inv.io.signal.addEventListener('abort', abort, { once: true });
  });
}

/**
 * Streams a started container's output until it exits (or Ctrl-C), sending
 * standard input to it when `stdin` is set. Gives the exit code, when known.
 */
export async function attach(inv: Invocation, pod: Pod, container: string, stdin: boolean): Promise<number | undefined> {
  const where = inv.env.cluster.container(pod, container);
  if (!where) throw new CommandError(`error: unable to upgrade connection: container ${container} not found in pod ${pod.metadata.name}`);
  let feeding = Promise.resolve();
  if (stdin && inv.io.stdin) {
    feeding = (async () => {
      for await (const chunk of inv.io.stdin!) {
        if (inv.io.signal.aborted) break;
        if (!(await where.node.writeStdin(where.id, chunk).catch(() => false))) break;
      }
      await where.node.closeStdin(where.id).catch(() => undefined);
    })();
  }
  await where.node.follow(where.id, (line) => inv.io.out(line.text + (line.partial ? '' : '\n')), { since: Date.now() - 60_000 }, inv.io.signal);
  void feeding;
  if (inv.io.signal.aborted) return undefined;
  const info = await where.node.inspect(where.id).catch(() => undefined);
  return info?.exitCode;
}
