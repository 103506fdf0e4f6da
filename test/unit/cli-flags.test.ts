/**
 * podplay's kubectl and docker command trees held against the real ones
 * (test/data/*-commands.json, written from kubectl's and docker's cobra
 * trees by scripts/cli-flags; `npm run cli-flags` refreshes them): every
 * podplay command and flag is one the real tool has, with its shorthand
 * and kind; a real flag or command podplay lacks is answered with
 * podplay's words, never `unknown flag`; one the real tool lacks too keeps
 * the tool's own error.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { docker, runDocker } from '../../src/cli/docker/index.ts';
import { kubectl, runKubectl } from '../../src/cli/kubectl/index.ts';
import type { Command } from '../../src/cli/program.ts';
import { REAL_COMMANDS } from '../../src/cli/real-commands.ts';
import { realFlag, type RealCommands } from '../../src/cli/real-tool.ts';
import { bufferIo } from '../../src/cli/io.ts';
import { realCommandsModule } from '../../scripts/real-commands.ts';

/** podplay's own, each with why: what it is in the real world. */
const PODPLAY_ONLY = new Map<string, string>([
  // docker build is buildx's (the docker driver), whose flags the classic builder in docker/cli's tree lacks.
  ['docker build --progress', 'buildx build'],
  ['docker build --source-date-epoch', 'buildx build'],
  ['docker builder build --progress', 'buildx build'],
  ['docker builder build --source-date-epoch', 'buildx build'],
  ['docker image build --progress', 'buildx build'],
  ['docker image build --source-date-epoch', 'buildx build'],
  ['docker buildx', 'the buildx plugin'],
  ['docker buildx build', 'the buildx plugin'],
  ['docker buildx prune', 'the buildx plugin'],
]);

/** Every command of a tree with its path and the flags it takes (its own and its ancestors'). */
function* commands(c: Command, path: string, inherited: Command['flags'] = []): Generator<{ path: string; command: Command; flags: NonNullable<Command['flags']> }> {
  const flags = [...(inherited ?? []), ...(c.flags ?? [])];
  yield { path, command: c, flags };
  for (const s of c.subcommands ?? []) yield* commands(s, `${path} ${s.name}`, flags);
}

const trees: Array<[keyof typeof REAL_COMMANDS, Command]> = [
  ['kubectl', kubectl],
  ['docker', docker],
];

test('src/cli/real-commands.ts is what scripts/real-commands.ts makes of test/data (npm run cli-flags)', () => {
  assert.equal(readFileSync(new URL('../../src/cli/real-commands.ts', import.meta.url), 'utf8'), realCommandsModule());
});

test("every podplay command and flag is the real tool's, with its shorthand and kind", (t) => {
  for (const [tool, root] of trees) {
    const real: RealCommands = REAL_COMMANDS[tool];
    let have = 0;
    let total = 0;
    for (const { path, command } of commands(root, tool)) {
      if (path === tool) continue;
      const key = path.split(' ').slice(1).join(' ');
      if (!real.commands[key]) {
        assert.ok(PODPLAY_ONLY.has(path), `${path} is not a command of ${tool} ${real.version}`);
        continue;
      }
      for (const f of command.flags ?? []) {
        const r = realFlag(real, path, f.name);
        if (!r) {
          assert.ok(PODPLAY_ONLY.has(`${path} --${f.name}`), `${path} --${f.name} is not a flag of ${tool} ${real.version}`);
          continue;
        }
        assert.equal(f.short ?? '', r[1], `${path} --${f.name}: shorthand`);
        assert.equal(f.type === 'bool', r[2] === 'bool', `${path} --${f.name}: ${f.type} here, ${r[2]} in ${tool}`);
      }
      const own = real.commands[key]!.flags.filter((r) => !r[5]);
      total += own.length;
      have += own.filter((r) => (command.flags ?? []).some((f) => f.name === r[0]) || allOf(root, path).some((f) => f.name === r[0])).length;
    }
    t.diagnostic(`${tool} ${real.version}: podplay's commands take ${have} of the ${total} flags the real ones have`);
  }
});

function allOf(root: Command, path: string): NonNullable<Command['flags']> {
  for (const c of commands(root, path.split(' ')[0]!)) if (c.path === path) return c.flags;
  return [];
}

test("a real flag or command podplay lacks is podplay's to answer; one the real tool lacks keeps the tool's error", async () => {
  const run = async (tool: 'kubectl' | 'docker', line: string) => {
    const io = bufferIo();
    const argv = line.split(' ');
    const code = tool === 'kubectl' ? await runKubectl(argv, io, undefined as never) : await runDocker(argv, io, undefined as never);
    return { code, err: io.stderr };
  };
  assert.deepEqual(await run('kubectl', 'get pods --chunk-size=5'), { code: 1, err: "error: --chunk-size is not available in podplay yet: leave it out, or see 'kubectl get --help' for the flags it has\n" });
  assert.deepEqual(await run('kubectl', 'get pods -k dir'), { code: 1, err: "error: --kustomize is not available in podplay yet: leave it out, or see 'kubectl get --help' for the flags it has\n" });
  assert.deepEqual(await run('kubectl', 'get pods --no-such-flag'), { code: 1, err: "error: unknown flag: --no-such-flag\nSee 'kubectl get --help' for usage.\n" });
  assert.deepEqual(await run('kubectl', '-n web patch deploy web -p {}'), { code: 1, err: "error: kubectl patch is not available in podplay yet: see 'kubectl --help' for the commands it has\n" });
  assert.deepEqual(await run('kubectl', 'nonsense'), { code: 1, err: 'error: unknown command "nonsense" for "kubectl"\n' });
  assert.deepEqual(await run('docker', 'run --platform linux/arm64 busybox'), { code: 125, err: "docker: --platform is not available in podplay yet: leave it out, or see 'docker run --help' for the flags it has\n" });
  assert.deepEqual(await run('docker', 'run --no-such-flag busybox'), { code: 125, err: "unknown flag: --no-such-flag\nSee 'docker run --help'.\n" });
  assert.deepEqual(await run('docker', 'container stats'), { code: 125, err: "docker: 'docker container stats' is not available in podplay yet.\nSee 'docker container --help' for the commands it has\n" });
  assert.deepEqual(await run('docker', 'nonsense'), { code: 1, err: "docker: 'nonsense' is not a docker command.\nSee 'docker --help'\n" });
  // Every real flag of every command podplay has: taken, or answered as not available, never `unknown flag`.
  for (const [tool, root] of trees) {
    const real = REAL_COMMANDS[tool];
    for (const { path, command } of commands(root, tool)) {
      const key = path.split(' ').slice(1).join(' ');
      if (path === tool || !real.commands[key] || command.subcommands?.length) continue;
      for (const r of real.commands[key]!.flags) {
        if (r[0] === 'help' || allOf(root, path).some((f) => f.name === r[0])) continue;
        const { err } = await run(tool, `${key} --${r[0]}${r[2] === 'bool' ? '' : '=1'}`);
        assert.match(err, /is not available in podplay yet/, `${path} --${r[0]}`);
      }
    }
  }
});
