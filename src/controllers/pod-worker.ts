/**
 * One pod on one node, as the kubelet's pod worker runs it: pull each image
 * (per imagePullPolicy, with ErrImagePull / ImagePullBackOff), run the init
 * containers one by one, then the containers, restart them per the pod's
 * restartPolicy with the crash-loop backoff (restart at once the first time,
 * then 10 s doubling to 5 min), publish the pod's status after each change,
 * and on deletion stop the containers within the grace period and remove
 * the pod. Every status comes from a real process in the node's runtime.
 */
import type { ApiStore, Container, ContainerState, ContainerStatus, Pod } from '../api/index.ts';
import { timestamp } from '../api/index.ts';
import type { ContainerInfo, ContainerResult, ContainerSpec, OutputEvent } from '../runtime/index.ts';
import type { Clock } from '../shared/index.ts';
import { ContainerConfigError, containerSpecFor } from './container-config.ts';
import type { EventRecorder } from './events.ts';
import { qualifiedImage, type ImageService, type PulledImage } from './images.ts';
import { podConditions, podPhase } from './pod-status.ts';
import { Prober } from './prober.ts';

/** What a kubelet needs of its node's container runtime (a NodeWorker has it). */
export interface ContainerRuntime {
  create(spec: ContainerSpec): Promise<ContainerInfo>;
  start(id: string): Promise<ContainerInfo>;
  wait(id: string): Promise<ContainerResult>;
  stop(id: string, graceMs?: number): Promise<ContainerInfo>;
  remove(id: string, force?: boolean): Promise<boolean>;
  releaseVolumes(scope: string): Promise<number>;
  exec(id: string, argv: string[], options: { env?: Record<string, string> }, onOutput?: (e: OutputEvent) => void): Promise<ContainerResult>;
  kill(id: string): Promise<boolean>;
  /** Tells when the node worker dies (a NodeWorker has it): its kubelet stops with it. */
  onFailure?(listener: (failure: { reason: string }) => void): () => void;
}

export interface KubeletContext {
  api: ApiStore;
  clock: Clock;
  nodeName: string;
  hostIP: string;
  runtime: ContainerRuntime;
  images: ImageService;
  recorder: EventRecorder;
}

export const INITIAL_BACKOFF_S = 10;
export const MAX_BACKOFF_S = 300;

interface Run {
  container: Container;
  init: boolean;
  status: ContainerStatus;
  /** The runtime's id of the current (or last) run, and the one before it (kubectl logs --previous). */
  id?: string;
  previousId?: string;
  backoffS: number;
  imageBackoffS: number;
}

const waiting = (reason: string, message?: string): ContainerState => ({ waiting: message ? { reason, message } : { reason } });

export class PodWorker {
  #pod: Pod;
  readonly #ctx: KubeletContext;
  readonly #runs = new Map<string, Run>();
  #stopping = false;
  /** The kubelet went away: no more runs, no more status. */
  #abandoned = false;
  #sleeps = new Set<() => void>();
  readonly done: Promise<void>;

  constructor(ctx: KubeletContext, pod: Pod) {
    this.#ctx = ctx;
    this.#pod = pod;
    // Before a container has run, it waits as ContainerCreating, or PodInitializing in a pod with init containers.
    const before = pod.spec.initContainers?.length ? 'PodInitializing' : 'ContainerCreating';
    const initial = (c: Container, init: boolean): Run => ({
      container: c,
      init,
      backoffS: 0,
      imageBackoffS: 0,
      status: { name: c.name, state: waiting(before), lastState: {}, ready: false, started: false, restartCount: 0, image: qualifiedImage(c.image ?? ''), imageID: '' },
    });
    for (const c of pod.spec.initContainers ?? []) this.#runs.set(c.name, initial(c, true));
    for (const c of pod.spec.containers) this.#runs.set(c.name, initial(c, false));
    this.done = this.#main().catch((err) => {
      if (!this.#abandoned) console.error(`pod ${this.#key}:`, err);
    });
  }

  get #key(): string {
    return `${this.#pod.metadata.namespace}/${this.#pod.metadata.name}`;
  }

  /** The pod's name as the kubelet writes it in messages: `web_default(uid)`. */
  get #podRef(): string {
    return `${this.#pod.metadata.name}_${this.#pod.metadata.namespace}(${this.#pod.metadata.uid})`;
  }

  /** A newer version of the pod arrived (from the API). */
  update(pod: Pod): void {
    this.#pod = pod;
    if (pod.metadata.deletionTimestamp && !this.#stopping) void this.#terminate();
  }

  /** The runtime id of a container's current and previous runs (kubectl logs, exec). */
  containerIds(name: string): { current?: string; previous?: string } {
    const r = this.#runs.get(name);
    return { current: r?.id, previous: r?.previousId };
  }

  #event(type: 'Normal' | 'Warning', reason: string, message: string, r?: Run): void {
    const fieldPath = r && `spec.${r.init ? 'initContainers' : 'containers'}{${r.container.name}}`;
    this.#ctx.recorder.event(this.#pod, type, reason, message, fieldPath);
  }

  #now(): string {
    return timestamp(this.#ctx.clock.now());
  }

  /** Waits `s` seconds of cluster time, or less if the pod is being stopped. */
  #sleep(s: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        cancel();
        this.#sleeps.delete(wake);
        resolve();
      };
      const cancel = this.#ctx.clock.setTimeout(wake, s * 1000);
      this.#sleeps.add(wake);
    });
  }

  /** Stops this worker's loops without touching its containers or its pod (the kubelet is going away). */
  abandon(): void {
    this.#abandoned = true;
    this.#stopping = true;
    for (const wake of [...this.#sleeps]) wake();
  }

  #publish(): void {
    if (this.#abandoned) return;
    const init = [...this.#runs.values()].filter((r) => r.init).map((r) => r.status);
    const main = [...this.#runs.values()].filter((r) => !r.init).map((r) => r.status);
    const pod = this.#pod;
    // A deleted pod whose containers have all stopped ends in a terminal phase whatever its restart policy.
    const stopped = this.#stopping && main.every((m) => m.state.terminated);
    const phase = podPhase(stopped ? { ...pod.spec, restartPolicy: 'Never' } : pod.spec, init, main);
    try {
      this.#pod = this.#ctx.api.mutate<Pod>('Pod', pod.metadata.namespace, pod.metadata.name!, (p) => {
        const prev = p.status ?? {};
        p.status = {
          ...prev,
          phase,
          conditions: podConditions(phase, init, main, this.#now(), prev.conditions),
          hostIP: this.#ctx.hostIP,
          podIP: prev.podIP ?? podIP(pod.metadata.uid!),
          startTime: prev.startTime ?? this.#now(),
          containerStatuses: structuredClone(main),
        };
        if (init.length) p.status.initContainerStatuses = structuredClone(init);
      }, true);
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'NotFound') throw err;
    }
  }

  async #main(): Promise<void> {
    this.#publish();
    const policy = this.#pod.spec.restartPolicy ?? 'Always';
    for (const r of this.#runs.values()) {
      if (!r.init || this.#stopping) continue;
      const ok = await this.#supervise(r, policy === 'Never' ? 'Never' : 'OnFailure');
      if (!ok) {
        // An init container that failed for good fails the pod; the containers never start.
        for (const m of this.#runs.values()) if (!m.init) m.status.state = waiting('PodInitializing');
        this.#publish();
        return this.#finish();
      }
      this.#publish();
    }
    if (this.#stopping) return;
    await Promise.all([...this.#runs.values()].filter((r) => !r.init).map((r) => this.#supervise(r, policy)));
    if (!this.#stopping) await this.#finish();
  }

  /** Runs a container until it ends for good; true when it ended with exit code 0. */
  async #supervise(r: Run, policy: 'Always' | 'OnFailure' | 'Never'): Promise<boolean> {
    for (;;) {
      if (this.#stopping) return false;
      const result = await this.#runOnce(r);
      if (this.#stopping) return false;
      if (result === undefined) continue; // pull or config trouble: #runOnce waited out its backoff
      const exitCode = result.exitCode;
      if (!(policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0))) return exitCode === 0;
      // The crash-loop backoff: the first restart at once, then 10 s doubling to 5 min; a run of 10 min resets it.
      if (result.finishedAt - result.startedAt >= 2 * MAX_BACKOFF_S * 1000) r.backoffS = 0;
      if (r.backoffS === 0) {
        r.backoffS = INITIAL_BACKOFF_S;
        continue;
      }
      const wait = r.backoffS;
      r.backoffS = Math.min(r.backoffS * 2, MAX_BACKOFF_S);
      const name = r.container.name;
      r.status.state = waiting('CrashLoopBackOff', `back-off ${formatSeconds(wait)} restarting failed container=${name} pod=${this.#podRef}`);
      this.#publish();
      this.#event('Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${this.#podRef}`, r);
      await this.#sleep(wait);
    }
  }

  async #image(r: Run): Promise<PulledImage | undefined> {
    const c = r.container;
    const image = c.image ?? '';
    const policy = c.imagePullPolicy ?? 'IfNotPresent';
    const { images } = this.#ctx;
    const present = await images.present(image);
    if (present && policy !== 'Always') {
      const via = present.mirror ? ` (served by podplay image ${JSON.stringify(present.ref)} through a registry mirror)` : '';
      this.#event('Normal', 'Pulled', `Container image ${JSON.stringify(image)} already present on machine and can be accessed by the pod${via}`, r);
      return present;
    }
    if (!present && policy === 'Never') {
      const message = `Container image ${JSON.stringify(image)} is not present with pull policy of Never`;
      r.status.state = waiting('ErrImageNeverPull', message);
      this.#publish();
      this.#event('Warning', 'ErrImageNeverPull', message, r);
      this.#event('Warning', 'Failed', 'Error: ErrImageNeverPull', r);
      return undefined;
    }
    this.#event('Normal', 'Pulling', `Pulling image ${JSON.stringify(image)}`, r);
    const t0 = this.#ctx.clock.now();
    try {
      const pulled = await images.pull(image);
      const took = formatDuration(this.#ctx.clock.now() - t0);
      const via = pulled.mirror ? ` (served by podplay image ${JSON.stringify(pulled.ref)} through a registry mirror)` : '';
      this.#event('Normal', 'Pulled', `Successfully pulled image ${JSON.stringify(image)} in ${took} (${took} including waiting). Image size: ${pulled.size} bytes.${via}`, r);
      r.imageBackoffS = 0;
      return pulled;
    } catch (err) {
      const why = (err as Error).message;
      r.status.state = waiting('ErrImagePull', why);
      this.#publish();
      this.#event('Warning', 'Failed', `Failed to pull image ${JSON.stringify(image)}: ${why}`, r);
      this.#event('Warning', 'Failed', 'Error: ErrImagePull', r);
      r.imageBackoffS = r.imageBackoffS ? Math.min(r.imageBackoffS * 2, MAX_BACKOFF_S) : INITIAL_BACKOFF_S;
      await this.#sleep(1);
      if (this.#stopping) return undefined;
      r.status.state = waiting('ImagePullBackOff', `Back-off pulling image ${JSON.stringify(image)}: ErrImagePull: ${why}`);
      this.#publish();
      this.#event('Normal', 'BackOff', `Back-off pulling image ${JSON.stringify(image)}`, r);
      this.#event('Warning', 'Failed', 'Error: ImagePullBackOff', r);
      await this.#sleep(r.imageBackoffS);
      return undefined;
    }
  }

  /** One run: image, create, start, wait. Undefined when it could not start (the backoff was waited out). */
  async #runOnce(r: Run): Promise<ContainerResult | undefined> {
    const c = r.container;
    const image = await this.#image(r);
    if (!image || this.#stopping) return undefined;
    const id = `${this.#pod.metadata.uid!.slice(0, 8)}-${c.name}-${r.status.restartCount}-${Math.random().toString(36).slice(2, 6)}`;
    let spec: ContainerSpec;
    try {
      spec = containerSpecFor(this.#ctx.api, this.#pod, c, image.ref, id);
    } catch (err) {
      if (!(err instanceof ContainerConfigError)) throw err;
      r.status.state = waiting('CreateContainerConfigError', err.message);
      this.#publish();
      this.#event('Warning', 'Failed', `Error: ${err.message}`, r);
      await this.#sleep(INITIAL_BACKOFF_S);
      return undefined;
    }
    const { runtime } = this.#ctx;
    await runtime.create(spec);
    // Keep the last dead run for kubectl logs --previous; older ones go.
    if (r.previousId) void runtime.remove(r.previousId, true).catch(() => undefined);
    r.previousId = r.id;
    r.id = id;
    this.#event('Normal', 'Created', 'Container created', r);
    r.status.containerID = `podplay://${id}`;
    r.status.imageID = `${image.ref.slice(0, image.ref.lastIndexOf(':'))}@${image.imageId}`;
    try {
      await runtime.start(id);
    } catch (err) {
      r.status.state = { terminated: { exitCode: 128, reason: 'StartError', message: (err as Error).message, startedAt: this.#now(), finishedAt: this.#now(), containerID: r.status.containerID } };
      this.#publish();
      this.#event('Warning', 'Failed', `Error: ${(err as Error).message}`, r);
      return { exitCode: 128, reason: 'StartError', startedAt: this.#ctx.clock.now(), finishedAt: this.#ctx.clock.now() };
    }
    const startedAt = this.#now();
    this.#event('Normal', 'Started', 'Container started', r);
    r.status.state = { running: { startedAt } };
    r.status.started = !c.startupProbe;
    r.status.ready = false;
    // Probes (init containers have none): readiness, and a restart when liveness or startup fails.
    const prober = r.init
      ? undefined
      : new Prober(this.#ctx.clock, runtime, id, c, {
          ready: (ok) => {
            if (!r.status.state.running || r.id !== id) return;
            r.status.started = true;
            r.status.ready = ok;
            this.#publish();
          },
          unhealthy: (message) => this.#event('Warning', 'Unhealthy', message, r),
          failed: (probe) => {
            const policy = this.#pod.spec.restartPolicy ?? 'Always';
            this.#event('Normal', 'Killing', `Container ${c.name} failed ${probe} probe${policy === 'Never' ? '' : ', will be restarted'}`, r);
            void runtime.stop(id, (this.#pod.spec.terminationGracePeriodSeconds ?? 30) * 1000).catch(() => undefined);
          },
        });
    this.#publish();
    const result = await runtime.wait(id);
    prober?.stop();
    const reason = result.reason === 'OOMKilled' ? 'OOMKilled' : result.exitCode === 0 ? 'Completed' : 'Error';
    r.status.state = { terminated: { exitCode: result.exitCode, reason, startedAt, finishedAt: this.#now(), containerID: r.status.containerID } };
    if (result.error?.message) r.status.state.terminated!.message = result.error.message;
    r.status.ready = false;
    r.status.started = false;
    const policy = this.#pod.spec.restartPolicy ?? 'Always';
    const restarts = !this.#stopping && (r.init ? policy !== 'Never' && result.exitCode !== 0 : policy === 'Always' || (policy === 'OnFailure' && result.exitCode !== 0));
    if (restarts) {
      // The end moves to lastState; the count goes up when the next run is asked for.
      r.status.lastState = { terminated: r.status.state.terminated! };
      r.status.restartCount++;
      r.status.state = waiting('ContainerCreating');
    }
    this.#publish();
    return result;
  }

  /** The pod ran to its end (Succeeded or Failed): its volumes go; its containers stay for logs. */
  async #finish(): Promise<void> {
    await this.#ctx.runtime.releaseVolumes(this.#pod.metadata.uid!).catch(() => undefined);
  }

  /** Graceful deletion: stop every running container within the grace period, then remove the pod. */
  async #terminate(): Promise<void> {
    this.#stopping = true;
    for (const wake of [...this.#sleeps]) wake();
    const grace = (this.#pod.metadata.deletionGracePeriodSeconds ?? this.#pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    const { runtime } = this.#ctx;
    await Promise.all(
      [...this.#runs.values()].map(async (r) => {
        if (!r.id || !r.status.state.running) return;
        this.#event('Normal', 'Killing', `Stopping container ${r.container.name}`, r);
        await runtime.stop(r.id, grace).catch(() => undefined);
      }),
    );
    await this.done;
    for (const r of this.#runs.values()) {
      if (r.status.state.running || r.status.state.waiting) {
        r.status.state = { terminated: { exitCode: 137, reason: 'Error', finishedAt: this.#now(), containerID: r.status.containerID } };
        r.status.ready = false;
      }
    }
    this.#publish();
    await this.#finish();
    for (const r of this.#runs.values()) for (const id of [r.id, r.previousId]) if (id) await runtime.remove(id, true).catch(() => undefined);
    try {
      this.#ctx.api.delete('Pod', this.#pod.metadata.namespace, this.#pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: this.#pod.metadata.uid } });
    } catch (err) {
      const reason = (err as { reason?: string }).reason;
      if (reason !== 'NotFound' && reason !== 'Conflict') throw err;
    }
  }
}

/** A pod IP from the pod network 10.244.0.0/16, stable per pod. */
function podIP(uid: string): string {
  let h = 0;
  for (const ch of uid) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `10.244.${(h >> 8) & 0xff}.${(h & 0xff) || 1}`;
}

/** Go's time.Duration text, as kubelet messages print it: `1.234s`, `412ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return `${Number((ms / 1000).toFixed(3))}s`;
}

/** `10s`, `2m40s`, `5m0s`, as the crash-loop message prints the backoff. */
function formatSeconds(s: number): string {
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}
