/**
 * One pod on one node, as the kubelet's pod worker runs it: pull each image
 * (per imagePullPolicy, with ErrImagePull / ImagePullBackOff), run the init
 * containers one by one, then the containers, restart them per the pod's
 * restartPolicy with the crash-loop backoff (restart at once the first time,
 * then 10 s doubling to 5 min), publish the pod's status after each change,
 * and on deletion stop the containers within the grace period and remove
 * the pod. Every status comes from a real process in the node's runtime.
 */
import type { Container, ContainerState, ContainerStatus, Pod } from '../api/index.ts';
import { timestamp } from '../api/index.ts';
import type { ContainerResult, ContainerSpec } from '../runtime/index.ts';
import { ContainerConfigError, MountError, containerSpecFor } from './container-config.ts';
import { ImagePuller, type PullContext } from './image-pull.ts';
import { qualifiedImage } from './images.ts';
import type { KubeletContext } from './kubelet-context.ts';
import { podConditions, podPhase } from './pod-status.ts';
import { Prober } from './prober.ts';
import { podEtcFiles } from './pod-etc.ts';

export const INITIAL_BACKOFF_S = 10;
export const MAX_BACKOFF_S = 300;

interface Run {
  container: Container;
  init: boolean;
  status: ContainerStatus;
  /** The runtime's id of the current (or last) run, and the one before it (kubectl logs --previous). */
  id?: string;
  previousId?: string;
  /** Runs started so far (the restart count is one less). */
  runs: number;
  backoffS: number;
  puller: ImagePuller;
  prober?: Prober;
}

const waitingState = (reason: string, message?: string): ContainerState => ({ waiting: message ? { reason, message } : { reason } });

export class PodWorker {
  #pod: Pod;
  readonly #ctx: KubeletContext;
  readonly #runs = new Map<string, Run>();
  #stopping = false;
  #terminating?: Promise<void>;
  /** The kubelet went away: no more runs, no more status, no more events. */
  #abandoned = false;
  /** The pod IP, once its network is set up. */
  #ip?: string;
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
      runs: 0,
      backoffS: 0,
      puller: new ImagePuller(),
      status: { name: c.name, state: waitingState(before), lastState: {}, ready: false, started: false, restartCount: 0, image: qualifiedImage(c.image ?? ''), imageID: '' },
    });
    for (const c of pod.spec.initContainers ?? []) this.#runs.set(c.name, initial(c, true));
    for (const c of pod.spec.containers) this.#runs.set(c.name, initial(c, false));
    // A pod seen for the first time while being deleted is not started at all.
    if (pod.metadata.deletionTimestamp) this.#stopping = true;
    this.done = (this.#stopping ? Promise.resolve() : this.#main()).catch((err) => {
      if (!this.#abandoned) console.error(`pod ${pod.metadata.namespace}/${pod.metadata.name}:`, err);
    });
    if (this.#stopping) void this.#terminate();
  }

  /** The pod's name as the kubelet writes it in messages: `web_default(uid)`. */
  get #podRef(): string {
    return `${this.#pod.metadata.name}_${this.#pod.metadata.namespace}(${this.#pod.metadata.uid})`;
  }

  /** The grace period the containers are being stopped within (once terminating). */
  #graceUsed?: number;

  get #grace(): number {
    return (this.#pod.metadata.deletionGracePeriodSeconds ?? this.#pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  }

  /** A newer version of the pod arrived (from the API). */
  update(pod: Pod): void {
    this.#pod = pod;
    if (pod.metadata.deletionTimestamp) {
      // A second delete with a shorter grace period cuts the stop short, as the kubelet does.
      if (this.#graceUsed !== undefined && this.#grace < this.#graceUsed) {
        this.#graceUsed = this.#grace;
        void this.#stopAll(this.#grace, false);
      }
      void this.#terminate();
      return;
    }
    // A container whose image changed is stopped, and restarted with the new image.
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      const r = this.#runs.get(c.name);
      if (!r || r.container.image === c.image) continue;
      r.container = c;
      r.status.image = qualifiedImage(c.image ?? '');
      if (r.id && r.status.state.running) {
        const policy = pod.spec.restartPolicy ?? 'Always';
        this.#event('Normal', 'Killing', `Container ${c.name} definition changed${policy === 'Never' ? '' : ', will be restarted'}`, r);
        void this.#ctx.runtime.stop(r.id, this.#grace).catch(() => undefined);
      }
    }
  }

  /** The runtime id of a container's current and previous runs (kubectl logs, exec). */
  containerIds(name: string): { current?: string; previous?: string } {
    const r = this.#runs.get(name);
    return { current: r?.id, previous: r?.previousId };
  }

  #event(type: 'Normal' | 'Warning', reason: string, message: string, r?: Run): void {
    if (this.#abandoned) return;
    const fieldPath = r && `spec.${r.init ? 'initContainers' : 'containers'}{${r.container.name}}`;
    this.#ctx.recorder.event(this.#pod, type, reason, message, fieldPath);
  }

  #now(): string {
    return timestamp(this.#ctx.clock.now());
  }

  /** Waits `s` seconds of cluster time, or less if the pod is being stopped. */
  #sleep(s: number): Promise<void> {
    if (this.#stopping) return Promise.resolve();
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

  #stopLoops(): void {
    this.#stopping = true;
    for (const wake of [...this.#sleeps]) wake();
    for (const r of this.#runs.values()) r.prober?.stop();
  }

  /** A waiting state; a run that had ended keeps its end as lastState. */
  #wait(r: Run, state: ContainerState): void {
    if (r.status.state.terminated) r.status.lastState = { terminated: r.status.state.terminated };
    r.status.state = state;
    r.status.ready = false;
  }

  /** Stops this worker's loops without touching its containers or its pod (the kubelet is going away). */
  abandon(): void {
    this.#abandoned = true;
    this.#stopLoops();
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
          podIP: this.#podIP(),
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
      this.#publish();
      // An init container that failed for good fails the pod; the containers never start.
      if (!ok) return this.#finish();
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
      if (result === undefined) continue; // image, config or mount trouble: its backoff was waited out
      if (!(policy === 'Always' || (policy === 'OnFailure' && result.exitCode !== 0))) return result.exitCode === 0;
      // The crash-loop backoff: the first restart at once, then 10 s doubling to 5 min; a run of 10 min resets it.
      if (result.finishedAt - result.startedAt >= 2 * MAX_BACKOFF_S * 1000) r.backoffS = 0;
      if (r.backoffS === 0) {
        r.backoffS = INITIAL_BACKOFF_S;
        continue;
      }
      const wait = r.backoffS;
      r.backoffS = Math.min(r.backoffS * 2, MAX_BACKOFF_S);
      const name = r.container.name;
      this.#wait(r, waitingState('CrashLoopBackOff', `back-off ${formatSeconds(wait)} restarting failed container=${name} pod=${this.#podRef}`));
      this.#publish();
      this.#event('Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${this.#podRef}`, r);
      await this.#sleep(wait);
    }
  }

  #pullContext(r: Run): PullContext {
    return {
      images: this.#ctx.images,
      now: () => this.#ctx.clock.now(),
      event: (type, reason, message) => this.#event(type, reason, message, r),
      waiting: (state) => {
        this.#wait(r, state);
        this.#publish();
      },
      sleep: (s) => this.#sleep(s),
      stopping: () => this.#stopping,
    };
  }

  /** The runtime spec of the run, or undefined after a config or mount problem (its backoff waited out). */
  async #spec(r: Run, image: string, id: string): Promise<ContainerSpec | undefined> {
    try {
      const token = await this.#token();
      const spec = containerSpecFor(this.#ctx.api, this.#pod, r.container, image, id, { token, tokens: !!this.#ctx.credentials });
      if (token !== undefined && this.#ctx.credentials) spec.files = { ...spec.files, ...(await this.#ctx.credentials.inClusterFiles()) };
      return spec;
    } catch (err) {
      if (err instanceof MountError) {
        // The pod stays ContainerCreating; the volume's trouble is the event.
        this.#event('Warning', 'FailedMount', err.message);
      } else if (err instanceof ContainerConfigError) {
        this.#wait(r, waitingState('CreateContainerConfigError', err.message));
        this.#publish();
        this.#event('Warning', 'Failed', `Error: ${err.message}`, r);
      } else throw err;
      await this.#sleep(INITIAL_BACKOFF_S);
      return undefined;
    }
  }

  /** One run: image, create, start, wait. Undefined when it could not start (the backoff was waited out). */
  async #runOnce(r: Run): Promise<ContainerResult | undefined> {
    const c = r.container;
    const image = await r.puller.get(this.#pullContext(r), c);
    if (!image || this.#stopping) return undefined;
    const id = `${this.#pod.metadata.uid!.slice(0, 8)}-${c.name}-${r.runs}-${Math.random().toString(36).slice(2, 6)}`;
    const spec = await this.#spec(r, image.ref, id);
    if (!spec || this.#stopping) return undefined;
    const ip = this.#podIP();
    if (this.#ctx.network) spec.network = { namespace: this.#pod.metadata.uid!, ips: [ip] };
    spec.files = { ...podEtcFiles(this.#pod, ip), ...spec.files };
    const { runtime } = this.#ctx;
    await runtime.create(spec);
    // Keep the last dead run for kubectl logs --previous; older ones go.
    if (r.previousId) void runtime.remove(r.previousId, true).catch(() => undefined);
    r.previousId = r.id;
    r.id = id;
    this.#event('Normal', 'Created', 'Container created', r);
    if (this.#stopping) return undefined;
    // A restart: the last run's end moves to lastState, and the count goes up.
    if (r.runs > 0) {
      if (r.status.state.terminated) r.status.lastState = { terminated: r.status.state.terminated };
      r.status.restartCount++;
    }
    r.runs++;
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
    // Deleted while it started: stop it now (#terminate only saw runs with a running state).
    if (this.#stopping) void runtime.stop(id, this.#grace).catch(() => undefined);
    else if (!r.init) r.prober = this.#prober(r, id);
    this.#publish();
    const result = await runtime.wait(id);
    r.prober?.stop();
    r.prober = undefined;
    const reason = result.reason === 'OOMKilled' ? 'OOMKilled' : result.exitCode === 0 ? 'Completed' : 'Error';
    r.status.state = { terminated: { exitCode: result.exitCode, reason, startedAt, finishedAt: this.#now(), containerID: r.status.containerID } };
    if (result.error?.message) r.status.state.terminated!.message = result.error.message;
    r.status.ready = false;
    r.status.started = false;
    this.#publish();
    return result;
  }

  /** Probes of one run: readiness, and a restart when liveness or startup fails. */
  #prober(r: Run, id: string): Prober {
    const c = r.container;
    const { runtime } = this.#ctx;
    return new Prober(this.#ctx.clock, runtime, id, c, {
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
    }, { network: this.#ctx.network, podIP: () => this.#podIP() });
  }

  /** The pod ran to its end (Succeeded or Failed): its volumes and its network go; its containers stay for logs. */
  async #finish(): Promise<void> {
    this.#ctx.network?.tearDown(this.#pod.metadata.uid!);
    await this.#ctx.runtime.releaseVolumes(this.#pod.metadata.uid!).catch(() => undefined);
  }

  /** The pod's service-account token, when one of its volumes projects it (the kubelet's TokenRequest). */
  async #token(): Promise<string | undefined> {
    const source = (this.#pod.spec.volumes ?? [])
      .flatMap((v) => ((v as { projected?: { sources?: Array<{ serviceAccountToken?: { audience?: string; expirationSeconds?: number } }> } }).projected?.sources ?? []))
      .find((s) => s.serviceAccountToken)?.serviceAccountToken;
    if (!source || !this.#ctx.credentials) return undefined;
    return this.#ctx.credentials.token(this.#pod, { audience: source.audience, expirationSeconds: source.expirationSeconds });
  }

  /** The pod's IP: its sandbox's network is set up the first time it is asked for. */
  #podIP(): string {
    const m = this.#pod.metadata;
    this.#ip ??= this.#ctx.network?.setUp({ uid: m.uid!, namespace: m.namespace!, name: m.name!, ip: this.#pod.status?.podIP }) ?? podIP(m.uid!);
    return this.#ip;
  }

  /** Stops every run that has a container, within `graceMs`. */
  async #stopAll(graceMs: number, say: boolean): Promise<void> {
    await Promise.all(
      [...this.#runs.values()].map(async (r) => {
        if (!r.id || r.status.state.terminated) return;
        if (say && r.status.state.running) this.#event('Normal', 'Killing', `Stopping container ${r.container.name}`, r);
        await this.#ctx.runtime.stop(r.id, graceMs).catch(() => undefined);
      }),
    );
  }

  async #removeContainers(): Promise<void> {
    for (const r of this.#runs.values()) for (const id of [r.id, r.previousId]) if (id) await this.#ctx.runtime.remove(id, true).catch(() => undefined);
  }

  /** Graceful deletion: stop every container within the grace period, then remove the pod. */
  #terminate(): Promise<void> {
    return (this.#terminating ??= (async () => {
      this.#stopLoops();
      this.#graceUsed = this.#grace;
      await this.#stopAll(this.#grace, true);
      await this.done;
      for (const r of this.#runs.values()) {
        if (r.status.state.running) r.status.state = { terminated: { exitCode: 137, reason: 'Error', finishedAt: this.#now(), containerID: r.status.containerID } };
        r.status.ready = false;
      }
      this.#publish();
      await this.#finish();
      await this.#removeContainers();
      try {
        this.#ctx.api.delete('Pod', this.#pod.metadata.namespace, this.#pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: this.#pod.metadata.uid } });
      } catch (err) {
        const reason = (err as { reason?: string }).reason;
        if (reason !== 'NotFound' && reason !== 'Conflict') throw err;
      }
    })());
  }

  /** The pod object is gone (a force delete): stop everything at once and clean up; nothing to write. */
  async gone(): Promise<void> {
    if (this.#terminating) return this.#terminating.catch(() => undefined);
    this.#abandoned = true;
    this.#stopLoops();
    await this.#stopAll(0, false);
    await this.done;
    await this.#finish();
    await this.#removeContainers();
  }
}

/** A pod IP from the pod network 10.244.0.0/16, stable per pod (a kubelet without a pod network). */
function podIP(uid: string): string {
  let h = 0;
  for (const ch of uid) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `10.244.${(h >> 8) & 0xff}.${(h & 0xff) || 1}`;
}

/** `10s`, `2m40s`, `5m0s`, as the crash-loop message prints the backoff. */
function formatSeconds(s: number): string {
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}
