/**
 * podplay's `docker`: the command tree (docker's top-level commands and the
 * `container`, `image` and `system` groups), run against a sandbox's image
 * store and node worker. Text in, text out, in docker's words.
 */
import type { CliEnv, CommandIo } from '../io.ts';
import { runProgram, type Command } from '../program.ts';
import { build, builderPrune, commit, df, diff, exec, history, images, inspect, inspectOf, kill, load, login, logout, logs, ps, pull, push, rm, rmi, run, save, stop, tag, top } from './commands.ts';
import { dockerUsage } from './help.ts';
import { DOCKER_STYLE } from './style.ts';

export { DOCKER_STYLE, dockerMessage } from './style.ts';
export { dockerUsage } from './help.ts';
export { DockerEngine, dockerEngine, type DockerContainer, type EngineOptions } from './engine.ts';
export { humanDuration, humanSize, humanSizeWithPrecision } from './units.ts';

/**
 * A management command (`docker container`): without a subcommand, its
 * usage on stderr (exit 0); with an unknown one, the usage as an error
 * (cli.NoArgs, exit 1).
 */
function group(name: string, short: string, subcommands: Command[]): Command {
  const self: Command = {
    name,
    short,
    use: `${name} COMMAND`,
    group: 'Management Commands:',
    subcommands,
    noInterspersed: true,
    run(inv) {
      inv.io.err(`\n${dockerUsage(inv.path, self)}`);
      return inv.args.length === 0 ? 0 : 1;
    },
  };
  return self;
}

const as = (c: Command, name: string, use: string, aliases: string[]): Command => ({ ...c, name, use, aliases, group: undefined });

const common = (c: Command): Command => ({ ...c, group: 'Common Commands:' });
const plain = (c: Command): Command => ({ ...c, group: 'Commands:' });

const container = group(
  'container',
  'Manage containers',
  [as(ps, 'ls', 'ls [OPTIONS]', ['ps', 'list']), run, exec, logs, stop, kill, top, diff, commit, as(rm, 'rm', 'rm [OPTIONS] CONTAINER [CONTAINER...]', ['remove']), inspectOf('container')],
);

const image = group(
  'image',
  'Manage images',
  [
    as(images, 'ls', 'ls [OPTIONS] [REPOSITORY[:TAG]]', ['images', 'list']),
    build,
    pull,
    push,
    as(rmi, 'rm', 'rm [OPTIONS] IMAGE [IMAGE...]', ['rmi', 'remove']),
    tag,
    history,
    save,
    load,
    inspectOf('image'),
  ],
);

const system = group('system', 'Manage Docker', [df]);

const builder = group('builder', 'Manage builds', [build, builderPrune]);

const buildx = group('buildx', 'Docker Buildx', [{ ...build, aliases: ['b'] }, { ...builderPrune, short: 'Remove build cache' }]);

/** The `docker` command tree. */
export const docker: Command = {
  name: 'docker',
  short: 'A self-sufficient runtime for containers',
  use: 'docker [OPTIONS] COMMAND',
  noInterspersed: true,
  subcommands: [
    common(run),
    common(exec),
    common(build),
    common(ps),
    common(pull),
    common(push),
    common(images),
    common(login),
    common(logout),
    builder,
    buildx,
    container,
    image,
    system,
    plain(commit),
    plain(diff),
    plain(history),
    plain(inspect),
    plain(kill),
    plain(load),
    plain(logs),
    plain(rm),
    plain(rmi),
    plain(save),
    plain(stop),
    plain(tag),
    plain(top),
  ],
  run(inv) {
    if (inv.args.length === 0) {
      inv.io.err(`\n${dockerUsage('docker', docker)}`);
      return 0;
    }
    inv.io.err(DOCKER_STYLE.unknownCommand(inv.args[0]!, 'docker', []));
    return 1;
  },
};

/** Runs one `docker …` command line (argv without `docker`); resolves to its exit code. */
export function runDocker(argv: string[], io: CommandIo, env: CliEnv): Promise<number> {
  return runProgram(DOCKER_STYLE, docker, argv, io, env);
}
