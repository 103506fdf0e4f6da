import { RootfsCache, loadImage, type ContentStore } from '../oci/index.ts';
import { flattenError } from '../shared/index.ts';
import type { Vfs } from '../vfs/index.ts';
import { WasiRunner, type RunningProgram } from '../wasi/index.ts';
import { processFor } from './container.ts';
import type { ContainerResult, ContainerSpec, NodeStats, NodeWorkerApi, OutputEvent, StoreConfig } from './protocol.ts';
import { openContentStore } from './stores.ts';

/**
 * One simulated node's runtime: reads images from the store, builds each
 * image's rootfs once (by chain ID), gives every container its own copy of
 * it, and runs the program with the WASI runner. Lives in a node worker.
 */
export class NodeRuntime implements NodeWorkerApi {
  #name = 'node';
  #store: ContentStore | undefined;
  #runner: Promise<WasiRunner> | undefined;
  /** Images in the store passed the layer caps when they were pulled (with the caps the user chose): none again here. */
  readonly #rootfs = new RootfsCache({ maxExpandedBytes: Infinity, maxEntries: Infinity, maxImageBytes: Infinity });
  readonly #running = new Map<string, RunningProgram>();
  /** Every container's own tree, kept after exit until remove(), as docker keeps stopped containers. */
  readonly #trees = new Map<string, Vfs>();

  async init(config: { name: string; store: StoreConfig }): Promise<void> {
    this.#name = config.name;
    this.#store = await openContentStore(config.store);
    this.#runner ??= WasiRunner.create();
    await this.#runner;
  }

  async run(spec: ContainerSpec, onOutput: (e: OutputEvent) => void): Promise<ContainerResult> {
    const startedAt = Date.now();
    if (this.#running.has(spec.id)) throw new Error(`container ${spec.id} is already running on ${this.#name}`);
    // Output travels on the callback's own channel, the result on the API's:
    // two ports, no order between them. Each delivery is awaited before the
    // result is returned, so the caller has every byte when it sees the exit.
    let delivered: Promise<unknown> = Promise.resolve();
    const emit = (e: OutputEvent) => {
      const sent = Promise.resolve(onOutput(e)).catch(() => undefined);
      delivered = delivered.then(() => sent);
    };
    let program: RunningProgram;
    try {
      if (!this.#store || !this.#runner) throw new Error('node runtime used before init()');
      const runner = await this.#runner;
      const image = await loadImage(this.#store, spec.image);
      const store = this.#store;
      const rootfs = (await this.#rootfs.rootfs((d) => store.get(d.digest), image.manifest, image.config)).clone();
      this.#trees.set(spec.id, rootfs);
      const proc = processFor(image.config, spec);
      program = await runner.start({
        rootfs,
        ...proc,
        stdin: spec.stdin,
        onStdout: (data) => emit({ type: 'stdout', data, time: Date.now() }),
        onStderr: (data) => emit({ type: 'stderr', data, time: Date.now() }),
      });
    } catch (err) {
      return { exitCode: 128, reason: 'StartError', error: flattenError(err), startedAt, finishedAt: Date.now() };
    }
    this.#running.set(spec.id, program);
    try {
      const r = await program.result;
      await delivered;
      const reason = r.kind === 'killed' ? 'Killed' : r.exitCode === 0 ? 'Completed' : 'Error';
      return { exitCode: r.exitCode, reason, startedAt, finishedAt: Date.now(), ...(r.streamError ? { streamError: r.streamError } : {}) };
    } finally {
      this.#running.delete(spec.id);
    }
  }

  async kill(id: string): Promise<boolean> {
    const p = this.#running.get(id);
    if (!p) return false;
    await p.kill();
    return true;
  }

  async readFile(id: string, path: string): Promise<Uint8Array | undefined> {
    const node = this.#trees.get(id)?.lookup(path);
    return node?.kind === 'file' ? node.content().slice() : undefined;
  }

  async remove(id: string): Promise<boolean> {
    if (this.#running.has(id)) return false;
    return this.#trees.delete(id);
  }

  async stats(): Promise<NodeStats> {
    const runner = await this.#runner;
    return {
      name: this.#name,
      running: this.#running.size,
      layersApplied: this.#rootfs.appliedLayers,
      packagesLoaded: runner?.packageCount ?? 0,
      fsCalls: runner?.server.calls ?? 0,
    };
  }
}
