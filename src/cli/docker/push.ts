/**
 * `docker tag`, `docker push`, `docker login` and `docker logout`, in
 * docker's words (docker/cli cli/command/image/push.go, tag.go,
 * cli/command/registry/login.go, logout.go; the daemon's push progress).
 * A registry is reached from wherever podplay runs: in a browser it must
 * allow this page's origin (CORS), which a refusal says.
 */
import type { Sandbox } from '../../sandbox/index.ts';
import { CommandError, readAll } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { daemonError } from './engine.ts';
import { findImage, fullyQualified, hasTagOrDigest, missingName, normalizeRef, repositoryOf, splitRegistry, tagOf } from './refs.ts';
import { checkArgs } from './style.ts';
import { layerLines, progressBar } from './pull.ts';

/** One line of push progress (the sandbox's push events). */
export type PushEvent = Parameters<NonNullable<Parameters<Sandbox['push']>[1]>>[0];

/** What docker push prints for an event, on a pipe (`<id>: Pushed`). */
function eventLine(e: PushEvent): string {
  if (e.kind === 'image') return e.status === 'digest' ? `${e.tag}: digest: ${e.digest} size: ${e.size}` : `The push refers to repository [${e.repository}]`;
  return e.status === 'Mounted from' ? `${e.id}: Mounted from ${e.from}` : `${e.id}: ${e.status}`;
}

/**
 * Prints push events as docker push does: on a pipe every status line but
 * no progress; on a terminal one line per layer, redrawn in place. The
 * repository line is printed once (`--all-tags` pushes several tags).
 */
export function pushPrinter(write: (text: string) => void, tty: boolean): (e: PushEvent) => void {
  const block = layerLines(write);
  let announced = false;
  return (e) => {
    if (e.kind === 'image') {
      if (e.status === 'The push refers to repository') {
        if (announced) return;
        announced = true;
      }
      block.end();
      write(`${eventLine(e)}\n`);
      return;
    }
    if (!tty) {
      if (e.status !== 'Pushing') write(`${eventLine(e)}\n`);
      return;
    }
    block.show(e.id, e.status === 'Pushing' ? `${e.id}: Pushing ${progressBar(e.current, e.total)}` : eventLine(e));
  };
}

/** A podplay failure as the docker CLI relays a push's error: the message alone (a jsonmessage error). */
function streamError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  return new CommandError((err as Error).message ?? String(err), 1);
}

const HUB_NOTE = "podplay's Docker Hub is its bundled image layout, which takes no pushes: tag the image for a registry (docker tag IMAGE localhost:5000/IMAGE) and push that.\n";

export async function push(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1, 1);
  const ref = inv.args[0]!;
  const all = inv.flags['all-tags'] as boolean;
  const quiet = inv.flags.quiet as boolean;
  const nameOnly = !hasTagOrDigest(ref);
  if (all && !nameOnly) throw new CommandError("tag can't be used with --all-tags/-a", 1);
  if (!all && nameOnly && !quiet) inv.io.out('Using default tag: latest\n');
  const sb = await inv.env.sandbox();
  const platform = inv.flags.platform as string;
  const repo = repositoryOf(ref);
  const tags = all ? (await sb.images()).filter((i) => !i.ref.includes('@') && repositoryOf(i.ref) === repo).map((i) => i.ref) : [normalizeRef(ref)];
  const printer = quiet ? () => {} : pushPrinter(inv.io.out, inv.io.isTTY === true);
  try {
    for (const t of tags.length ? tags : [normalizeRef(ref)]) {
      if (platform) await checkPlatform(sb, t, platform);
      await sb.push(t, printer);
    }
  } catch (err) {
    if (splitRegistry(repo)[0] !== undefined || (err as { code?: string }).code !== 'RegistryError') throw streamError(err);
    inv.io.err(`${(err as Error).message}\n${HUB_NOTE}`);
    return 1;
  }
  if (quiet) inv.io.out(`${all ? fullyQualified(ref).replace(/:latest$/, '') : fullyQualified(ref)}\n`);
  return 0;
}

/** `--platform`: podplay's images are single-platform, so it must be the image's own. */
async function checkPlatform(sb: Sandbox, ref: string, platform: string): Promise<void> {
  const summary = await findImage(sb, ref);
  if (!summary) return; // the push says the image is missing, in its words
  const { image } = await sb.ensureImage(summary.ref);
  const actual = `${image.config.os}/${image.config.architecture}`;
  if (platform !== actual) throw daemonError(`image with reference ${ref} was found but does not match the specified platform: wanted ${platform}, actual: ${actual}`);
}

/**
 * distribution/reference's check of a name, in the words docker's client
 * uses (`Error parsing reference: "X" is not a valid repository/tag: …`).
 */
export function checkReference(name: string): void {
  const [registry, rest] = splitRegistry(name.replace(/[@].*$/, '').replace(/:[^/:]*$/, ''));
  const path = registry === undefined && !rest.includes('/') ? `library/${rest}` : rest;
  const component = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
  const tag = hasTagOrDigest(name) && !name.includes('@') ? tagOf(name) : 'latest';
  let problem: string | undefined;
  if (path !== path.toLowerCase() && path.toLowerCase().split('/').every((c) => component.test(c))) problem = `invalid reference format: repository name (${path}) must be lowercase`;
  else if (!path.split('/').every((c) => component.test(c)) || !/^[\w][\w.-]{0,127}$/.test(tag)) problem = 'invalid reference format';
  if (problem) throw new CommandError(`Error parsing reference: "${name}" is not a valid repository/tag: ${problem}`, 1);
}

export async function tag(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 2, 2);
  const [source, target] = inv.args as [string, string];
  checkReference(source);
  checkReference(target);
  if (target.includes('@')) throw new CommandError('refusing to create a tag with a digest reference', 1);
  const sb = await inv.env.sandbox();
  const summary = await findImage(sb, source);
  if (!summary) throw daemonError(`No such image: ${missingName(source)}`);
  await sb.tag(summary.ref, target);
  return 0;
}

/** Names that mean Docker Hub, which podplay serves from its bundled layout. */
const HUB = new Set(['', 'docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const hostOf = (server: string) => server.trim().replace(/^[a-z]+:\/\//i, '').split('/')[0]!;

/** The flag checks and stdin reading of docker/cli login.go (verifyLoginFlags, verifyLoginOptions). */
async function loginOptions(inv: Invocation): Promise<{ username: string; password: string }> {
  const given = (f: string) => inv.given.has(f);
  let username = (inv.flags.username as string) ?? '';
  let password = (inv.flags.password as string) ?? '';
  const fromStdin = given('password-stdin') || password === '-';
  if (fromStdin) {
    if (given('password') && password !== '-') throw new CommandError('conflicting options: cannot specify both --password and --password-stdin', 1);
    if (!given('username')) throw new CommandError('the --password-stdin option requires --username to be set', 1);
  }
  if (given('username') && username === '') throw new CommandError('username is empty', 1);
  if (given('password') && password === '') throw new CommandError('password is empty', 1);
  if (password === '-') password = '';
  if (password !== '') inv.io.err('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
  if (fromStdin) {
    if (username === '') throw new CommandError('username is empty', 1);
    // NIST SP 800-63B: only the line ending a terminal or pipe adds is taken off.
    password = (await readAll(inv.io.stdin)).replace(/(\r\n|\n|\r)$/, '');
    if (password.trim() === '') throw new CommandError('password is empty', 1);
  }
  return { username: username.trim(), password };
}

export async function login(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 0, 1);
  const opts = await loginOptions(inv);
  const host = hostOf(inv.args[0] ?? '');
  if (HUB.has(host)) {
    throw new CommandError("podplay's Docker Hub is its bundled image layout, which needs no login: name the registry to log in to (docker login localhost:5000).", 1);
  }
  const sb = await inv.env.sandbox();
  if (opts.username === '' && opts.password === '') {
    const stored = await sb.credentials.get(host);
    if (stored) {
      inv.io.err(`Authenticating with existing credentials... [Username: ${stored.username}]\n`);
      inv.io.err("\n Info -> To login with a different account, run 'docker logout' followed by 'docker login'\n\n\n");
      try {
        await sb.login(host, stored);
        inv.io.out('Login Succeeded\n');
        return 0;
      } catch (err) {
        const message = (err as Error).message;
        inv.io.err(/unauthorized|401/.test(message) ? 'Stored credentials invalid or expired\n' : `Login did not succeed, error: ${message}\n`);
      }
    }
  }
  if (opts.username === '' || opts.password === '') {
    // docker prompts on a terminal; podplay's terminals would echo the password, so it asks for flags instead.
    if (inv.io.stdinIsTTY !== true) throw new CommandError('error: cannot perform an interactive login from a non-TTY device', 1);
    throw new CommandError(`podplay's docker login does not prompt: give the credentials as flags (echo "$PASSWORD" | docker login ${host} -u USER --password-stdin).`, 1);
  }
  try {
    await sb.login(host, opts);
  } catch (err) {
    const e = err as Error & { code?: string };
    throw e.code === 'CorsRefused' ? streamError(e) : daemonError(e.message);
  }
  inv.io.out('Login Succeeded\n');
  return 0;
}

export async function logout(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 0, 1);
  const server = inv.args[0];
  const host = server === undefined ? 'https://index.docker.io/v1/' : hostOf(server);
  inv.io.out(`Removing login credentials for ${host}\n`);
  if (server !== undefined && !HUB.has(host)) await (await inv.env.sandbox()).logout(host);
  return 0;
}
