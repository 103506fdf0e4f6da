/**
 * `npx podplay …` on Node: the same store, pull and runtime code as the
 * playground, with a directory store under $PODPLAY_HOME (else the user's
 * cache directory) and the bundled image layout read from disk.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDocker } from './docker/index.ts';
import { startExitCode } from './docker/run.ts';
import { dockerSize } from './format.ts';
import { NodeFiles, fileFetch } from './node-files.ts';
import { Sandbox, formatPullEvent, startError, type PullEvent } from '../sandbox/index.ts';
import { runInteractive, runOnce, runPiped, startWorld } from './node-shell.ts';

const USAGE = `Usage: podplay [COMMAND]

  podplay                       the shell: kubectl and docker over a cluster of
                                node workers (interactive on a terminal; piped
                                input runs line by line)
  podplay kubectl ARGS...       one kubectl command against the saved cluster
  podplay docker ARGS...        one docker command
  podplay explain pod NAME      why the scheduler put a pod of the saved cluster
                                on its node, or left it Pending
  podplay lessons verify DIR    run every lesson of a course folder on a fresh
                                cluster and check each step (docs/lessons.md)

Commands:
  run IMAGE [ARG...]            run a container of IMAGE (pulled first when missing)
  pull IMAGE                    pull IMAGE: a plain name from the bundled layout,
                                host[:port]/name[:tag] from that registry
  load -i FILE [-t NAME:TAG]    load images from an OCI layout tar, a docker save tar
                                or a .wasm module (wrapped into a one-layer image)
  save -o FILE IMAGE...         write images to FILE as an OCI layout tar
  images                        list stored images
  rmi IMAGE...                  remove images, and the layers no other image uses
  gc                            delete stored blobs no image uses

Images, and the cluster's objects between runs, are kept under
$PODPLAY_HOME (now: %HOME%).`;

const COMMANDS = ['run', 'pull', 'load', 'save', 'images', 'rmi', 'gc'];

/** `-o FILE` style options, then the rest. */
function options(args: string[], known: string[]): { opts: Record<string, string>; rest: string[] } {
  const opts: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (known.includes(a)) {
      const v = args[++i];
      if (v === undefined) throw new Error(`flag needs an argument: ${a}`);
      opts[a] = v;
    } else if (a.startsWith('-') && a !== '-') throw new Error(`unknown flag: ${a}`);
    else rest.push(a);
  }
  return { opts, rest };
}

const progress = (out: NodeJS.WriteStream) => (e: PullEvent) => e.status !== 'Downloading' && out.write(formatPullEvent(e) + '\n');

export function podplayHome(env = process.env): string {
  if (env.PODPLAY_HOME) return env.PODPLAY_HOME;
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'podplay');
}

const BANNER = `podplay: a Kubernetes cluster of node workers, on this machine. Type 'help', or try
  kubectl create deployment web --image=podplay/hello --replicas=3
  kubectl get pods -o wide

`;

/** The shell and one-shot kubectl/docker over the cluster (node-shell.ts). */
async function clusterMain(argv: string[], home: string): Promise<number> {
  const world = await startWorld(home, layoutUrl(), fileFetch);
  try {
    if (argv.length) return await runOnce(world, argv);
    return process.stdin.isTTY ? await runInteractive(world, BANNER) : await runPiped(world);
  } finally {
    await world.close();
  }
}

/**
 * The bundled image layout: `public/images` in a checkout, else the build's
 * copy in `dist/images` (the npm package ships only that one).
 */
export function layoutUrl(): string {
  const source = new URL('../../public/images/', import.meta.url);
  return (existsSync(fileURLToPath(new URL('index.json', source))) ? source : new URL('../../dist/images/', import.meta.url)).href.replace(/\/$/, '');
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const home = podplayHome();
  if (!command || command === 'kubectl' || command === 'docker' || command === 'k') return clusterMain(argv, home);
  if (command === 'explain') return clusterMain(['podplay', ...argv], home);
  if (command === '--help' || command === 'help' || command === '-h') {
    process.stdout.write(USAGE.replace('%HOME%', home) + '\n');
    return 0;
  }
  if (!COMMANDS.includes(command)) {
    process.stderr.write(`podplay: '${command}' is not a podplay command.\nSee 'podplay --help'.\n`);
    return 1;
  }
  const sandbox = await Sandbox.create({
    layoutUrl: layoutUrl(),
    store: { kind: 'directory', root: home },
    fetch: fileFetch,
  });
  try {
    switch (command) {
      case 'images':
        // docker images, over this store.
        return await runDocker(['images'], { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t), signal: new AbortController().signal }, {
          cluster: undefined as never,
          sandbox: async () => sandbox,
          files: new NodeFiles(),
          fetch: fileFetch,
        });
      case 'pull': {
        if (rest.length !== 1) throw new Error('"podplay pull" requires exactly 1 argument: the image');
        await sandbox.pull(rest[0]!, progress(process.stdout));
        return 0;
      }
      case 'load': {
        const { opts, rest: extra } = options(rest, ['-i', '--input', '-t', '--tag']);
        const file = opts['-i'] ?? opts['--input'];
        if (!file || extra.length) throw new Error('"podplay load" requires -i FILE (an OCI layout tar, a docker save tar or a .wasm module)');
        const loaded = await sandbox.load(new Uint8Array(await readFile(file)), file, { tag: opts['-t'] ?? opts['--tag'] });
        for (const img of loaded) process.stdout.write(`Loaded image: ${img.ref}\n`);
        return 0;
      }
      case 'save': {
        const { opts, rest: refs } = options(rest, ['-o', '--output']);
        const file = opts['-o'] ?? opts['--output'];
        if (!file || refs.length === 0) throw new Error('"podplay save" requires -o FILE and at least 1 image');
        await writeFile(file, await sandbox.save(refs));
        return 0;
      }
      case 'rmi': {
        if (rest.length === 0) throw new Error('"podplay rmi" requires at least 1 argument: the image');
        let code = 0;
        for (const ref of rest) {
          try {
            const r = await sandbox.rmi(ref);
            for (const u of r.untagged) process.stdout.write(`Untagged: ${u}\n`);
            for (const d of r.deleted) process.stdout.write(`Deleted: ${d}\n`);
          } catch (err) {
            process.stderr.write(`${(err as Error).message}\n`);
            code = 1;
          }
        }
        return code;
      }
      case 'gc': {
        const r = await sandbox.gc();
        for (const d of r.deleted) process.stdout.write(`Deleted: ${d}\n`);
        process.stdout.write(`Total reclaimed space: ${dockerSize(r.freedBytes)}\n`);
        return 0;
      }
      default: {
        const [image, ...args] = rest;
        if (!image) throw new Error('"podplay run" requires at least 1 argument: the image');
        await sandbox.ensureImage(image, progress(process.stderr));
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
          return startExitCode(err.message);
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
