/**
 * What each docker command takes and says about itself: name, usage line,
 * flags, help (docker/cli's cobra definitions, the flags podplay has). What
 * the commands do is in ./implementations.ts, loaded when a docker command
 * first runs; the tree, help and completion need none of it. Each `run`
 * hands that code the command it was invoked as (`docker container ls` is
 * `ps` under another usage line), for the usage in its argument errors.
 */
import type { Command, Invocation } from '../program.ts';

/** The implementations: every export is one command's `(inv, self) => exit code`. */
type Implementations = typeof import('./implementations.ts');

/** A command's run: its implementation, called with the command as invoked. */
const runs = (name: keyof Implementations): Command['run'] =>
  async function (this: Command, inv: Invocation) {
    const implementations: Implementations = await import('./implementations.ts');
    return implementations[name](inv, this);
  };

const FORMAT_HELP = "Format output using a custom template:\n'table': Print output in table format with column headers (default)\n'table TEMPLATE': Print output in table format using the given Go template\n'json': Print in JSON format\n'TEMPLATE': Print output using the given Go template.";

export const ps: Command = {
  name: 'ps',
  use: 'ps [OPTIONS]',
  short: 'List containers',
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Show all containers (default shows just running)' },
    { name: 'last', short: 'n', type: 'int', default: -1, help: 'Show n last created containers (includes all states)' },
    { name: 'latest', short: 'l', type: 'bool', help: 'Show the latest created container (includes all states)' },
    { name: 'format', type: 'string', help: FORMAT_HELP },
    { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only display container IDs' },
  ],
  run: runs('ps'),
};

export const logs: Command = {
  name: 'logs',
  use: 'logs [OPTIONS] CONTAINER',
  short: 'Fetch the logs of a container',
  flags: [
    { name: 'follow', short: 'f', type: 'bool', help: 'Follow log output' },
    { name: 'since', type: 'string', help: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    { name: 'tail', short: 'n', type: 'string', default: 'all', help: 'Number of lines to show from the end of the logs' },
    { name: 'timestamps', short: 't', type: 'bool', help: 'Show timestamps' },
  ],
  run: runs('logs'),
};

export const stop: Command = {
  name: 'stop',
  use: 'stop [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Stop one or more running containers',
  flags: [
    { name: 'signal', short: 's', type: 'string', help: 'Signal to send to the container' },
    { name: 'timeout', short: 't', type: 'int', help: 'Seconds to wait before killing the container' },
    { name: 'time', type: 'int', help: 'Seconds to wait before killing the container (deprecated: use --timeout)', hidden: true },
  ],
  run: runs('stop'),
};

export const kill: Command = {
  name: 'kill',
  use: 'kill [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Kill one or more running containers',
  flags: [{ name: 'signal', short: 's', type: 'string', default: 'KILL', help: 'Signal to send to the container' }],
  run: runs('kill'),
};

export const rm: Command = {
  name: 'rm',
  use: 'rm [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Remove one or more containers',
  flags: [
    { name: 'force', short: 'f', type: 'bool', help: 'Force the removal of a running container (uses SIGKILL)' },
    { name: 'volumes', short: 'v', type: 'bool', help: 'Remove anonymous volumes associated with the container' },
  ],
  run: runs('rm'),
};

export const exec: Command = {
  name: 'exec',
  use: 'exec [OPTIONS] CONTAINER COMMAND [ARG...]',
  short: 'Execute a command in a running container',
  noInterspersed: true,
  flags: [
    { name: 'detach', short: 'd', type: 'bool', help: 'Detached mode: run command in the background' },
    { name: 'env', short: 'e', type: 'strings', help: 'Set environment variables' },
    { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open even if not attached' },
    { name: 'tty', short: 't', type: 'bool', help: 'Allocate a pseudo-TTY' },
    { name: 'workdir', short: 'w', type: 'string', help: 'Working directory inside the container' },
  ],
  run: runs('exec'),
};

/** The flags run and create share (docker/cli container/opts.go, the ones podplay has). */
const CREATE_FLAGS: NonNullable<Command['flags']> = [
  { name: 'env', short: 'e', type: 'strings', help: 'Set environment variables' },
  { name: 'entrypoint', type: 'string', help: 'Overwrite the default ENTRYPOINT of the image' },
  { name: 'hostname', short: 'h', type: 'string', help: 'Container host name' },
  { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open even if not attached' },
  { name: 'memory', short: 'm', type: 'string', help: 'Memory limit' },
  { name: 'name', type: 'string', help: 'Assign a name to the container' },
  { name: 'pids-limit', type: 'int', help: 'Tune container pids limit (set -1 for unlimited)' },
  { name: 'pull', type: 'string', default: 'missing', help: 'Pull image before running ("always", "missing", "never")', values: ['always', 'missing', 'never'] },
  { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress the pull output' },
  { name: 'rm', type: 'bool', help: 'Automatically remove the container and its associated anonymous volumes when it exits' },
  { name: 'tty', short: 't', type: 'bool', help: 'Allocate a pseudo-TTY' },
  { name: 'workdir', short: 'w', type: 'string', help: 'Working directory inside the container' },
];

export const run: Command = {
  name: 'run',
  use: 'run [OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create and run a new container from an image',
  noInterspersed: true,
  flags: [{ name: 'detach', short: 'd', type: 'bool', help: 'Run container in background and print container ID' }, ...CREATE_FLAGS],
  run: runs('run'),
};

export const pull: Command = {
  name: 'pull',
  use: 'pull [OPTIONS] NAME[:TAG|@DIGEST]',
  short: 'Download an image from a registry',
  flags: [
    { name: 'all-tags', short: 'a', type: 'bool', help: 'Download all tagged images in the repository' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress verbose output' },
  ],
  run: runs('pull'),
};

export const images: Command = {
  name: 'images',
  use: 'images [OPTIONS] [REPOSITORY[:TAG]]',
  short: 'List images',
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Show all images (default hides intermediate images)' },
    { name: 'digests', type: 'bool', help: 'Show digests' },
    { name: 'format', type: 'string', help: FORMAT_HELP },
    { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only show image IDs' },
  ],
  run: runs('images'),
};

export const rmi: Command = {
  name: 'rmi',
  use: 'rmi [OPTIONS] IMAGE [IMAGE...]',
  short: 'Remove one or more images',
  flags: [
    { name: 'force', short: 'f', type: 'bool', help: 'Force removal of the image' },
    { name: 'no-prune', type: 'bool', help: 'Do not delete untagged parents' },
  ],
  run: runs('rmi'),
};

export const top: Command = {
  name: 'top',
  use: 'top CONTAINER [ps OPTIONS]',
  short: 'Display the running processes of a container',
  noInterspersed: true,
  run: runs('top'),
};

export const diff: Command = {
  name: 'diff',
  use: 'diff CONTAINER',
  short: "Inspect changes to files or directories on a container's filesystem",
  run: runs('diff'),
};

export const commit: Command = {
  name: 'commit',
  use: 'commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  short: "Create a new image from a container's changes",
  flags: [
    { name: 'author', short: 'a', type: 'string', help: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { name: 'change', short: 'c', type: 'strings', help: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', type: 'string', help: 'Commit message' },
    { name: 'pause', short: 'p', type: 'bool', default: true, help: 'Pause container during commit' },
  ],
  run: runs('commit'),
};

export const history: Command = {
  name: 'history',
  use: 'history [OPTIONS] IMAGE',
  short: 'Show the history of an image',
  flags: [
    { name: 'human', short: 'H', type: 'bool', default: true, help: 'Print sizes and dates in human readable format' },
    { name: 'format', type: 'string', help: FORMAT_HELP },
    { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only show image IDs' },
  ],
  run: runs('history'),
};

export const save: Command = {
  name: 'save',
  use: 'save [OPTIONS] IMAGE [IMAGE...]',
  short: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  flags: [{ name: 'output', short: 'o', type: 'string', help: 'Write to a file, instead of STDOUT' }],
  run: runs('save'),
};

export const load: Command = {
  name: 'load',
  use: 'load [OPTIONS]',
  short: 'Load an image from a tar archive or STDIN',
  flags: [
    { name: 'input', short: 'i', type: 'string', help: 'Read from tar archive file, instead of STDIN' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress the load output' },
  ],
  run: runs('load'),
};

export const df: Command = {
  name: 'df',
  use: 'df [OPTIONS]',
  short: 'Show docker disk usage',
  run: runs('df'),
};

const FORMAT_FLAG = { name: 'format', short: 'f', type: 'string' as const, help: "Format output using a custom template: 'json' or a Go template" };

export const inspect: Command = {
  name: 'inspect',
  use: 'inspect [OPTIONS] NAME|ID [NAME|ID...]',
  short: 'Return low-level information on Docker objects',
  flags: [
    FORMAT_FLAG,
    { name: 'size', short: 's', type: 'bool', help: 'Display total file sizes if the type is container' },
    { name: 'type', type: 'string', help: 'Only inspect objects of the given type', values: ['container', 'image'] },
  ],
  run: runs('inspect'),
};

/** `docker container inspect` / `docker image inspect`: only that kind ("Error: No such container: x"). */
export function inspectOf(kind: 'container' | 'image'): Command {
  return {
    name: 'inspect',
    use: `inspect [OPTIONS] ${kind === 'container' ? 'CONTAINER [CONTAINER...]' : 'IMAGE [IMAGE...]'}`,
    short: `Display detailed information on one or more ${kind}s`,
    flags: [FORMAT_FLAG],
    run: runs(kind === 'container' ? 'inspectContainers' : 'inspectImages'),
  };
}

export const build: Command = {
  name: 'build',
  use: 'build [OPTIONS] PATH | URL | -',
  short: 'Build an image from a Dockerfile',
  flags: [
    { name: 'build-arg', type: 'strings', help: 'Set build-time variables' },
    { name: 'file', short: 'f', type: 'string', help: 'Name of the Dockerfile (default: "PATH/Dockerfile")' },
    { name: 'label', type: 'strings', help: 'Set metadata for an image' },
    { name: 'memory', short: 'm', type: 'string', help: 'Memory limit' },
    { name: 'no-cache', type: 'bool', help: 'Do not use cache when building the image' },
    { name: 'platform', type: 'string', help: 'Set target platform for build', values: ['wasip1/wasm'] },
    { name: 'progress', type: 'string', default: 'auto', help: 'Set type of progress output ("auto", "quiet", "plain", "tty", "rawjson"). Use plain to show container output' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress the build output and print image ID on success' },
    { name: 'source-date-epoch', type: 'string', help: 'Timestamp written into the image (seconds since the epoch; default 0, for reproducible images)' },
    { name: 'tag', short: 't', type: 'strings', help: 'Name and optionally a tag (format: "name:tag")' },
    { name: 'target', type: 'string', help: 'Set the target build stage to build' },
  ],
  run: runs('build'),
};

export const builderPrune: Command = {
  name: 'prune',
  use: 'prune',
  short: 'Remove build cache',
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Remove all unused build cache, not just dangling ones' },
    { name: 'force', short: 'f', type: 'bool', help: 'Do not prompt for confirmation' },
  ],
  run: runs('builderPrune'),
};

export const push: Command = {
  name: 'push',
  use: 'push [OPTIONS] NAME[:TAG]',
  short: 'Upload an image to a registry',
  flags: [
    { name: 'all-tags', short: 'a', type: 'bool', help: 'Push all tags of an image to the repository' },
    {
      name: 'platform',
      type: 'string',
      help: "Push a platform-specific manifest as a single-platform image to the registry.\nImage index won't be pushed, meaning that other manifests, including attestations won't be preserved.\n'os[/arch[/variant]]': Explicit platform (eg. linux/amd64)",
    },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress verbose output' },
  ],
  run: runs('push'),
};

export const tag: Command = {
  name: 'tag',
  use: 'tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  short: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  noInterspersed: true,
  run: runs('tag'),
};

export const login: Command = {
  name: 'login',
  use: 'login [OPTIONS] [SERVER]',
  short: 'Authenticate to a registry',
  long: 'Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.',
  flags: [
    { name: 'password', short: 'p', type: 'string', help: 'Password or Personal Access Token (PAT), or "-" to read from stdin' },
    { name: 'password-stdin', type: 'bool', help: 'Take the Password or Personal Access Token (PAT) from stdin' },
    { name: 'username', short: 'u', type: 'string', help: 'Username' },
  ],
  run: runs('login'),
};

export const logout: Command = {
  name: 'logout',
  use: 'logout [SERVER]',
  short: 'Log out from a registry',
  long: 'Log out from a registry.\nIf no server is specified, the default is defined by the daemon.',
  run: runs('logout'),
};
