/**
 * `docker diff` (a container's changes against its image, moby's
 * `A`/`C`/`D` lines) and `docker commit` (those changes as a new image
 * layer, docker/cli commit.go and moby daemon/commit.go: the history entry's
 * created_by is the container's command, `--change` takes the Dockerfile
 * instructions moby's BuildFromConfig allows). The node worker computes the
 * changes and writes the layer; this is the command's face.
 */
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { splitWords } from '../words.ts';
import { daemonError, dockerEngine } from './engine.ts';
import { checkReference } from './push.ts';
import { findImage, type StoredImage } from './refs.ts';
import { checkArgs } from './style.ts';

type RunConfig = NonNullable<StoredImage['config']['config']>;

export async function diff(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1, 1);
  const engine = dockerEngine(await inv.env.sandbox());
  const c = engine.get(inv.args[0]!);
  const changes = await engine.sandbox.node.diff(c.id);
  inv.io.out(changes.map((ch) => `${ch.kind} ${ch.path}\n`).join(''));
  return 0;
}

/** The instructions `docker commit --change` takes (moby builder/dockerfile validCommitCommands). */
const COMMIT_INSTRUCTIONS = ['cmd', 'entrypoint', 'env', 'expose', 'label', 'onbuild', 'user', 'volume', 'workdir'];

/** CMD/ENTRYPOINT's argument: a JSON array of strings (exec form) or a shell line run by `/bin/sh -c`. */
function commandForm(rest: string): string[] {
  if (rest.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(rest);
      if (Array.isArray(list) && list.every((s) => typeof s === 'string')) return list;
    } catch {
      // not JSON: the shell form, as the Dockerfile parser falls back to it
    }
  }
  return ['/bin/sh', '-c', rest];
}

/** `K=V K2="V 2"` pairs (or the old `K V` form, for ENV and LABEL). */
function pairs(keyword: string, rest: string): Array<[string, string]> {
  const { words } = splitWords(rest);
  if (words.length > 0 && !words[0]!.includes('=')) {
    const space = rest.search(/\s/);
    if (space < 0) throw daemonError(`${keyword} must have two arguments`);
    return [[words[0]!, rest.slice(space).trim()]];
  }
  return words.map((w) => {
    const i = w.indexOf('=');
    if (i <= 0) throw daemonError(`${keyword} names can not be blank`);
    return [w.slice(0, i), w.slice(i + 1)];
  });
}

/**
 * The image config after the `--change` instructions, each applied as a
 * Dockerfile line over the container's image config (ENTRYPOINT without a
 * CMD among the changes clears the inherited CMD, as in a Dockerfile).
 */
export function applyChanges(base: RunConfig, changes: readonly string[]): Partial<RunConfig> {
  const out: Partial<RunConfig> = {};
  let cmdSet = false;
  for (const line of changes) {
    const m = /^\s*(\S+)\s*([\s\S]*?)\s*$/.exec(line);
    if (!m) continue;
    const keyword = m[1]!.toLowerCase();
    const rest = m[2]!;
    if (!COMMIT_INSTRUCTIONS.includes(keyword)) throw daemonError(`${keyword} is not a valid change command`);
    switch (keyword) {
      case 'cmd':
        out.Cmd = commandForm(rest);
        cmdSet = true;
        break;
      case 'entrypoint':
        out.Entrypoint = commandForm(rest);
        if (!cmdSet) out.Cmd = [];
        break;
      case 'env': {
        const env = [...(out.Env ?? base.Env ?? [])];
        for (const [k, v] of pairs('ENV', rest)) {
          const i = env.findIndex((kv) => kv.split('=')[0] === k);
          if (i < 0) env.push(`${k}=${v}`);
          else env[i] = `${k}=${v}`;
        }
        out.Env = env;
        break;
      }
      case 'label':
        out.Labels = { ...(out.Labels ?? base.Labels ?? {}), ...Object.fromEntries(pairs('LABEL', rest)) };
        break;
      case 'expose': {
        const ports = { ...(out.ExposedPorts ?? base.ExposedPorts ?? {}) };
        for (const word of splitWords(rest).words) {
          if (!/^\d+(\/(tcp|udp|sctp))?$/i.test(word)) throw daemonError(`invalid containerPort: ${word.split('/')[0]}`);
          ports[word.includes('/') ? word.toLowerCase() : `${word}/tcp`] = {};
        }
        out.ExposedPorts = ports;
        break;
      }
      case 'user':
        out.User = rest;
        break;
      case 'workdir': {
        const from = out.WorkingDir ?? base.WorkingDir ?? '/';
        out.WorkingDir = rest.startsWith('/') ? rest : `${from.replace(/\/+$/, '')}/${rest}`;
        break;
      }
      default:
        throw daemonError(`docker commit --change ${keyword.toUpperCase()} is not available in podplay: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER and WORKDIR are`);
    }
  }
  return out;
}

export async function commit(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1, 2);
  const sb = await inv.env.sandbox();
  const engine = dockerEngine(sb);
  const c = engine.get(inv.args[0]!);
  const target = inv.args[1];
  if (target === undefined) {
    throw new CommandError('podplay keeps no untagged images: name the new image, as in `docker commit CONTAINER REPOSITORY[:TAG]`', 1);
  }
  checkReference(target);
  if (target.includes('@')) throw daemonError('invalid reference format: a commit cannot be named by a digest');
  const base = await findImage(sb, c.imageRef);
  if (!base) throw daemonError(`the image ${c.imageRef} of container ${c.name} is no longer stored: pull it again, then commit`);
  const { image } = await sb.ensureImage(base.ref);
  const config = applyChanges(image.config.config ?? {}, (inv.flags.change as string[] | undefined) ?? []);
  const made = await sb.node.commit(c.id, target, {
    comment: (inv.flags.message as string | undefined) || undefined,
    author: (inv.flags.author as string | undefined) || undefined,
    config,
    createdBy: (c.config.Cmd ?? []).join(' '),
    now: engine.now(),
  });
  const summary = await findImage(sb, made.ref);
  inv.io.out(`${summary?.id ?? made.digest}\n`);
  return 0;
}
