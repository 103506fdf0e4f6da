/**
 * podplay's Node entry (the package's `node` export, loaded by lib/node.mjs
 * through a tsx namespace of its own): the library with the Node CLI's
 * defaults. createSandbox() gives the same sandbox as the page's, with
 * images in a directory under $PODPLAY_HOME (else ~/.cache/podplay), the
 * bundled image layout read from the package's files, the real filesystem
 * for `-f` and redirections, and a saved state as a file beside the images.
 */
import { mkdir } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// Node-only parts of cli/, which its index (loaded by the browser build too) does not export.
import { NodeFiles, fileFetch } from './cli/node-files.ts';
import { NodePorts } from './cli/node-ports.ts';
import { layoutUrl, podplayHome } from './cli/node-main.ts';
import { createSession, type SandboxSession, type SessionOptions } from './cli/index.ts';
import { directoryStateStore } from './sandbox/index.ts';

export interface NodeSandboxOptions extends Partial<Omit<SessionOptions, 'state' | 'images'>> {
  /** Where images (and `persist` states) are kept (default: $PODPLAY_HOME, else $XDG_CACHE_HOME/podplay or ~/.cache/podplay). */
  home?: string;
  /** Keep the cluster's objects and the history in `<home>/<persist>.json`, and start from them next time. */
  persist?: string;
  /** More image layouts, searched before the bundled one: URLs, or paths of layout folders. */
  images?: string[];
}

/** A layout named by URL stays one; a path becomes a `file:` URL. */
const layoutRef = (ref: string) => (/^[a-z][a-z0-9+.-]+:/i.test(ref) && !isAbsolute(ref) ? ref : pathToFileURL(resolve(ref)).href);

/**
 * Starts a sandbox in this process: a cluster of node workers (worker
 * threads), the docker side, and (with `persist`) the state saved whenever
 * something changes. Dispose it to save and stop its threads.
 */
export async function createSandbox(options: NodeSandboxOptions = {}): Promise<SandboxSession> {
  const { home = podplayHome(), persist, images, ...rest } = options;
  await mkdir(home, { recursive: true });
  return createSession({
    store: { kind: 'directory', root: home },
    layoutUrl: layoutUrl(),
    fetch: fileFetch,
    files: new NodeFiles(),
    ports: new NodePorts(),
    ...rest,
    images: images?.map(layoutRef),
    state: persist ? await directoryStateStore(home, `${persist}.json`) : undefined,
  });
}

export { layoutUrl, podplayHome, NodeFiles, fileFetch };
export { createSession, runLine, SandboxSession, type SessionOptions, type ChangeEvent, type ExecResult, type CliEnv, type CommandIo, type Files } from './cli/index.ts';
export {
  Cluster,
  Sandbox,
  defaultNodes,
  directoryStateStore,
  formatPullEvent,
  type ClusterOptions,
  type NodeConfig,
  type SandboxOptions,
  type ContainerHandle,
  type ContainerResult,
  type PullEvent,
  type StoreConfig,
} from './sandbox/index.ts';
export { PodplayError } from './shared/index.ts';
