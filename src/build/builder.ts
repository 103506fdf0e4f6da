/**
 * `docker build`: parses the Dockerfile, works out which stages the target
 * needs (BuildKit skips the rest), builds independent stages concurrently,
 * runs each instruction (steps.ts) with the build cache, and exports the
 * target stage as an OCI image in the store, tagged only once the whole
 * build has succeeded. Progress goes out as BuildKit's vertices.
 */
import { RootfsCache, MediaType, normalizeRef, type ContentStore, type Descriptor, type Digest, type ImageConfig, type PullEvent, type StoredImage } from '../oci/index.ts';
import type { NodeWorker } from '../runtime/index.ts';
import { PodplayError, utf8 } from '../shared/index.ts';
import type { Vfs } from '../vfs/index.ts';
import { loadContext, ignorePatterns, type ContextSource, type LoadedContext } from './context.ts';
import { DockerfileError, parseDockerfile, suggest, type Dockerfile, type Instruction, type Stage } from './dockerfile.ts';
import { buildBytes, pullStatus, type BuildEvent } from './progress.ts';
import { runStep } from './run-step.ts';
import { expandWord } from './shell-words.ts';
import { cachedStep, recordStep } from './cache.ts';
import { DEFAULT_PATH, StageState, emptyTree } from './stage.ts';
import { runInstruction, type StepContext } from './steps.ts';

/** What a build runs against: the image store, a way to get base images, the node worker RUN steps run on. */
export interface BuildHost {
  store: ContentStore;
  /** The stored image, pulled first when the store lacks it. */
  ensureImage(ref: string, onEvent?: (e: PullEvent) => void): Promise<{ image: StoredImage; pulled: boolean }>;
  node: NodeWorker;
  /** For ADD of a URL (absent: refused with a clear error). */
  fetch?: (url: string) => Promise<Response>;
  /** Trees by chain ID, kept from one build to the next (a warm build then unpacks nothing). */
  rootfs?: RootfsCache;
}

export interface BuildRequest {
  /** The Dockerfile's text and its name as given (-f). */
  dockerfile: string;
  dockerfileName?: string;
  context: ContextSource;
  /** The context's .dockerignore text, when it has one. */
  dockerignore?: string;
  tags?: string[];
  buildArgs?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  /** Seconds since the epoch written as every time in the image (SOURCE_DATE_EPOCH); default 0. */
  sourceDateEpoch?: number;
  /** Most bytes the context may hold (default 512 MiB). */
  contextLimit?: number;
  /** docker build --memory: each RUN's memory limit in bytes. */
  memoryLimit?: number;
  /** Longest a RUN may take (ms) before it is killed; default 10 minutes. */
  stepTimeoutMs?: number;
  /** docker build --label. */
  labels?: Record<string, string>;
  onEvent?: (e: BuildEvent) => void;
}

export interface BuildResult {
  /** The image ID: sha256 of its config. */
  id: string;
  manifest: Descriptor;
  tags: string[];
}

/** A failed build: BuildKit's message, and where in the Dockerfile (for the snippet) and which vertex failed. */
export class BuildError extends PodplayError {
  constructor(
    message: string,
    readonly lines?: { first: number; last: number },
    readonly vertex?: number,
  ) {
    super('BuildStepFailed', message);
    this.name = 'BuildError';
  }
}

const PREDEFINED_ARGS: Record<string, string> = {
  TARGETPLATFORM: 'wasip1/wasm',
  TARGETOS: 'wasip1',
  TARGETARCH: 'wasm',
  TARGETVARIANT: '',
  BUILDPLATFORM: 'wasip1/wasm',
  BUILDOS: 'wasip1',
  BUILDARCH: 'wasm',
  BUILDVARIANT: '',
};

/** `docker.io/library/alpine:latest` as BuildKit names an image. */
function fullName(ref: string): string {
  const n = normalizeRef(ref);
  const first = n.split('/')[0]!;
  if (n.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return n;
  return n.includes('/') ? `docker.io/${n}` : `docker.io/library/${n}`;
}

class Build {
  readonly #vertexCount: { n: number };
  readonly #rootfs: RootfsCache;
  readonly #stages = new Map<number, Promise<StageState>>();
  readonly #images = new Map<string, Promise<StoredImage>>();
  #context: Promise<LoadedContext> | undefined;
  readonly created: string;
  readonly clampMtime: number;

  constructor(
    readonly host: BuildHost,
    readonly req: BuildRequest,
    readonly df: Dockerfile,
    readonly globals: Map<string, string>,
    vertexBase: number,
  ) {
    this.#vertexCount = { n: vertexBase };
    // The store's images passed the layer caps when they were pulled; a build's own layers are its own.
    this.#rootfs = host.rootfs ?? new RootfsCache({ maxExpandedBytes: Infinity, maxEntries: Infinity, maxImageBytes: Infinity });
    const epoch = req.sourceDateEpoch ?? 0;
    this.created = new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
    this.clampMtime = epoch * 1000;
  }

  emit(e: BuildEvent): void {
    this.req.onEvent?.(e);
  }

  /** A vertex around `work`: started, then DONE, CACHED or ERROR. */
  async vertex<T>(name: string, work: (id: number) => Promise<T>, cached = false): Promise<T> {
    const id = ++this.#vertexCount.n;
    this.emit({ type: 'start', id, name });
    try {
      const out = await work(id);
      this.emit({ type: 'done', id, ...(cached ? { cached } : {}) });
      return out;
    } catch (err) {
      const e = err as Error & { vertex?: number };
      if (e.vertex === undefined) {
        this.emit({ type: 'done', id, error: e.message });
        throw Object.assign(err as object, { vertex: id });
      }
      throw err;
    }
  }

  /** The stage `from` names (`build`, `0`), or undefined when it names an image. */
  stageNamed(from: string, before: number): Stage | undefined {
    const byName = this.df.stages.find((s) => s.name === from.toLowerCase() && s.index < before);
    if (byName) return byName;
    if (/^\d+$/.test(from)) {
      const n = Number(from);
      if (n >= before) throw new BuildError(`invalid stage index ${n}`);
      return this.df.stages[n];
    }
    return undefined;
  }

  baseOf(stage: Stage): string {
    return expandWord(stage.base, this.globals, this.df.escape);
  }

  image(ref: string): Promise<StoredImage> {
    const name = normalizeRef(ref);
    let p = this.#images.get(name);
    if (!p) {
      p = this.vertex(`[internal] load metadata for ${fullName(ref)}`, async (id) => {
        const progress = pullStatus((text) => this.emit({ type: 'status', id, text }));
        return (await this.host.ensureImage(ref, progress)).image;
      });
      this.#images.set(name, p);
    }
    return p;
  }

  context(): Promise<Vfs> {
    this.#context ??= this.vertex('[internal] load build context', async (id) => {
      const loaded = await loadContext(this.req.context, { ignore: ignorePatterns(this.req.dockerignore ?? ''), limit: this.req.contextLimit });
      this.emit({ type: 'status', id, text: `transferring context: ${buildBytes(loaded.bytes)} done` });
      return loaded;
    });
    return this.#context.then((c) => c.tree);
  }

  /** The steps a stage counts ([stage n/M]): FROM of a real image, and every WORKDIR, COPY, ADD and RUN. */
  stepCount(stage: Stage, base: StoredImage | undefined): number {
    const triggers = base?.config.config?.OnBuild?.length ?? 0;
    return (base ? 1 : 0) + triggers + stage.instructions.filter((i) => ['WORKDIR', 'COPY', 'ADD', 'RUN'].includes(i.keyword)).length;
  }

  stage(stage: Stage): Promise<StageState> {
    let p = this.#stages.get(stage.index);
    if (!p) {
      p = this.#buildStage(stage);
      this.#stages.set(stage.index, p);
    }
    return p;
  }

  async #buildStage(stage: Stage): Promise<StageState> {
    const label = this.df.stages.length > 1 ? stage.name ?? `stage-${stage.index}` : '';
    if (stage.platform && expandWord(stage.platform, this.globals, this.df.escape) !== 'wasip1/wasm') {
      throw new BuildError(`failed to resolve platform ${stage.platform}: podplay builds wasip1/wasm images only (use --platform=wasip1/wasm or leave it out)`, { first: stage.from.line, last: stage.from.line });
    }
    const baseName = this.baseOf(stage);
    const parent = baseName.toLowerCase() === 'scratch' ? undefined : this.stageNamed(baseName, stage.index);
    let state: StageState;
    if (baseName.toLowerCase() === 'scratch') {
      const config: ImageConfig = { architecture: 'wasm', os: 'wasip1', config: { Env: [`PATH=${DEFAULT_PATH}`] }, rootfs: { type: 'layers', diff_ids: [] }, history: [] };
      state = new StageState(stage, label, this.stepCount(stage, undefined), { config, layers: [] }, this.host.store, this.#rootfs, emptyTree());
    } else if (parent) {
      const from = await this.stage(parent);
      state = new StageState(stage, label, this.stepCount(stage, undefined), structuredClone(from.image), this.host.store, this.#rootfs, await from.tree());
      state.shell = [...from.shell];
    } else {
      const image = await this.image(baseName);
      if (image.manifest.config.mediaType === MediaType.wasmConfig) {
        throw new BuildError(`${baseName} is a Wasm artifact, which has no filesystem to build on: use an image with layers (FROM podplay/toolbox) or scratch.`, { first: stage.from.line, last: stage.from.line });
      }
      const config = structuredClone(image.config);
      const onBuild = config.config?.OnBuild ?? [];
      if (config.config) delete config.config.OnBuild;
      config.config ??= {};
      config.config.Env ??= [`PATH=${DEFAULT_PATH}`];
      state = new StageState(stage, label, this.stepCount(stage, image), { config, layers: [...image.manifest.layers] }, this.host.store, this.#rootfs);
      if (config.config.Shell) state.shell = [...config.config.Shell];
      state.step = 1;
      await this.vertex(`${state.prefix()} FROM ${fullName(image.ref)}@${image.descriptor.digest}`, async (id) => {
        this.emit({ type: 'status', id, text: `resolve ${fullName(image.ref)}@${image.descriptor.digest} done` });
      });
      for (const trigger of onBuild) await this.#instruction(parseTrigger(trigger, stage.from), state, 'ONBUILD ');
    }
    state.argValue = (name, written) => this.req.buildArgs?.[name] ?? written ?? this.globals.get(name);
    for (const i of stage.instructions) await this.#instruction(i, state, '');
    return state;
  }

  async #instruction(i: Instruction, state: StageState, prefix: string): Promise<void> {
    const ctx: StepContext = {
      escape: this.df.escape,
      created: this.created,
      clampMtime: this.clampMtime,
      noCache: this.req.noCache ?? false,
      sourceTree: async (from) => {
        const named = this.stageNamed(from, state.stage.index);
        if (named) return (await this.stage(named)).tree();
        const image = await this.image(from);
        return this.#rootfs.rootfs((d) => this.host.store.get(d.digest), image.manifest, image.config);
      },
      context: () => this.context(),
      run: async (st, argv, env, cwd) => this.#run(st, argv, env, cwd, i),
      vertex: async (name, cached, work) => {
        await this.vertex(
          prefix ? name.replace('] ', `] ${prefix}`) : name,
          async (id) => {
            state.vertex = id;
            await work();
          },
          cached,
        );
      },
      ...(this.host.fetch ? { fetch: this.host.fetch } : {}),
      cacheGet: (key, st) => cachedStep(this.host.store, key, st),
      cachePut: (key, st, description) => recordStep(this.host.store, key, st, description),
    };
    try {
      await runInstruction(i, state, ctx);
    } catch (err) {
      const e = err as PodplayError & { vertex?: number; lines?: unknown };
      if (e.lines === undefined) Object.assign(e, { lines: { first: i.line, last: i.endLine } });
      throw e;
    }
  }

  async #run(state: StageState, argv: string[], env: Record<string, string>, cwd: string, i: Instruction): Promise<{ tar: Uint8Array; changes: number }> {
    const image = await state.storeImage();
    const id = state.vertex;
    const result = await runStep(this.host.node, {
      image: image.digest,
      argv,
      env,
      cwd,
      memoryLimit: this.req.memoryLimit,
      timeoutMs: this.req.stepTimeoutMs ?? 600_000,
      clampMtime: this.clampMtime,
      onOutput: (data) => this.emit({ type: 'log', id, data }),
    });
    if (!result.ok) {
      const why = result.reason ? ` (${result.reason})` : '';
      throw new BuildError(`process "${argv.join(' ')}" did not complete successfully: exit code: ${result.exitCode}${why}`, { first: i.line, last: i.endLine });
    }
    return result;
  }
}

/** An ONBUILD trigger of a base image, parsed as an instruction at the FROM line. */
function parseTrigger(text: string, from: Instruction): Instruction {
  const df = parseDockerfile(`FROM scratch\n${text}\n`);
  const i = df.stages[0]!.instructions[0]!;
  return { ...i, line: from.line, endLine: from.endLine };
}

/** The stages the target needs, by index (its bases and COPY --from sources, transitively). */
function neededStages(build: Build, target: Stage): Set<number> {
  const need = new Set<number>();
  const visit = (s: Stage) => {
    if (need.has(s.index)) return;
    need.add(s.index);
    const base = build.baseOf(s);
    const parent = base.toLowerCase() === 'scratch' ? undefined : build.stageNamed(base, s.index);
    if (parent) visit(parent);
    for (const i of s.instructions) {
      const from = i.flags.get('from')?.[0];
      if ((i.keyword === 'COPY' || i.keyword === 'ADD') && from !== undefined && !from.includes('$')) {
        const named = build.stageNamed(from, s.index);
        if (named) visit(named);
      }
    }
  };
  visit(target);
  return need;
}

/** The global ARGs' values: --build-arg over the default, predefined platform ARGs included. */
function globalArgs(df: Dockerfile, buildArgs: Record<string, string>): Map<string, string> {
  const vars = new Map<string, string>(Object.entries(PREDEFINED_ARGS));
  for (const i of df.globalArgs) {
    for (const w of i.args.split(/\s+/).filter(Boolean)) {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w : w.slice(0, eq);
      const value = buildArgs[name] ?? (eq < 0 ? undefined : expandWord(w.slice(eq + 1), vars, df.escape));
      if (value !== undefined) vars.set(name, value);
    }
  }
  return vars;
}

/**
 * Builds an image. Errors are {@link BuildError}s (or DockerfileErrors)
 * in BuildKit's words; nothing is tagged unless the build succeeds.
 */
export async function buildImage(host: BuildHost, req: BuildRequest): Promise<BuildResult> {
  let vertexBase = 0;
  const emit = (e: BuildEvent) => req.onEvent?.(e);
  const fileName = req.dockerfileName ?? 'Dockerfile';
  const internal = async <T>(name: string, work: (id: number) => T): Promise<T> => {
    const id = ++vertexBase;
    emit({ type: 'start', id, name });
    try {
      const out = work(id);
      emit({ type: 'done', id });
      return out;
    } catch (err) {
      emit({ type: 'done', id, error: (err as Error).message });
      throw err;
    }
  };
  const df = await internal(`[internal] load build definition from ${fileName}`, (id) => {
    emit({ type: 'status', id, text: `transferring dockerfile: ${buildBytes(utf8(req.dockerfile).byteLength)} done` });
    try {
      return parseDockerfile(req.dockerfile);
    } catch (err) {
      if (err instanceof DockerfileError && err.line !== undefined) throw new BuildError(err.message, { first: err.line, last: err.line });
      throw err;
    }
  });
  const targetName = req.target?.toLowerCase();
  const target = targetName === undefined ? df.stages[df.stages.length - 1]! : df.stages.find((s) => s.name === targetName);
  if (!target) {
    const near = suggest(targetName!, df.stages.flatMap((s) => (s.name ? [s.name] : [])));
    throw new BuildError(`target stage "${req.target}" could not be found${near ? ` (did you mean ${near}?)` : ''}`);
  }
  const globals = globalArgs(df, req.buildArgs ?? {});
  globals.set('TARGETSTAGE', target.name ?? 'default');
  await internal('[internal] load .dockerignore', (id) => emit({ type: 'status', id, text: `transferring context: ${buildBytes(utf8(req.dockerignore ?? '').byteLength)} done` }));
  const build = new Build(host, req, df, globals, vertexBase);
  const needed = neededStages(build, target);
  const states = await Promise.all([...needed].sort((a, b) => a - b).map((n) => build.stage(df.stages[n]!)));
  const final = states[[...needed].sort((a, b) => a - b).indexOf(target.index)]!;
  if (req.labels && Object.keys(req.labels).length) final.config.Labels = { ...final.config.Labels, ...req.labels };
  final.image.config.created = build.created;
  return build.vertex('exporting to image', async (id) => {
    emit({ type: 'status', id, text: 'exporting layers done' });
    const manifest = await final.storeImage();
    const configDigest = JSON.parse(new TextDecoder().decode(await host.store.get(manifest.digest))).config.digest as Digest;
    emit({ type: 'status', id, text: `writing image ${configDigest} done` });
    const tags = (req.tags ?? []).map((t) => normalizeRef(t));
    await host.store.lock.run('shared', async () => {
      for (const l of final.image.layers) if (!(await host.store.has(l.digest))) throw new BuildError(`layer ${l.digest} is no longer stored: build again`);
      await host.store.commit([]);
      for (const t of tags) {
        await host.store.setRef(t, manifest);
        emit({ type: 'status', id, text: `naming to ${fullName(t)} done` });
      }
    });
    return { id: configDigest, manifest, tags };
  });
}
