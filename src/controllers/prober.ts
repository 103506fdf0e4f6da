/**
 * The kubelet's probes (pkg/kubelet/prober) for one run of a container: a
 * startup probe first, then liveness and readiness, each after its
 * initialDelaySeconds and every periodSeconds, with its timeoutSeconds,
 * successThreshold and failureThreshold. An exec probe is a real program run
 * in the container (as kubectl exec runs it; exit code 0 is success); an
 * httpGet or tcpSocket probe a real connection to the pod's IP from the
 * node, through the cluster network. Failures are `Unhealthy` events in the
 * kubelet's words; a failed liveness or startup probe asks for the container
 * to be restarted.
 */
import type { Container, Probe } from '../api/index.ts';
import type { ContainerResult, OutputEvent } from '../runtime/index.ts';
import type { Clock } from '../shared/index.ts';
import type { PodNetwork } from './kubelet-context.ts';

export interface ProbeRuntime {
  exec(id: string, argv: string[], options: { env?: Record<string, string> }, onOutput?: (e: OutputEvent) => void): Promise<ContainerResult>;
  kill(id: string): Promise<boolean>;
}

export interface ProberHooks {
  /** Readiness changed (a container without a readiness probe is ready once started). */
  ready(ready: boolean): void;
  /** `Liveness probe failed: …` and the like. */
  unhealthy(message: string): void;
  /** A liveness or startup probe failed for good: restart the container. */
  failed(probe: 'liveness' | 'startup'): void;
}

type Kind = 'Startup' | 'Liveness' | 'Readiness';

/** Where network probes go: the pod's IP through the node's pod network. */
export interface ProbeTarget {
  network?: PodNetwork;
  podIP: () => string;
}

interface NetProbe {
  httpGet?: { host?: string; port: number | string; path?: string; scheme?: string; httpHeaders?: Array<{ name: string; value: string }> };
  tcpSocket?: { host?: string; port: number | string };
  grpc?: { port: number };
}

export class Prober {
  readonly #clock: Clock;
  readonly #runtime: ProbeRuntime;
  readonly #id: string;
  readonly #container: Container;
  readonly #hooks: ProberHooks;
  readonly #target: ProbeTarget;
  readonly #cancels = new Set<() => void>();
  #stopped = false;
  #started: boolean;
  /** The probe program running now: a container's probes run one at a time. */
  #running: Promise<unknown> = Promise.resolve();

  constructor(clock: Clock, runtime: ProbeRuntime, id: string, container: Container, hooks: ProberHooks, target: ProbeTarget = { podIP: () => '' }) {
    this.#target = target;
    this.#clock = clock;
    this.#runtime = runtime;
    this.#id = id;
    this.#container = container;
    this.#hooks = hooks;
    this.#started = !container.startupProbe;
    if (container.startupProbe) this.#loop('Startup', container.startupProbe);
    else this.#afterStartup();
  }

  #afterStartup(): void {
    this.#started = true;
    const c = this.#container;
    if (c.livenessProbe) this.#loop('Liveness', c.livenessProbe);
    if (c.readinessProbe) {
      this.#hooks.ready(false);
      this.#loop('Readiness', c.readinessProbe);
    } else this.#hooks.ready(true);
  }

  #after(seconds: number, fn: () => void): void {
    const cancel = this.#clock.setTimeout(() => {
      this.#cancels.delete(cancel);
      fn();
    }, seconds * 1000);
    this.#cancels.add(cancel);
  }

  /**
   * Runs the probe's command once: success, and what it printed. One probe
   * program at a time per container (the SDK's Node build was seen to stall
   * one of two programs started in the same instant).
   */
  #probe(p: Probe): Promise<{ ok: boolean; output: string }> {
    const next = this.#running.then(() => this.#probeNow(p));
    this.#running = next.catch(() => undefined);
    return next;
  }

  async #probeNow(p: Probe): Promise<{ ok: boolean; output: string }> {
    const n = p as Probe & NetProbe;
    if (n.httpGet || n.tcpSocket) return this.#netProbe(n, (p.timeoutSeconds ?? 1) * 1000);
    if (n.grpc) return { ok: false, output: 'podplay does not run grpc probes: use httpGet, tcpSocket or exec' };
    const argv = p.exec?.command;
    if (!argv?.length) return { ok: false, output: 'the probe has no handler: give it exec, httpGet or tcpSocket' };
    let output = '';
    const decoder = new TextDecoder();
    const run = this.#runtime.exec(this.#id, argv, {}, (e) => (output += decoder.decode(e.data, { stream: true })));
    const timeout = new Promise<'timeout'>((resolve) => this.#after(p.timeoutSeconds ?? 1, () => resolve('timeout')));
    const r = await Promise.race([run, timeout]).catch((err: Error) => ({ exitCode: -1, error: err }));
    if (r === 'timeout') return { ok: false, output: `command ${JSON.stringify(argv.join(' '))} timed out` };
    return { ok: r.exitCode === 0, output: output.trim() };
  }

  async #netProbe(p: NetProbe, timeoutMs: number): Promise<{ ok: boolean; output: string }> {
    const network = this.#target.network;
    if (!network) return { ok: false, output: 'this node has no pod network: httpGet and tcpSocket probes need one' };
    const spec = (p.httpGet ?? p.tcpSocket)!;
    const port = this.#port(spec.port);
    if (port === undefined) return { ok: false, output: `unable to find port ${JSON.stringify(String(spec.port))} in the container` };
    const host = spec.host || this.#target.podIP();
    if (p.httpGet) return network.probeHttp({ host, port, path: p.httpGet.path ?? '/', scheme: p.httpGet.scheme, headers: p.httpGet.httpHeaders, timeoutMs });
    return network.probeTcp({ host, port, timeoutMs });
  }

  /** A probe's port: a number, or the name of one of the container's ports. */
  #port(port: number | string): number | undefined {
    if (typeof port === 'number') return port;
    if (/^\d+$/.test(port)) return Number(port);
    const ports = (this.#container as Container & { ports?: Array<{ name?: string; containerPort: number }> }).ports ?? [];
    return ports.find((cp) => cp.name === port)?.containerPort;
  }

  #loop(kind: Kind, p: Probe): void {
    let successes = 0;
    let failures = 0;
    const tick = async () => {
      if (this.#stopped) return;
      const { ok, output } = await this.#probe(p);
      if (this.#stopped) return;
      if (ok) {
        successes++;
        failures = 0;
        if (kind === 'Readiness' && successes >= (p.successThreshold ?? 1)) this.#hooks.ready(true);
        if (kind === 'Startup') return this.#afterStartup();
      } else {
        failures++;
        successes = 0;
        this.#hooks.unhealthy(`${kind} probe failed: ${output}`);
        if (failures >= (p.failureThreshold ?? 3)) {
          if (kind === 'Readiness') this.#hooks.ready(false);
          else {
            this.stop();
            this.#hooks.failed(kind === 'Liveness' ? 'liveness' : 'startup');
            return;
          }
        }
      }
      this.#after(p.periodSeconds ?? 10, () => void tick());
    };
    this.#after(p.initialDelaySeconds ?? 0, () => void tick());
  }

  get started(): boolean {
    return this.#started;
  }

  stop(): void {
    this.#stopped = true;
    for (const cancel of this.#cancels) cancel();
    this.#cancels.clear();
  }
}
