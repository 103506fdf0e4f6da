/**
 * `docker pull` and the pull `docker run` does for a missing image: the
 * progress lines as docker's jsonmessage prints them (one line per event on
 * a pipe; on a terminal one line per layer, redrawn in place), and pull
 * failures in the registry's words.
 */
import { mirrorNote, type PullEvent, type Sandbox } from '../../sandbox/index.ts';
import type { Command, Invocation } from '../program.ts';
import { daemonError } from './engine.ts';
import { fullyQualified, hasTagOrDigest, normalizeRef, remotePath, repositoryOf, splitRegistry, tagOf } from './refs.ts';
import { checkArgs } from './style.ts';
import { humanSize } from './units.ts';

/** jsonmessage.JSONProgress.String for a wide terminal (the bar, then current/total; no time left). */
export function progressBar(current: number, total: number): string {
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return humanSize(current).padStart(8);
  const filled = Math.min(50, Math.trunc(Math.trunc((current / total) * 100) / 2));
  const bar = `[${'='.repeat(filled)}>${' '.repeat(Math.max(0, 50 - filled))}] `;
  const numbers = current > total ? humanSize(current).padStart(8) : `${humanSize(current).padStart(8)}/${humanSize(total)}`;
  return bar + numbers;
}

/**
 * Prints pull events as `docker pull` does. On a pipe: every status line,
 * but no download progress (`<id>: Pulling fs layer`, `<id>: Pull complete`).
 * On a terminal: one line per layer, updated in place with cursor moves as
 * jsonmessage.DisplayJSONMessagesStream writes them.
 */
/**
 * The block of per-layer lines docker pull and push keep on a terminal: a
 * new ID gets a line, a known one is redrawn in place with cursor moves (as
 * jsonmessage.DisplayJSONMessagesStream does); output without an ID ends
 * the block.
 */
export function layerLines(write: (text: string) => void): { show(id: string, text: string): void; end(): void } {
  let lines = new Map<string, number>();
  return {
    show(id, shown) {
      let line = lines.get(id);
      let text = '';
      if (line === undefined) {
        line = lines.size;
        lines.set(id, line);
        text += '\n';
      }
      const up = lines.size - line;
      write(`${text}\x1b[${up}A\x1b[2K\r${shown}\r\x1b[${up}B`);
    },
    end: () => void (lines = new Map()),
  };
}

export function pullPrinter(write: (text: string) => void, tty: boolean): (e: PullEvent) => void {
  const block = layerLines(write);
  return (e) => {
    if (e.kind === 'image') {
      block.end();
      if (e.status === 'Pulling from') write(`${tagOf(e.ref)}: Pulling from ${remotePath(e.ref)}\n`);
      else if (e.status === 'Digest') write(`Digest: ${e.digest}\n`);
      else write(`Status: ${e.message}\n`);
      return;
    }
    const progress = e.status === 'Downloading' ? progressBar(e.current, e.total) : '';
    if (!tty) {
      if (e.status !== 'Downloading') write(`${e.id}: ${e.status}\n`);
      return;
    }
    block.show(e.id, `${e.id}: ${e.status} ${progress}`);
  };
}

/**
 * Pulls `ref` into the sandbox's store. A name a registry mirror serves
 * (busybox, debian, registry.k8s.io/pause, …) is pulled from the mirror's
 * podplay image and stored under that name, and `note` gets one line saying
 * so (podplay's own; docker says nothing of its mirrors). A name the bundled
 * layout (podplay's Docker Hub) lacks fails in Docker Hub's words; a
 * registry's missing manifest as docker reports a registry's MANIFEST_UNKNOWN.
 */
export async function pullImage(sb: Sandbox, ref: string, onEvent: (e: PullEvent) => void, note: (text: string) => void = () => {}): Promise<string> {
  try {
    const pulled = await sb.pull(ref, onEvent);
    if (pulled.mirror) note(`${pulled.ref} is ${mirrorNote(pulled.mirror)}\n`);
    return pulled.ref;
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.code !== 'ImageNotFound') throw daemonError(e.message.replace(/^Error response from daemon: /, ''));
    const name = normalizeRef(ref);
    const known = splitRegistry(name)[0] === undefined ? await sb.layout.list().catch(() => []) : [];
    const hub = splitRegistry(name)[0] === undefined;
    if (!hub || known.some((i) => i.name !== undefined && repositoryOf(i.name) === repositoryOf(name))) {
      throw daemonError(`manifest for ${name} not found: manifest unknown: manifest unknown`);
    }
    throw daemonError(`pull access denied for ${repositoryOf(name)}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`);
  }
}


export async function pull(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1, 1);
  const [ref] = inv.args as [string];
  const quiet = inv.flags.quiet as boolean;
  if (inv.flags['all-tags']) throw daemonError('podplay pulls one tag at a time: name the tag (NAME:TAG)');
  if (!hasTagOrDigest(ref) && !quiet) inv.io.out(`Using default tag: latest\n`);
  const sb = await inv.env.sandbox();
  await pullImage(sb, ref, quiet ? () => {} : pullPrinter(inv.io.out, inv.io.isTTY === true), quiet ? undefined : inv.io.err);
  inv.io.out(`${fullyQualified(ref)}\n`);
  return 0;
}
