/**
 * `npx podplay …` on Node: the same store, pull and runtime code as the
 * playground, with a directory store under $PODPLAY_HOME (else the user's
 * cache directory) and the bundled image layout read from disk.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sandbox, formatPullEvent, startError } from '../sandbox/index.ts';

const USAGE = `Usage: podplay COMMAND

Commands:
  run IMAGE [ARG...]   run a container of IMAGE (pulled from the bundled layout when missing)
  pull IMAGE           pull IMAGE from the bundled layout into the local store
  images               list stored images

Images are kept under $PODPLAY_HOME (now: %HOME%).`;

export function podplayHome(env = process.env): string {
  if (env.PODPLAY_HOME) return env.PODPLAY_HOME;
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'podplay');
}

async function fileFetch(url: string): Promise<Response> {
  if (!url.startsWith('file:')) return fetch(url);
  try {
    return new Response(await readFile(fileURLToPath(url)));
  } catch {
    return new Response('not found', { status: 404 });
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const home = podplayHome();
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(USAGE.replace('%HOME%', home) + '\n');
    return command ? 0 : 1;
  }
  if (!['run', 'pull', 'images'].includes(command)) {
    process.stderr.write(`podplay: '${command}' is not a podplay command.\nSee 'podplay --help'.\n`);
    return 1;
  }
  const sandbox = await Sandbox.create({
    layoutUrl: new URL('../../public/images', import.meta.url).href,
    store: { kind: 'directory', root: home },
    fetch: fileFetch,
  });
  try {
    switch (command) {
      case 'images': {
        const rows = await sandbox.images();
        const lines = [['REPOSITORY', 'TAG', 'IMAGE ID'], ...rows.map((r) => {
          const i = r.ref.lastIndexOf(':');
          return [r.ref.slice(0, i), r.ref.slice(i + 1), r.digest.slice(7, 19)];
        })];
        const widths = [0, 1].map((c) => Math.max(...lines.map((l) => l[c]!.length)) + 3);
        for (const l of lines) process.stdout.write(`${l[0]!.padEnd(widths[0]!)}${l[1]!.padEnd(widths[1]!)}${l[2]}\n`);
        return 0;
      }
      case 'pull': {
        if (!rest[0]) throw new Error('"podplay pull" requires exactly 1 argument: the image');
        await sandbox.pull(rest[0], (e) => e.status !== 'Downloading' && process.stdout.write(formatPullEvent(e) + '\n'));
        return 0;
      }
      default: {
        const [image, ...args] = rest;
        if (!image) throw new Error('"podplay run" requires at least 1 argument: the image');
        await sandbox.ensureImage(image, (e) => e.status !== 'Downloading' && process.stderr.write(formatPullEvent(e) + '\n'));
        const handle = await sandbox.run(image, {
          args: args.length ? args : undefined,
          onOutput: (e) => (e.type === 'stdout' ? process.stdout : process.stderr).write(e.data),
        });
        const stop = () => void handle.kill();
        process.once('SIGINT', stop);
        const result = await handle.result;
        process.off('SIGINT', stop);
        const err = startError(result);
        if (err) {
          process.stderr.write(`podplay: ${err.message}\n`);
          return 125;
        }
        return result.exitCode;
      }
    }
  } catch (err) {
    process.stderr.write(`podplay: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await sandbox.dispose();
  }
}
