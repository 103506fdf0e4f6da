/**
 * `docker run`: find or pull the image, create the container (ID, name,
 * config merged from the image and the flags), start it, and either print
 * its ID (`-d`) or stream its output, feed it stdin (`-i`) and end with its
 * exit code. Failures print as docker/cli's run.go reports them (`docker:
 * Error response from daemon: ….` and exit 125, 126 or 127).
 */
import type { Sandbox } from '../../sandbox/index.ts';
import { CommandError, type CommandIo } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { daemonError, dockerEngine, type ContainerConfig, type DockerContainer, type DockerEngine } from './engine.ts';
import { pullImage, pullPrinter } from './pull.ts';
import { findImage, getImage, normalizeRef, type StoredImage } from './refs.ts';
import { checkArgs, dockerMessage } from './style.ts';
import { ramInBytes } from './units.ts';

type ContainerSpec = Parameters<Sandbox['node']['create']>[0];

/** What `docker run` and `docker create` take besides the image and its arguments. */
export interface CreateOptions {
  name?: string;
  env: string[];
  entrypoint?: string;
  workdir?: string;
  hostname?: string;
  interactive: boolean;
  tty: boolean;
  attach: boolean;
  autoRemove: boolean;
  memory?: number;
  /** --pids-limit: at most this many processes at once (-1: unlimited; unset: podplay's default). */
  pidsLimit?: number;
}

/** docker/cli run.go reportError: `docker: <message>.`, with a pointer to the help when asked. */
export function reportError(io: CommandIo, path: string, err: unknown, withHelp: boolean): void {
  let text = `${dockerMessage(err).replace(/\.$/, '')}.`;
  if (withHelp) text += `\nSee '${path} --help'.`;
  io.err(`docker: ${text}\n`);
}

/** docker/cli runStartContainerErr: 127 for a missing program, 126 for one that cannot run, else 125. */
export function startExitCode(message: string): number {
  const m = message.replace(/^Error response from daemon: /, '');
  if (/executable file not found|no such file or directory|system cannot find the file specified/.test(m)) return 127;
  if (/permission denied|is a directory/.test(m)) return 126;
  return 125;
}

/** The image to run, pulled first as `--pull` says (missing: only when the store lacks it). */
export async function imageForRun(sb: Sandbox, ref: string, policy: string, io: CommandIo, quiet: boolean): Promise<StoredImage> {
  const progress = quiet ? () => {} : pullPrinter(io.err, io.isTTY === true);
  const note = quiet ? undefined : io.err;
  if (policy === 'always') return (await getImage(sb, await pullImage(sb, ref, progress, note))).image;
  if (await findImage(sb, ref)) return (await getImage(sb, ref)).image;
  if (policy === 'never') throw daemonError(`No such image: ${normalizeRef(ref)}`);
  if (!quiet) io.err(`Unable to find image '${normalizeRef(ref)}' locally\n`);
  return (await getImage(sb, await pullImage(sb, ref, progress, note))).image;
}

/** docker's env merge: the image's `K=V` list, each `-e K=V` replacing or appending (`-e K` alone: unset on this host, dropped). */
function mergeEnv(image: string[], given: string[]): { list: string[]; overrides: Record<string, string> } {
  const list = [...image];
  const overrides: Record<string, string> = {};
  for (const kv of given) {
    const eq = kv.indexOf('=');
    if (eq <= 0) continue;
    const key = kv.slice(0, eq);
    overrides[key] = kv.slice(eq + 1);
    const at = list.findIndex((e) => e.startsWith(`${key}=`));
    if (at >= 0) list[at] = kv;
    else list.push(kv);
  }
  return { list, overrides };
}

/** docker create: the container's record and config, and the container on the node worker (not started). */
export async function createContainer(engine: DockerEngine, image: StoredImage, imageName: string, args: string[], opts: CreateOptions): Promise<DockerContainer> {
  const id = engine.newId();
  const name = engine.reserveName(opts.name, id);
  try {
    const cfg = image.config.config ?? {};
    const entrypoint = opts.entrypoint === undefined ? undefined : opts.entrypoint === '' ? [] : [opts.entrypoint];
    const Entrypoint = entrypoint ?? cfg.Entrypoint ?? null;
    // A new entrypoint drops the image's Cmd (moby daemon/create.go merge).
    const Cmd = args.length ? args : entrypoint ? null : cfg.Cmd ?? null;
    const argv = [...(Entrypoint ?? []), ...(Cmd ?? [])];
    if (argv.length === 0) throw daemonError('no command specified');
    if (opts.memory !== undefined && opts.memory < 6 * 1024 * 1024) throw daemonError('Minimum memory limit allowed is 6MB');
    const env = mergeEnv(cfg.Env ?? [], opts.env);
    const config: ContainerConfig = {
      Hostname: opts.hostname || id.slice(0, 12),
      Domainname: '',
      User: cfg.User ?? '',
      AttachStdin: opts.attach && opts.interactive,
      AttachStdout: opts.attach,
      AttachStderr: opts.attach,
      Tty: opts.tty,
      OpenStdin: opts.interactive,
      StdinOnce: opts.attach && opts.interactive,
      Env: env.list,
      Cmd,
      Image: imageName,
      Volumes: null,
      WorkingDir: opts.workdir || cfg.WorkingDir || '',
      Entrypoint: Entrypoint && Entrypoint.length ? Entrypoint : null,
      OnBuild: null,
      Labels: { ...cfg.Labels },
    };
    const spec: ContainerSpec = {
      id,
      image: image.ref,
      command: entrypoint,
      args: args.length ? args : undefined,
      env: env.overrides,
      workingDir: opts.workdir || undefined,
      hostname: opts.hostname || undefined,
      interactive: opts.interactive,
      memoryLimit: opts.memory,
      pidsLimit: opts.pidsLimit,
    };
    await engine.sandbox.node.create(spec);
    const record: DockerContainer = {
      id,
      name,
      created: engine.now(),
      imageRef: image.ref,
      imageId: image.manifest.config.digest,
      path: argv[0]!,
      args: argv.slice(1),
      config,
      autoRemove: opts.autoRemove,
      memory: opts.memory ?? 0,
      ...(opts.pidsLimit !== undefined ? { pidsLimit: opts.pidsLimit } : {}),
    };
    engine.add(record);
    return record;
  } catch (err) {
    engine.releaseName(name);
    throw err;
  }
}

/** Removes a container from the node worker and the engine (docker rm; --rm at exit). */
export async function removeContainer(engine: DockerEngine, c: DockerContainer, force: boolean): Promise<void> {
  await engine.sandbox.node.remove(c.id, force).catch((err: Error & { code?: string }) => {
    if (err.code !== 'ContainerNotFound') throw err;
  });
  engine.forget(c.id);
}

/** Text decoders per stream, so a character split across chunks prints whole. */
export function outputWriter(io: CommandIo, tty: boolean) {
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const sink = (type: 'stdout' | 'stderr') => (type === 'stderr' && !tty ? io.err : io.out);
  return {
    write: (e: { type: 'stdout' | 'stderr'; data: Uint8Array }) => {
      const text = decoders[e.type].decode(e.data, { stream: true });
      if (text) sink(e.type)(text);
    },
    flush: () => {
      for (const type of ['stdout', 'stderr'] as const) {
        const rest = decoders[type].decode();
        if (rest) sink(type)(rest);
      }
    },
  };
}

/** Feeds `stdin` to the container until it ends (then closes the container's stdin) or the container stops taking it. */
function pumpStdin(sb: Sandbox, id: string, stdin: AsyncIterable<string> | undefined): () => void {
  if (!stdin) {
    void sb.node.closeStdin(id).catch(() => undefined);
    return () => {};
  }
  const it = stdin[Symbol.asyncIterator]();
  let done = false;
  void (async () => {
    try {
      while (!done) {
        const r = await it.next();
        if (r.done || done) break;
        if (!(await sb.node.writeStdin(id, r.value))) return;
      }
      await sb.node.closeStdin(id);
    } catch {
      // the container is gone: nothing more to feed
    }
  })();
  return () => {
    done = true;
    void Promise.resolve(it.return?.()).catch(() => undefined);
  };
}

/** Starts a created container; attached, streams it until it exits (Ctrl-C kills it) and gives its exit code. */
export async function startContainer(inv: Invocation, engine: DockerEngine, c: DockerContainer, detach: boolean): Promise<number> {
  const { io } = inv;
  const sb = engine.sandbox;
  const output = detach ? undefined : outputWriter(io, c.config.Tty);
  if (detach) io.out(`${c.id}\n`);
  try {
    await sb.node.start(c.id, output?.write);
  } catch (err) {
    c.error = (err as Error).message;
    c.errorExitCode = startExitCode(c.error);
    reportError(io, inv.path, daemonError(c.error), false);
    if (c.autoRemove) await removeContainer(engine, c, true).catch(() => undefined);
    return c.errorExitCode;
  }
  if (detach) {
    if (c.autoRemove) void sb.node.wait(c.id).then(() => removeContainer(engine, c, true)).catch(() => undefined);
    return 0;
  }
  const stopStdin = c.config.OpenStdin ? pumpStdin(sb, c.id, io.stdin) : () => {};
  const kill = () => void sb.node.kill(c.id).catch(() => undefined);
  io.signal.addEventListener('abort', kill, { once: true });
  if (io.signal.aborted) kill();
  try {
    const result = await sb.node.wait(c.id);
    output?.flush();
    return result.exitCode;
  } finally {
    io.signal.removeEventListener('abort', kill);
    stopStdin();
    if (c.autoRemove) await removeContainer(engine, c, true).catch(() => undefined);
  }
}


/** The create options of an invocation; a bad value is reported as docker does (exit 125). */
export function createOptions(inv: Invocation, attach: boolean): CreateOptions {
  const f = inv.flags;
  let memory: number | undefined;
  if (inv.given.has('memory')) {
    memory = ramInBytes(f.memory as string);
    if (memory === undefined) throw new CommandError(`invalid argument "${f.memory}" for "-m, --memory" flag: invalid size: '${f.memory}'\nSee '${inv.path} --help'.`, 125);
  }
  if (!['always', 'missing', 'never'].includes(f.pull as string)) {
    throw new CommandError(`docker: invalid pull option: '${f.pull}': must be one of "always", "missing" or "never".\nSee '${inv.path} --help'.`, 125);
  }
  return {
    name: inv.given.has('name') ? (f.name as string) : undefined,
    env: f.env as string[],
    entrypoint: inv.given.has('entrypoint') ? (f.entrypoint as string) : undefined,
    workdir: (f.workdir as string) || undefined,
    hostname: (f.hostname as string) || undefined,
    interactive: f.interactive as boolean,
    tty: f.tty as boolean,
    attach,
    autoRemove: f.rm as boolean,
    memory: memory || undefined,
    // docker takes 0 and -1 as "no limit".
    pidsLimit: inv.given.has('pids-limit') ? ((f['pids-limit'] as number) > 0 ? (f['pids-limit'] as number) : -1) : undefined,
  };
}

export async function run(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1);
  const [imageName, ...args] = inv.args as [string, ...string[]];
  const detach = inv.flags.detach as boolean;
  const opts = createOptions(inv, !detach);
  if (!detach && opts.interactive && opts.tty && inv.io.stdinIsTTY !== true) throw new CommandError('the input device is not a TTY', 1);
  const sb = await inv.env.sandbox();
  const engine = dockerEngine(sb);
  let c: DockerContainer;
  try {
    const image = await imageForRun(sb, imageName, inv.flags.pull as string, inv.io, inv.flags.quiet as boolean);
    c = await createContainer(engine, image, imageName, args, opts);
  } catch (err) {
    reportError(inv.io, inv.path, err, true);
    return 125;
  }
  return startContainer(inv, engine, c, detach);
}
