/**
 * The image commands: `images` (formatter/image.go), `rmi` (the daemon's
 * Untagged/Deleted lines and its conflicts with containers) and `history`
 * (formatter/history.go, from the image config's history).
 */
import type { ImageSummary, Sandbox } from '../../sandbox/index.ts';
import { sha256 } from '../../shared/index.ts';
import type { Command, Invocation } from '../program.ts';
import { DOCKER_TABLE, formatTable } from '../table.ts';
import { daemonError, dockerEngine, type DockerEngine } from './engine.ts';
import { findImage, getImage, missingName, normalizeRef, repositoryOf, tagOf } from './refs.ts';
import { formatWith } from './format.ts';
import { checkArgs, eachArg } from './style.ts';
import { ellipsis, humanSizeWithPrecision, rfc3339, since, truncateId } from './units.ts';

/** CREATED of an image: its config's time in whole seconds, as the API gives it. */
function createdSince(created: string | undefined, now: number): string {
  const t = created ? Date.parse(created) : NaN;
  return Number.isNaN(t) ? 'N/A' : since(Math.floor(t / 1000) * 1000, now);
}

/** REPOSITORY and TAG of a stored ref (`<none>` for one pulled by digest). */
function repoAndTag(ref: string): [string, string] {
  return ref.includes('@') ? [ref.slice(0, ref.indexOf('@')), '<none>'] : [repositoryOf(ref), tagOf(ref)];
}

/** The daemon's order: newest first (then by name, for images made at the same time). */
function newestFirst(images: ImageSummary[]): ImageSummary[] {
  const t = (i: ImageSummary) => (i.created ? Date.parse(i.created) || 0 : 0);
  return [...images].sort((a, b) => t(b) - t(a) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

export async function images(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 0, 1);
  const sb = await inv.env.sandbox();
  const now = dockerEngine(sb).now();
  let list = newestFirst(await sb.images());
  const filter = inv.args[0];
  if (filter !== undefined) {
    const withTag = /:[^/]*$/.test(filter);
    list = list.filter((i) => repoAndTag(i.ref)[0] === repositoryOf(filter) && (!withTag || tagOf(i.ref) === tagOf(filter)));
  }
  const id = (i: ImageSummary) => (inv.flags['no-trunc'] ? i.id : truncateId(i.id));
  if (inv.flags.quiet) {
    inv.io.out(list.map((i) => `${id(i)}\n`).join(''));
    return 0;
  }
  const format = inv.flags.format as string;
  if (format && format !== 'table') {
    const fields = list.map((i) => {
      const [Repository, Tag] = repoAndTag(i.ref);
      return { ID: id(i), Repository, Tag, Digest: i.digest, CreatedSince: createdSince(i.created, now), CreatedAt: i.created ? new Date(i.created).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000 UTC') : '', Size: humanSizeWithPrecision(i.size, 3) };
    });
    inv.io.out(format === 'json' ? fields.map((f) => JSON.stringify(f) + '\n').join('') : formatWith(format, fields, true));
    return 0;
  }
  const digests = inv.flags.digests as boolean;
  const header = ['REPOSITORY', 'TAG', ...(digests ? ['DIGEST'] : []), 'IMAGE ID', 'CREATED', 'SIZE'];
  const rows = list.map((i) => [...repoAndTag(i.ref), ...(digests ? [i.digest] : []), id(i), createdSince(i.created, now), humanSizeWithPrecision(i.size, 3)]);
  inv.io.out(formatTable([header, ...rows], DOCKER_TABLE));
  return 0;
}

/** Layer chain IDs (image-spec config.md: ChainID(n) = sha256(ChainID(n-1) + " " + DiffID(n))), as docker names layers. */
async function chainIds(diffIds: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const d of diffIds) out.push(out.length ? await sha256(`${out.at(-1)} ${d}`) : d);
  return out;
}

/** Untags `ref` and deletes what only it used, in the daemon's words (`Untagged: …`, `Deleted: …`). */
async function untag(sb: Sandbox, summary: ImageSummary, all: readonly ImageSummary[]): Promise<string> {
  const { image } = await sb.ensureImage(summary.ref);
  const r = await sb.rmi(summary.ref);
  let out = r.untagged.map((u) => `Untagged: ${u}\n`).join('');
  const repo = repoAndTag(summary.ref)[0];
  const repoLeft = all.some((i) => i.ref !== summary.ref && i.id === summary.id && repoAndTag(i.ref)[0] === repo);
  if (!summary.ref.includes('@') && !repoLeft) out += `Untagged: ${repo}@${summary.digest}\n`;
  const deleted = new Set<string>(r.deleted);
  if (!deleted.has(summary.id)) return out;
  out += `Deleted: ${summary.id}\n`;
  const chains = await chainIds(image.config.rootfs.diff_ids);
  for (let i = image.manifest.layers.length - 1; i >= 0; i--) {
    if (deleted.has(image.manifest.layers[i]!.digest) && chains[i]) out += `Deleted: ${chains[i]}\n`;
  }
  return out;
}

/** docker rmi of one name or ID, with the daemon's conflicts with containers that use the image. */
async function removeImage(engine: DockerEngine, arg: string, force: boolean): Promise<string> {
  const sb = engine.sandbox;
  const all = await sb.images();
  const summary = await findImage(sb, arg, all);
  if (!summary) throw daemonError(`No such image: ${missingName(arg)}`);
  const users = engine.usingImage(summary.id);
  const sameImage = all.filter((i) => i.id === summary.id);
  const short = truncateId(summary.id);
  if (summary.ref === normalizeRef(arg) || summary.ref === arg) {
    if (sameImage.length === 1 && users.length && !force) {
      throw daemonError(`conflict: unable to remove repository reference "${arg}" (must force) - container ${users[0]!.id.slice(0, 12)} is using its referenced image ${short}`);
    }
    return untag(sb, summary, all);
  }
  // By ID: every name of the image goes.
  if (sameImage.length > 1 && !force) throw daemonError(`conflict: unable to delete ${short} (must be forced) - image is referenced in multiple repositories`);
  if (users.length && !force) {
    const states = await engine.states();
    const running = users.find((c) => states.get(c.id)?.state === 'running');
    throw daemonError(
      running
        ? `conflict: unable to delete ${short} (cannot be forced) - image is being used by running container ${running.id.slice(0, 12)}`
        : `conflict: unable to delete ${short} (must be forced) - image is being used by stopped container ${users[0]!.id.slice(0, 12)}`,
    );
  }
  let out = '';
  for (const [n, s] of sameImage.entries()) out += await untag(sb, s, n === 0 ? all : all.filter((i) => !sameImage.slice(0, n).includes(i)));
  return out;
}

export async function rmi(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1);
  const engine = dockerEngine(await inv.env.sandbox());
  return eachArg(inv, (arg) => removeImage(engine, arg, inv.flags.force as boolean));
}

export async function history(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1, 1);
  const sb = await inv.env.sandbox();
  const now = dockerEngine(sb).now();
  const { summary, image } = await getImage(sb, inv.args[0]!);
  const trunc = !inv.flags['no-trunc'];
  const human = inv.flags.human as boolean;
  // Each history entry that made a layer takes the next layer's size; an image without history shows its layers.
  const entries = image.config.history ?? image.manifest.layers.map(() => ({ created: image.config.created, created_by: '' }));
  let layer = 0;
  const rows = entries.map((h) => {
    const size = 'empty_layer' in h && h.empty_layer ? 0 : image.manifest.layers[layer++]?.size ?? 0;
    const created = h.created ? Date.parse(h.created) : NaN;
    const comment = 'comment' in h ? h.comment ?? '' : '';
    return {
      created: human ? createdSince(h.created, now) : Number.isNaN(created) ? '' : rfc3339(created),
      by: trunc ? ellipsis((h.created_by ?? '').replace(/\t/g, ' '), 45) : (h.created_by ?? '').replace(/\t/g, ' '),
      size: human ? humanSizeWithPrecision(size, 3) : String(size),
      comment,
    };
  });
  rows.reverse();
  const ids = rows.map((_, i) => (i === 0 ? (trunc ? truncateId(summary.id) : summary.id) : '<missing>'));
  if (inv.flags.quiet) {
    inv.io.out(ids.map((id) => `${id}\n`).join(''));
    return 0;
  }
  const table = rows.map((r, i) => [ids[i]!, r.created, r.by, r.size, r.comment]);
  inv.io.out(formatTable([['IMAGE', human ? 'CREATED' : 'CREATED AT', 'CREATED BY', 'SIZE', 'COMMENT'], ...table], DOCKER_TABLE));
  return 0;
}
