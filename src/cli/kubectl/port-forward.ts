/**
 * kubectl port-forward: local ports to ports inside a pod (or a pod a
 * Service or workload selects), until Ctrl-C. Each connection to a local
 * port is a connection to localhost:PORT inside the pod's network
 * namespace, as the kubelet makes it. Where the shell runs in Node the
 * local ports are real (curl http://127.0.0.1:8080 works); elsewhere the
 * environment has no ports to give and says so.
 */
import type { Pod } from '../../api/index.ts';
import { UsageError } from '../flags.ts';
import { CommandError, type LocalConnection } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { podFor } from './pods.ts';

interface PortPair {
  local: number;
  remote: number;
  spec: string;
}

/** `8080:80`, `80`, `:80` (a random local port); a Service's port becomes its target port on the pod. */
function parsePorts(inv: Invocation, words: string[], pod: Pod, service?: { ports?: Array<{ name?: string; port: number; targetPort?: number | string }> }): PortPair[] {
  return words.map((w) => {
    const [l, r] = w.includes(':') ? w.split(':') : [w, w];
    const remoteWord = r ?? '';
    let remote: number | undefined;
    if (service) {
      const sp = service.ports?.find((p) => String(p.port) === remoteWord || p.name === remoteWord);
      if (!sp) throw new CommandError(`error: Service ${inv.args[0]!.split('/')[1]} does not have a service port ${remoteWord}`);
      const t = sp.targetPort ?? sp.port;
      remote = typeof t === 'number' || /^\d+$/.test(String(t)) ? Number(t) : containerPort(pod, String(t));
      if (remote === undefined) throw new CommandError(`error: Pod '${pod.metadata.name}' does not have a named port '${t}'`);
    } else {
      remote = /^\d+$/.test(remoteWord) ? Number(remoteWord) : containerPort(pod, remoteWord);
      if (remote === undefined) throw new CommandError(`error: Pod '${pod.metadata.name}' does not have a named port '${remoteWord}'`);
    }
    const local = l === '' ? 0 : Number(l);
    if (!Number.isInteger(local) || local < 0 || local > 65535 || remote < 1 || remote > 65535) throw new CommandError(`error: Error parsing local port '${l}': should be from 0 to 65535`);
    return { local, remote, spec: w };
  });
}

function containerPort(pod: Pod, name: string): number | undefined {
  for (const c of pod.spec.containers) {
    const p = (c as { ports?: Array<{ name?: string; containerPort: number }> }).ports?.find((cp) => cp.name === name);
    if (p) return p.containerPort;
  }
  return undefined;
}

export const portForwardCommand: Command = {
  name: 'port-forward',
  group: 'Troubleshooting and Debugging Commands:',
  short: 'Forward one or more local ports to a pod',
  use: 'port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]',
  long: `Forward one or more local ports to a pod.

 Use resource type/name such as deployment/mydeployment to select a pod. Resource type defaults to 'pod' if omitted.

 If there are multiple pods matching the criteria, a pod will be selected automatically. The forwarding session ends when the selected pod terminates, and a rerun of the command is needed to resume forwarding.`,
  examples: `  # Listen on ports 5000 and 6000 locally, forwarding data to/from ports 5000 and 6000 in the pod
  kubectl port-forward pod/mypod 5000 6000

  # Listen on ports 5000 and 6000 locally, forwarding data to/from ports 5000 and 6000 in a pod selected by the deployment
  kubectl port-forward deployment/mydeployment 5000 6000

  # Listen on port 8443 locally, forwarding to the targetPort of the service's port named "https" in a pod selected by the service
  kubectl port-forward service/myservice 8443:https

  # Listen on port 8888 locally, forwarding to 5000 in the pod
  kubectl port-forward pod/mypod 8888:5000

  # Listen on a random port locally, forwarding to 5000 in the pod
  kubectl port-forward pod/mypod :5000`,
  flags: [
    { name: 'address', type: 'stringSlice', help: 'Addresses to listen on (comma separated). Only accepts IP addresses or localhost as a value. When localhost is supplied, kubectl will try to bind on both 127.0.0.1 and ::1 and will fail if neither of these addresses are available to bind.' },
    { name: 'pod-running-timeout', type: 'string', default: '1m0s', help: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running' },
  ],
  async run(inv) {
    if (inv.args.length < 2) throw new UsageError('TYPE/NAME and list of ports are required for port-forward');
    const pod = podFor(inv, inv.args[0]!);
    const api = inv.env.cluster.api;
    const isService = /^(svc|service|services)\//.test(inv.args[0]!);
    const service = isService ? (api.get('Service', pod.metadata.namespace, inv.args[0]!.split('/')[1]!).spec as { ports?: Array<{ name?: string; port: number; targetPort?: number | string }> }) : undefined;
    if (pod.status?.phase !== 'Running') throw new CommandError(`error: unable to forward port because pod is not running. Current status=${pod.status?.phase ?? 'Pending'}`);
    const pairs = parsePorts(inv, inv.args.slice(1), pod, service);
    const ports = inv.env.ports;
    if (!ports) throw new CommandError('error: port-forward needs local ports, and this terminal has none: run it in podplay\'s Node CLI (npx podplay), or open the pod\'s page from the cluster map');
    const asked = (inv.flags.address as string[] | undefined)?.length ? (inv.flags.address as string[]) : ['localhost'];
    const addresses = asked.flatMap((a) => (a === 'localhost' ? ['127.0.0.1', '::1'] : [a]));
    const listeners: Array<{ close(): Promise<void> }> = [];
    try {
      for (const pair of pairs) {
        const l = await ports.listen(addresses, pair.local, (conn) => void forward(inv, pod, pair, conn, l.port));
        listeners.push(l);
        for (const b of l.bound) inv.io.out(`Forwarding from ${b} -> ${pair.remote}\n`);
      }
    } catch (err) {
      await Promise.all(listeners.map((l) => l.close()));
      throw new CommandError(`error: ${(err as Error).message}`);
    }
    // Until Ctrl-C, or until the pod is gone.
    await new Promise<void>((resolve) => {
      const w = api.watch('Pod', { namespace: pod.metadata.namespace, fieldSelector: `metadata.name=${pod.metadata.name}` }, (e) => {
        if (e.type === 'DELETED' || (e.object as Pod).status?.phase !== 'Running') done();
      });
      const done = () => {
        w.dispose();
        inv.io.signal.removeEventListener('abort', done);
        resolve();
      };
      if (inv.io.signal.aborted) return done();
      inv.io.signal.addEventListener('abort', done, { once: true });
    });
    await Promise.all(listeners.map((l) => l.close()));
    return 0;
  },
};

/** klog's line header for an error: `E1207 14:20:01.123456   12345`. */
function klogHeader(): string {
  const d = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  const micros = String(d.getUTCMilliseconds() * 1000).padStart(6, '0');
  return `E${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${micros}   ${KUBECTL_PID}`;
}
const KUBECTL_PID = 4242;

/** One local connection, joined to localhost:REMOTE inside the pod. */
async function forward(inv: Invocation, pod: Pod, pair: PortPair, conn: LocalConnection, localPort: number): Promise<void> {
  inv.io.out(`Handling connection for ${localPort}\n`);
  const pending: Uint8Array[] = [];
  let ended = false;
  conn.onData = (b) => pending.push(b);
  conn.onEnd = () => (ended = true);
  const r = await inv.env.cluster.forward(pod, pair.remote, {
    data: (b) => conn.send(b),
    end: () => conn.end(),
    close: () => conn.end(),
    pause: () => undefined,
    resume: () => undefined,
  });
  if ('errno' in r) {
    const why = r.errno === 14 ? 'connect: connection refused' : `connect: errno ${r.errno}`;
    inv.io.err(
      `${klogHeader()} portforward.go:424] "Unhandled Error" err="an error occurred forwarding ${localPort} -> ${pair.remote}: error forwarding port ${pair.remote} to pod ${pod.metadata.uid}, uid : failed to execute portforward in network namespace: failed to connect to localhost:${pair.remote} inside namespace ${pod.metadata.uid}, IPv4: dial tcp4 127.0.0.1:${pair.remote}: ${why} IPv6 dial tcp6 [::1]:${pair.remote}: ${why} "\n`,
    );
    conn.end();
    return;
  }
  for (const b of pending) r.peer.send(b);
  if (ended) r.peer.end();
  conn.onData = (b) => r.peer.send(b);
  conn.onEnd = () => r.peer.end();
}
