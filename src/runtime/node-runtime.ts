import { RootfsCache, commitImage, layerTar, loadImage, pathTar, type CommitOptions, type ContentStore, type ImageCache } from '../oci/index.ts';
import { PodplayError, SIGNALS, flattenError, setAssetsBase } from '../shared/index.ts';
import type { Vfs } from '../vfs/index.ts';
import { WasiRunner, moduleCacheStats, type RunningProgram, type Usage } from '../wasi/index.ts';
import { deliverOutput, outOfMemoryWatch, pidsLimitOf, execProgram, killExecs, newContainer, startSettled, outcome, processFor, reasonOf, type Container } from './container.ts';
import { followLogs, type LogLine, type LogQuery } from './logs.ts';
import { type ContainerInfo, type ContainerProcess, type ContainerResult, type ContainerSpec, type ExecOptions, type NodeInitConfig, type NodeStats, type NodeUsage, type NodeWorkerApi, type Outcome, type OutputSink } from './protocol.ts';
import { containerChanges, copyInto } from './container-fs.ts';
import { openContentStore } from './stores.ts';
import { Volumes } from './volumes.ts';
import { NetworkLink, type Port } from './network-link.ts';

/** docker stop's default grace period. */
const DEFAULT_GRACE_MS = 10_000;

/**
 * One simulated node's runtime: reads images from the store, builds each
 * image's rootfs once (by chain ID), gives every container its own
 * copy-on-write tree over it, and runs programs with the WASI runner. It
 * keeps containers after they exit (state, timestamps, logs, filesystem)
 * until they are removed, as docker does. Lives in a node worker.
 */
export class NodeRuntime implements NodeWorkerApi {
  #name = 'node';
  #store: ContentStore | undefined;
  #runner: Promise<WasiRunner> | undefined;
  /** Images in the store passed the layer caps when they were pulled (with the caps the user chose): none again here. */
  readonly #rootfs = new RootfsCache({ maxExpandedBytes: Infinity, maxEntries: Infinity, maxImageBytes: Infinity });
  readonly #containers = new Map<string, Container>();
  readonly #volumes = new Volumes();
  readonly #images: ImageCache = new Map();
  /** Ids being created (reserved, so two creates of one id cannot both succeed). */
  readonly #creating = new Set<string>();
  /** Kills asked for before their container existed (a deadline that fired during create). */
  readonly #pendingKills = new Set<string>();
  /** Follows in progress, by the id their caller gave: each ends when called. */
  readonly #follows = new Map<string, () => void>();
  /** Interactive execs by their execId (kubectl exec -i). */
  readonly #execs = new Map<string, Promise<RunningProgram>>();
  #network: NetworkLink | undefined;

  async init(config: NodeInitConfig, compile?: (bytes: Uint8Array) => Promise<WebAssembly.Module>): Promise<void> {
    this.#name = config.name;
    if (config.assets) setAssetsBase(config.assets);
    this.#store = await openContentStore(config.store);
    this.#runner ??= WasiRunner.create(compile, config.sdkModule);
    await this.#runner;
  }

  /** The wire to the cluster network (see network-link.ts): containers with a `network` reach it from now on. */
  async attachNetwork(port: Port): Promise<void> {
    this.#network = new NetworkLink(port, (await this.#runner!).network);
  }

  async ping(): Promise<string> {
    return this.#name;
  }

  #get(id: string): Container {
    const c = this.#containers.get(id);
    if (!c) throw new PodplayError('ContainerNotFound', `Error response from daemon: No such container: ${id}`);
    return c;
  }

  async #createContainer(spec: ContainerSpec): Promise<Container> {
    if (this.#containers.has(spec.id) || this.#creating.has(spec.id)) {
      throw new PodplayError('ContainerConflict', `Conflict. The container name "${spec.id}" is already in use by container "${spec.id}". You have to remove (or rename) that container to be able to reuse that name.`);
    }
    const store = this.#store;
    if (!store || !this.#runner) throw new Error('node runtime used before init()');
    this.#creating.add(spec.id);
    try {
      return await this.#build(spec, store);
    } finally {
      this.#creating.delete(spec.id);
    }
  }

  async #build(spec: ContainerSpec, store: ContentStore): Promise<Container> {
    const image = await loadImage(store, spec.image, this.#images);
    const lower = await this.#rootfs.rootfs((d) => store.get(d.digest), image.manifest, image.config);
    const c = newContainer(spec, image, lower, this.#treeFor(spec, lower), this.#pendingKills.delete(spec.id));
    if (spec.network && this.#network) c.network = this.#network.namespace(spec.network.namespace, spec.network.ips);
    this.#containers.set(spec.id, c);
    return c;
  }

  /** The container's own tree: a copy-on-write clone of its image's, with its volumes mounted. */
  #treeFor(spec: ContainerSpec, lower: Vfs): Vfs {
    const tree = lower.clone();
    for (const [path, text] of Object.entries(spec.files ?? {})) {
      tree.mkdirp(path.slice(0, path.lastIndexOf('/')) || '/');
      tree.writeFile(path, new TextEncoder().encode(text), 0o644);
    }
    this.#volumes.mount(tree, spec.mounts ?? []);
    return tree;
  }

  async create(spec: ContainerSpec): Promise<Outcome<ContainerInfo>> {
    return outcome(async () => {
      return { ...(await this.#createContainer(spec)).info };
    });
  }

  /** Starts the container's program; its output goes to the logs and to `onOutput`, delivered before `done` settles. */
  async #start(c: Container, onOutput?: OutputSink): Promise<void> {
    if (c.program || c.starting) return; // docker start of a running container does nothing
    c.starting = true;
    try {
      await this.#launch(c, onOutput);
    } finally {
      c.starting = false;
    }
    // (TypeScript narrowed c.program above; #launch has set it since.)
    const program = c.program as RunningProgram | undefined;
    if (c.killAsked) {
      c.killAsked = false;
      await program?.kill();
    }
  }

  async #launch(c: Container, onOutput?: OutputSink): Promise<void> {
    const runner = await this.#runner!;
    const oomSeen = outOfMemoryWatch();
    const output = deliverOutput(onOutput, (e) => {
      c.logs.push(e.type, e.data, e.time);
      oomSeen.see(e);
    });
    const proc = processFor(c.image.config, c.spec);
    c.program = await runner.start({
      rootfs: c.tree,
      ...proc,
      stdin: c.spec.stdin,
      interactive: c.spec.interactive,
      memoryLimit: c.spec.memoryLimit,
      pidsLimit: pidsLimitOf(c.spec),
      usageGroup: c.spec.id,
      network: c.network,
      ...output.sinks,
    });
    Object.assign(c.info, { state: 'running', startedAt: Date.now(), finishedAt: undefined, exitCode: undefined, reason: undefined });
    const startedAt = c.info.startedAt!;
    c.firstStart.resolve();
    c.done = c.program.result.then(async (r) => {
      await output.delivered();
      c.logs.end();
      const oom = r.oomKilled === true || (c.spec.memoryLimit !== undefined && r.kind === 'exited' && r.exitCode !== 0 && oomSeen.seen);
      // Killed for memory, as the kernel's OOM killer would: SIGKILL, 128 + 9.
      const exitCode = oom ? 137 : r.exitCode;
      const reason = oom ? 'OOMKilled' : reasonOf(r.kind, r.exitCode);
      Object.assign(c.info, { state: 'exited', finishedAt: Date.now(), exitCode, reason });
      c.program = undefined;
      const result: ContainerResult = { exitCode, reason, startedAt, finishedAt: c.info.finishedAt! };
      if (r.streamError) result.streamError = r.streamError;
      return result;
    });
  }

  async start(id: string, onOutput?: OutputSink): Promise<Outcome<ContainerInfo>> {
    return outcome(async () => {
      const c = this.#get(id);
      await this.#start(c, onOutput);
      return { ...c.info };
    });
  }

  async wait(id: string): Promise<Outcome<ContainerResult>> {
    return outcome(async () => {
      const c = this.#get(id);
      // A created container: wait for its run, as docker wait does.
      await c.firstStart.promise;
      return await c.done!;
    });
  }

  async run(spec: ContainerSpec, onOutput: OutputSink): Promise<ContainerResult> {
    const startedAt = Date.now();
    let c: Container | undefined;
    try {
      c = await this.#createContainer(spec);
      await this.#start(c, onOutput);
    } catch (err) {
      if (c) Object.assign(c.info, { state: 'exited', finishedAt: Date.now(), exitCode: 128, reason: 'StartError' });
      return { exitCode: 128, reason: 'StartError', error: flattenError(err), startedAt, finishedAt: Date.now() };
    }
    return c.done!;
  }

  async stop(id: string, graceMs = DEFAULT_GRACE_MS, signal = SIGNALS.TERM): Promise<Outcome<ContainerInfo>> {
    return outcome(async () => {
      const c = this.#get(id);
      if (c.starting && !c.program) {
        // Being started: killed as soon as its program runs.
        c.killAsked = true;
        await startSettled(c);
      }
      if (c.program) {
        const program = c.program;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const graceOver = new Promise<'kill'>((r) => (timer = setTimeout(() => r('kill'), graceMs)));
        // PID 1 acts on the signal as Linux's would; what outlives the grace period is killed.
        if ((await program.signal(signal)) !== 'ended' && (await Promise.race([c.done!.then(() => 'exited' as const), graceOver])) === 'kill') {
          await program.kill();
        }
        clearTimeout(timer);
      }
      await killExecs(c);
      await c.done;
      return { ...c.info };
    });
  }

  async kill(id: string, signal = SIGNALS.KILL): Promise<boolean> {
    const c = this.#containers.get(id);
    if (signal !== SIGNALS.KILL) {
      // Any other signal goes to PID 1 alone; execs and a container being started are left as they are.
      if (!c?.program) return false;
      await c.program.signal(signal);
      return true;
    }
    if (!c) {
      // A deadline can fire while the container is still being created: kill it as soon as it runs.
      if (this.#creating.has(id)) this.#pendingKills.add(id);
      return this.#creating.has(id);
    }
    if (c.starting) {
      c.killAsked = true;
      return true;
    }
    await killExecs(c);
    if (!c.program) return false;
    await c.program.kill();
    return true;
  }

  async restart(id: string, onOutput?: OutputSink): Promise<Outcome<ContainerInfo>> {
    return outcome(async () => {
      const c = this.#get(id);
      if (c.program) await this.stop(id, DEFAULT_GRACE_MS);
      // A restarted container starts from a fresh writable layer, as a real runtime's does (its volumes stay).
      c.tree = this.#treeFor(c.spec, c.lower);
      c.info.restartCount++;
      await this.#start(c, onOutput);
      return { ...c.info };
    });
  }

  async remove(id: string, force = false): Promise<Outcome<boolean>> {
    return outcome(async () => {
      const c = this.#get(id); // docker rm of an unknown container: "No such container"
      if (c.program || c.starting) {
        if (!force) {
          throw new PodplayError(
            'ContainerRunning',
            `Error response from daemon: You cannot remove a running container ${id}. Stop the container before attempting removal or force remove`,
          );
        }
        await this.kill(id);
        // A start in progress applies the asked-for kill as soon as its program runs: wait for that run to end.
        await startSettled(c);
        await c.done;
      }
      await killExecs(c);
      c.firstStart.reject(new PodplayError('ContainerNotFound', `Error response from daemon: No such container: ${id}`));
      (await this.#runner)?.usage.forget(id);
      return this.#containers.delete(id);
    });
  }

  async inspect(id: string): Promise<Outcome<ContainerInfo>> {
    return outcome(async () => {
      return { ...this.#get(id).info };
    });
  }

  async list(): Promise<ContainerInfo[]> {
    return [...this.#containers.values()].map((c) => ({ ...c.info }));
  }

  async logs(id: string, query: LogQuery = {}): Promise<Outcome<LogLine[]>> {
    return outcome(async () => {
      return this.#get(id).logs.lines(query);
    });
  }

  /** Sends the selected lines, then each new line until the container exits or {@link unfollow} names `followId`. */
  async follow(id: string, onLine: (line: LogLine) => void | Promise<void>, query: LogQuery = {}, followId?: string): Promise<Outcome<void>> {
    return outcome(async () => {
      const c = this.#get(id);
      const cancelled = new Promise<void>((r) => followId && this.#follows.set(followId, r));
      try {
        await followLogs(c.logs, onLine, query, c.program && c.done ? Promise.race([c.done, cancelled]) : undefined);
      } finally {
        if (followId) this.#follows.delete(followId);
      }
      return undefined;
    });
  }

  /** Ends a follow (kubectl logs -f interrupted). */
  async unfollow(followId: string): Promise<void> {
    this.#follows.get(followId)?.();
  }

  async writeStdin(id: string, data: Uint8Array | string): Promise<Outcome<boolean>> {
    return outcome(async () => {
      const c = this.#get(id);
      return (await c.program?.writeStdin(data)) ?? false;
    });
  }

  async closeStdin(id: string): Promise<Outcome<void>> {
    return outcome(async () => {
      await this.#get(id).program?.closeStdin();
      return undefined;
    });
  }

  async top(id: string): Promise<Outcome<ContainerProcess[]>> {
    return outcome(async () => {
      const c = this.#get(id);
      const list = c.program ? (await this.#runner!).processes(id) : undefined;
      if (!list) throw new PodplayError('ContainerNotRunning', `Error response from daemon: container ${id} is not running`);
      return list;
    });
  }

  async exec(id: string, argv: string[], options: ExecOptions, onOutput: OutputSink): Promise<Outcome<ContainerResult>> {
    return outcome(async () => execProgram(this.#get(id), this.#runner!, argv, options, onOutput, this.#execs));
  }

  /** The running (or starting: execProgram registers it before its program starts) exec of an execId; undefined once it has ended. */
  async #exec(execId: string): Promise<RunningProgram | undefined> {
    return this.#execs.get(execId)?.catch(() => undefined);
  }

  async writeExecStdin(execId: string, data: Uint8Array | string): Promise<boolean> {
    return (await (await this.#exec(execId))?.writeStdin(data)) ?? false;
  }

  async closeExecStdin(execId: string): Promise<boolean> {
    const program = await this.#exec(execId);
    await program?.closeStdin();
    return !!program;
  }

  async killExec(execId: string): Promise<boolean> {
    const program = await this.#exec(execId);
    if (!program) return false;
    await program.kill();
    return true;
  }

  async diff(id: string): Promise<Outcome<Array<{ kind: 'A' | 'C' | 'D'; path: string }>>> {
    return outcome(async () => {
      const c = this.#get(id);
      return containerChanges(c.lower, c.tree, c.spec.mounts).map(({ kind, path }) => ({ kind, path }));
    });
  }

  async copyOut(id: string, path: string): Promise<Outcome<Uint8Array>> {
    return outcome(async () => {
      return await pathTar(this.#get(id).tree, path);
    });
  }

  async copyIn(id: string, dir: string, tar: Uint8Array): Promise<Outcome<void>> {
    return outcome(async () => {
      await copyInto(this.#get(id).tree, dir, tar, `${id}:${dir}`);
      return undefined;
    });
  }

  async commit(id: string, ref: string, options: CommitOptions = {}): Promise<Outcome<{ ref: string; digest: string }>> {
    return outcome(async () => {
      const c = this.#get(id);
      const made = await commitImage(this.#store!, c.image, containerChanges(c.lower, c.tree, c.spec.mounts), ref, options);
      return { ref: made.ref, digest: made.descriptor.digest };
    });
  }

  async layer(id: string, clampMtime?: number): Promise<Outcome<{ tar: Uint8Array; changes: number }>> {
    return outcome(async () => {
      const c = this.#get(id);
      const changes = containerChanges(c.lower, c.tree, c.spec.mounts);
      return { tar: await layerTar(changes, { clampMtime }), changes: changes.length };
    });
  }

  async readFile(id: string, path: string): Promise<Uint8Array | undefined> {
    const node = this.#containers.get(id)?.tree.lookup(path);
    return node?.kind === 'file' ? node.content().slice() : undefined;
  }

  async releaseVolumes(scope: string): Promise<number> {
    return this.#volumes.release(scope);
  }

  /** Memory and CPU time of each container with a process running or CPU time on record, and their sum. */
  async usage(): Promise<NodeUsage> {
    const all = (await this.#runner)?.usage.all() ?? new Map<string, Usage>();
    const containers = Object.fromEntries([...all].filter(([id]) => this.#containers.has(id)));
    const sum = (key: 'memoryBytes' | 'cpuMs') => Object.values(containers).reduce((n, u) => n + u[key], 0);
    return { node: this.#name, at: Date.now(), memoryBytes: sum('memoryBytes'), cpuMs: sum('cpuMs'), containers };
  }

  async stats(): Promise<NodeStats> {
    const runner = await this.#runner;
    return {
      name: this.#name,
      running: [...this.#containers.values()].filter((c) => c.program).length,
      layersApplied: this.#rootfs.appliedLayers,
      packagesLoaded: runner?.packageCount ?? 0,
      fsCalls: runner?.server.calls ?? 0,
      modulesCompiled: moduleCacheStats.compiled,
      modulesReused: moduleCacheStats.reused,
    };
  }
}
