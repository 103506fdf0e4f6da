/**
 * `docker build` (buildx's words, the docker driver) and `docker builder
 * prune`: the context is a directory of the command's files (Node: the real
 * filesystem; the page: the workspace), the Dockerfile `-f` or
 * CONTEXT/Dockerfile or `-` for stdin; progress is BuildKit's plain printer
 * (`--progress=tty` adds the `[+] Building` summary), `-q` prints only the
 * image ID.
 */
import type { BuildEvent, ContextSource } from '../../sandbox/index.ts';
import { CommandError, readAll, type Files } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { checkArgs } from './style.ts';
import { humanSize } from './units.ts';

function joinPath(dir: string, path: string): string {
  if (path.startsWith('/')) return path;
  return dir === '.' || dir === '' ? path : `${dir.replace(/\/+$/, '')}/${path}`;
}

function contextOf(files: Files, dir: string): ContextSource {
  if (!files.walk) throw new CommandError('ERROR: this shell cannot read a directory as a build context', 1);
  const walk = files.walk.bind(files);
  return { name: dir, list: () => walk(dir), read: (p) => files.read(joinPath(dir, p)) };
}

async function readOptional(files: Files, path: string): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await files.read(path));
  } catch {
    return undefined;
  }
}

/** `--build-arg K=V`, or `--build-arg K` taking K from the environment (none here: unset). */
function buildArgs(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i > 0) out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

/** `-m 512m`: bytes. */
function memoryBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([bkmg]?)b?$/i.exec(text.trim());
  if (!m) throw new CommandError(`invalid argument "${text}" for "-m, --memory" flag: invalid size: '${text}'`, 125);
  return Math.round(Number(m[1]) * { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'b' | 'k' | 'm' | 'g']);
}

export async function build(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1, 1);
  const { io, env, flags } = inv;
  const dir = inv.args[0]!;
  const progress = String(flags.progress ?? 'auto');
  if (!['auto', 'plain', 'tty', 'quiet', 'rawjson'].includes(progress)) throw new CommandError(`ERROR: invalid progress mode "${progress}": use auto, plain, tty or quiet`, 1);
  const quiet = flags.quiet === true || progress === 'quiet';
  const fileFlag = (flags.file as string | undefined) || undefined;
  if (dir === '-' && fileFlag === undefined) throw new CommandError('ERROR: a build context from stdin is not available here: give a directory (docker build .)', 1);
  const dockerfilePath = fileFlag === '-' ? '-' : fileFlag !== undefined ? fileFlag : joinPath(dir, 'Dockerfile');
  let dockerfile: string;
  if (dockerfilePath === '-') dockerfile = await readAll(io.stdin);
  else {
    const text = await readOptional(env.files, dockerfilePath);
    if (text === undefined) {
      const walkable = await env.files.list(dir).then(() => true, () => false);
      if (!walkable) throw new CommandError(`ERROR: unable to prepare context: path "${dir}" not found`, 1);
      throw new CommandError(`ERROR: failed to build: failed to solve: failed to read dockerfile: open ${dockerfilePath.split('/').pop()}: no such file or directory`, 1);
    }
    dockerfile = text;
  }
  const sandbox = await env.sandbox();
  const tools = await sandbox.builder();
  const write = (t: string) => io.err(t);
  const printer = new tools.PlainPrinter(write);
  const started = performance.now();
  let vertices = 0;
  const onEvent = (e: BuildEvent) => {
    if (e.type === 'start') vertices = Math.max(vertices, e.id);
    if (!quiet) printer.event(e);
  };
  if (!quiet) printer.header();
  const epoch = inv.given.has('source-date-epoch') ? Number(flags['source-date-epoch']) : NaN;
  try {
    const result = await sandbox.build({
      dockerfile,
      dockerfileName: dockerfilePath === '-' ? 'Dockerfile' : dockerfilePath.split('/').pop()!,
      context: contextOf(env.files, dir),
      dockerignore: await readOptional(env.files, joinPath(dir, '.dockerignore')),
      tags: (flags.tag as string[] | undefined) ?? [],
      buildArgs: buildArgs((flags['build-arg'] as string[] | undefined) ?? []),
      ...(inv.given.has('target') ? { target: String(flags.target) } : {}),
      noCache: flags['no-cache'] === true,
      ...(Number.isFinite(epoch) ? { sourceDateEpoch: epoch } : {}),
      ...(inv.given.has('memory') ? { memoryLimit: memoryBytes(String(flags.memory)) } : {}),
      labels: buildArgs((flags.label as string[] | undefined) ?? []),
      onEvent,
    });
    if (quiet) io.out(`${result.id}\n`);
    else if (progress === 'tty') write(`[+] Building ${((performance.now() - started) / 1000).toFixed(1)}s (${vertices}/${vertices}) FINISHED\n`);
    return 0;
  } catch (err) {
    const e = err as Error & { vertex?: number; lines?: { first: number; last: number } };
    if (quiet) {
      // -q prints nothing until the end: a failure shows the failed step's output then.
      if (e.vertex !== undefined) write(printer.failedBlock(e.vertex));
    } else if (e.vertex !== undefined) write(`${printer.failedBlock(e.vertex)}`);
    if (e.lines && dockerfilePath !== undefined) write(tools.sourceSnippet(dockerfilePath === '-' ? 'Dockerfile' : dockerfilePath.split('/').pop()!, dockerfile.split('\n'), e.lines.first, e.lines.last));
    throw new CommandError(`ERROR: failed to build: failed to solve: ${e.message}`, 1);
  }
}

/** `docker builder prune`: removes the build cache (everything here: podplay keeps no cache in use between builds). */
export async function builderPrune(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 0, 0);
  const sandbox = await inv.env.sandbox();
  if (inv.flags.force !== true) {
    inv.io.out('WARNING! This will remove all dangling build cache. Are you sure you want to continue? [y/N] ');
    const answer = inv.io.stdin ? (await firstLine(inv.io.stdin)).trim().toLowerCase() : '';
    if (answer !== 'y' && answer !== 'yes') return 0;
  }
  const result = await sandbox.pruneBuildCache();
  if (result.records.length) inv.io.out(`Deleted build cache objects:\n${result.records.map((r) => r.key.replace(/^sha256:/, '').slice(0, 25)).join('\n')}\n\n`);
  inv.io.out(`Total reclaimed space: ${humanSize(result.freedBytes)}\n`);
  return 0;
}

async function firstLine(stdin: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0] ?? '';
}
