/**
 * `docker inspect` (and `container inspect`, `image inspect`): the daemon's
 * JSON for a container and for an image, with the fields podplay really
 * has, printed as docker/cli's inspector prints them (an indented array;
 * `[]` and `Error: No such object: x` for names it does not know), or
 * through a `--format` template (`{{.State.Status}}`, `{{json .Config}}`).
 */
import type { ImageSummary } from '../../sandbox/index.ts';
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { dockerEngine, type ContainerInfo, type DockerContainer } from './engine.ts';
import { findImage, repositoryOf, type StoredImage } from './refs.ts';
import { dockerState } from './state.ts';
import { dockerTemplate } from './template.ts';
import { checkArgs } from './style.ts';
import { goJson, rfc3339Nano, ZERO_TIME } from './units.ts';

/** A container as `docker container inspect` shows it. */
export function containerJson(c: DockerContainer, info: ContainerInfo | undefined): Record<string, unknown> {
  return {
    Id: c.id,
    Created: rfc3339Nano(c.created),
    Path: c.path,
    Args: c.args,
    State: dockerState(c, info),
    Image: c.imageId,
    Name: `/${c.name}`,
    RestartCount: info?.restartCount ?? 0,
    Platform: 'wasip1',
    ExecIDs: null,
    HostConfig: { AutoRemove: c.autoRemove, Memory: c.memory, PidsLimit: c.pidsLimit ?? null },
    Mounts: [],
    Config: c.config,
  };
}

/** An image as `docker image inspect` shows it; `all` gives the other names of the same image. */
export function imageJson(summary: ImageSummary, image: StoredImage, all: readonly ImageSummary[]): Record<string, unknown> {
  const same = all.filter((i) => i.id === summary.id);
  const cfg = image.config.config ?? {};
  return {
    Id: summary.id,
    RepoTags: same.filter((i) => !i.ref.includes('@')).map((i) => i.ref),
    RepoDigests: [...new Set(same.map((i) => `${repositoryOf(i.ref)}@${i.digest}`))],
    Parent: '',
    Comment: '',
    Created: image.config.created ?? ZERO_TIME,
    DockerVersion: '',
    Author: (image.config as { author?: string }).author ?? '',
    // docker's container.Config, in its field order; the omitempty fields only when set.
    Config: {
      Hostname: '',
      Domainname: '',
      User: cfg.User ?? '',
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      ...(cfg.ExposedPorts && Object.keys(cfg.ExposedPorts).length ? { ExposedPorts: cfg.ExposedPorts } : {}),
      Tty: false,
      OpenStdin: false,
      StdinOnce: false,
      Env: cfg.Env ?? null,
      Cmd: cfg.Cmd ?? null,
      ...(cfg.Healthcheck ? { Healthcheck: cfg.Healthcheck } : {}),
      ...(cfg.ArgsEscaped ? { ArgsEscaped: true } : {}),
      Image: '',
      Volumes: cfg.Volumes && Object.keys(cfg.Volumes).length ? cfg.Volumes : null,
      WorkingDir: cfg.WorkingDir ?? '',
      Entrypoint: cfg.Entrypoint ?? null,
      OnBuild: cfg.OnBuild?.length ? cfg.OnBuild : null,
      Labels: cfg.Labels ?? null,
      ...(cfg.StopSignal ? { StopSignal: cfg.StopSignal } : {}),
      ...(cfg.Shell ? { Shell: cfg.Shell } : {}),
    },
    Architecture: image.config.architecture,
    Os: image.config.os,
    Size: summary.size,
    RootFS: { Type: 'layers', Layers: image.config.rootfs.diff_ids },
    Metadata: { LastTagTime: ZERO_TIME },
  };
}

type Kind = 'container' | 'image' | undefined;

/** docker/cli inspect.Inspect: every element found, then the errors of those that were not (exit 1). */
async function inspectAll(inv: Invocation, kind: Kind): Promise<number> {
  const sb = await inv.env.sandbox();
  const engine = dockerEngine(sb);
  const images = await sb.images();
  const states = await engine.states();
  const found: unknown[] = [];
  const errors: string[] = [];
  for (const ref of inv.args) {
    let c: DockerContainer | undefined;
    if (kind !== 'image') {
      try {
        c = engine.lookup(ref);
      } catch {
        c = undefined; // an ambiguous prefix names no one object
      }
    }
    if (c) {
      found.push(containerJson(c, states.get(c.id)));
      continue;
    }
    const summary = kind === 'container' ? undefined : await findImage(sb, ref, images);
    if (summary) {
      found.push(imageJson(summary, (await sb.ensureImage(summary.ref)).image, images));
      continue;
    }
    errors.push(`Error: No such ${kind ?? 'object'}: ${ref}`);
  }
  const format = inv.flags.format as string;
  if (format === 'json') inv.io.out(`${JSON.stringify(found)}\n`);
  else if (format) {
    // docker/cli inspect: a template that does not parse is exit status 64.
    const render = dockerTemplate(format, 64);
    inv.io.out(found.length ? found.map((v) => `${render(v)}\n`).join('') : '\n');
  }
  else inv.io.out(found.length ? `${goJson(found)}\n` : '[]\n');
  if (errors.length) inv.io.err(`${errors.join('\n')}\n`);
  return errors.length ? 1 : 0;
}

export async function inspect(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1);
  const type = inv.flags.type as string;
  if (inv.given.has('type') && type !== 'container' && type !== 'image') {
    throw new CommandError(
      type === ''
        ? 'type is empty: must be one of "config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume"'
        : `"${type}" is not a valid value for --type`,
      1,
    );
  }
  return inspectAll(inv, (type || undefined) as Kind);
}

/** `docker container inspect`: containers only ("Error: No such container: x"). */
export async function inspectContainers(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1);
  return inspectAll(inv, 'container');
}

/** `docker image inspect`: images only. */
export async function inspectImages(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1);
  return inspectAll(inv, 'image');
}
