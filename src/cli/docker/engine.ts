/**
 * The docker daemon's bookkeeping over a sandbox's node worker: each
 * container's record (docker's 64-hex ID, its name, the config it was
 * created with), name reservation, and lookup by ID, name or ID prefix as
 * the daemon resolves them. The node worker owns the running programs,
 * their state, timestamps and logs; the engine owns what docker adds.
 */
import type { Sandbox } from '../../sandbox/index.ts';
import type { Clock } from '../../shared/index.ts';
import { CommandError } from '../io.ts';
import { VALID_NAME, randomName } from './names.ts';

/** What the node worker says of a container (state, timestamps, exit). */
export type ContainerInfo = Awaited<ReturnType<Sandbox['node']['inspect']>>;

/** docker's container Config, the fields podplay has. */
export interface ContainerConfig {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[];
  Cmd: string[] | null;
  /** The image as it was named (`podplay/hello`), what `docker ps` shows. */
  Image: string;
  Volumes: null;
  WorkingDir: string;
  Entrypoint: string[] | null;
  OnBuild: null;
  Labels: Record<string, string>;
}

/** One container as the daemon records it. */
export interface DockerContainer {
  /** 64 hex digits; also the node worker's container id. */
  id: string;
  /** Without docker's leading slash. */
  name: string;
  /** Epoch ms. */
  created: number;
  /** The stored ref the container runs (`podplay/hello:latest`). */
  imageRef: string;
  /** The image ID (`sha256:` + config digest). */
  imageId: string;
  /** The program and its arguments, as docker inspect's Path and Args. */
  path: string;
  args: string[];
  config: ContainerConfig;
  /** `docker run --rm`. */
  autoRemove: boolean;
  /** `docker run -m`: the memory limit in bytes (0: none). */
  memory: number;
  /** Why its start failed (State.Error), and the exit code docker gives that failure. */
  error?: string;
  errorExitCode?: number;
  /** docker run --pids-limit (HostConfig.PidsLimit); undefined: not given. */
  pidsLimit?: number;
}

export interface EngineOptions {
  /** The clock CREATED and STATUS ages are read against (default: the wall clock). */
  clock?: Pick<Clock, 'now'>;
  /** Randomness for IDs and names (tests). */
  random?: () => number;
}

/** An error in the daemon's words (`Error response from daemon: …`). */
export function daemonError(message: string, exitCode = 1): CommandError {
  return new CommandError(`Error response from daemon: ${message}`, exitCode);
}

/**
 * One sandbox's docker daemon state. Made on first use of the sandbox by a
 * docker command (see {@link dockerEngine}) and kept as long as the
 * sandbox; it holds no resources of its own (the node worker does).
 */
export class DockerEngine {
  readonly sandbox: Sandbox;
  readonly now: () => number;
  readonly #random: () => number;
  readonly #containers = new Map<string, DockerContainer>();
  /** Reserved names (without slash) -> container ID. */
  readonly #names = new Map<string, string>();

  constructor(sandbox: Sandbox, options: EngineOptions = {}) {
    this.sandbox = sandbox;
    const clock = options.clock;
    this.now = clock ? () => clock.now() : () => Date.now();
    this.#random = options.random ?? Math.random;
  }

  /** A new container ID: 64 hex digits whose short form is not all digits (stringid.GenerateRandomID). */
  newId(): string {
    for (;;) {
      let id = '';
      for (let i = 0; i < 64; i++) id += Math.floor(this.#random() * 16).toString(16);
      if (!/^\d+$/.test(id.slice(0, 12)) && !this.#containers.has(id)) return id;
    }
  }

  /**
   * Reserves `requested` (or a generated name) for container `id`: an
   * invalid name or one in use is the daemon's error.
   */
  reserveName(requested: string | undefined, id: string): string {
    if (requested !== undefined && requested !== '') {
      if (!VALID_NAME.test(requested)) throw daemonError(`Invalid container name (${requested}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
      const name = requested.replace(/^\//, '');
      const holder = this.#names.get(name);
      if (holder) {
        throw daemonError(
          `Conflict. The container name "/${name}" is already in use by container "${holder}". You have to remove (or rename) that container to be able to reuse that name.`,
        );
      }
      this.#names.set(name, id);
      return name;
    }
    for (let retry = 0; retry < 6; retry++) {
      const name = randomName(retry, this.#random);
      if (!this.#names.has(name)) {
        this.#names.set(name, id);
        return name;
      }
    }
    this.#names.set(id.slice(0, 12), id);
    return id.slice(0, 12);
  }

  releaseName(name: string): void {
    this.#names.delete(name);
  }

  add(c: DockerContainer): void {
    this.#containers.set(c.id, c);
    this.#names.set(c.name, c.id);
  }

  /** Forgets a container and frees its name. */
  forget(id: string): void {
    const c = this.#containers.get(id);
    if (!c) return;
    this.#containers.delete(id);
    if (this.#names.get(c.name) === id) this.#names.delete(c.name);
  }

  /** The container `ref` names (full ID, then name, then unique ID prefix), or undefined. */
  lookup(ref: string): DockerContainer | undefined {
    const byId = this.#containers.get(ref);
    if (byId) return byId;
    const byName = this.#names.get(ref.replace(/^\//, ''));
    if (byName && this.#containers.has(byName)) return this.#containers.get(byName);
    if (ref === '' || !/^[0-9a-f]+$/.test(ref)) return undefined;
    const matches = [...this.#containers.keys()].filter((id) => id.startsWith(ref));
    if (matches.length > 1) throw daemonError(`multiple IDs found with provided prefix: ${ref}`);
    return matches.length === 1 ? this.#containers.get(matches[0]!) : undefined;
  }

  /** The container `ref` names, or the daemon's "No such container". */
  get(ref: string): DockerContainer {
    if (ref === '') throw daemonError('invalid container name or ID: value is empty');
    const c = this.lookup(ref);
    if (!c) throw daemonError(`No such container: ${ref}`);
    return c;
  }

  /** Every container, newest first (as the daemon lists them). */
  list(): DockerContainer[] {
    return [...this.#containers.values()].reverse().sort((a, b) => b.created - a.created);
  }

  /** Containers created from an image. */
  usingImage(imageId: string): DockerContainer[] {
    return this.list().filter((c) => c.imageId === imageId);
  }

  /** The node worker's view of every container, by ID. */
  async states(): Promise<Map<string, ContainerInfo>> {
    return new Map((await this.sandbox.node.list()).map((i) => [i.id, i]));
  }

  /** The node worker's view of one container (undefined when the node lost it). */
  async state(id: string): Promise<ContainerInfo | undefined> {
    return this.sandbox.node.inspect(id).catch(() => undefined);
  }
}

const engines = new WeakMap<Sandbox, DockerEngine>();

/** The engine of a sandbox, made on first use (`options` apply only then). */
export function dockerEngine(sandbox: Sandbox, options?: EngineOptions): DockerEngine {
  let engine = engines.get(sandbox);
  if (!engine) engines.set(sandbox, (engine = new DockerEngine(sandbox, options)));
  return engine;
}
