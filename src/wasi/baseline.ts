import { loadSdk } from './sdk.ts';

/**
 * The baseline podplay's runtime is measured against: the same wasm bytes run
 * straight through @wasmer/sdk (a fresh sandbox per run, no podplay
 * filesystem, no image, no usage probe; the files it reads are package
 * files in the SDK's memory). Used by the bench only.
 */
export async function createBaselineRunner(wasm: Uint8Array, files: Record<string, Uint8Array> = {}) {
  const sdk = await loadSdk({ usageProbe: false });
  const wasmer = new sdk.Wasmer({ cache: false });
  await wasmer.ready();
  // The image's files the program reads, as the SDK's own in-memory package files.
  const pkg = await wasmer.packages.create({ modules: { main: wasm }, commands: { hello: { module: 'main' } }, files });
  return {
    async run(args: string[], env: Record<string, string>): Promise<{ exitCode: number; stdout: string }> {
      const sb = await wasmer.sandboxes.create({ packages: [pkg], network: { mode: 'disabled' } });
      try {
        const out = await sb.command(pkg.command('hello'), args, { cwd: '/', env: { ...env, PWD: '/' } }).run({ check: false });
        return { exitCode: out.exitCode, stdout: out.stdout.text() };
      } finally {
        await sb.close();
      }
    },
    close: () => wasmer.close(),
  };
}

/**
 * The baseline for programs that run other programs (Go's compile, then
 * link): `modules` (command name → wasm) straight through @wasmer/sdk, in
 * one SDK sandbox whose in-memory filesystem starts with `files` and keeps
 * what each command writes for the next. Used by the bench only.
 */
export async function createBaselineSandbox(modules: Record<string, Uint8Array>, files: Record<string, Uint8Array> = {}) {
  const sdk = await loadSdk({ usageProbe: false });
  const wasmer = new sdk.Wasmer({ cache: false });
  await wasmer.ready();
  const commands = Object.fromEntries(Object.keys(modules).map((name) => [name, { module: name }]));
  const pkg = await wasmer.packages.create({ modules, commands });
  const sb = await wasmer.sandboxes.create({ packages: [pkg], files, network: { mode: 'disabled' } });
  return {
    async run(command: string, args: string[], cwd = '/'): Promise<{ exitCode: number; stderr: string }> {
      const out = await sb.command(pkg.command(command), args, { cwd, env: { PWD: cwd } }).run({ check: false });
      return { exitCode: out.exitCode, stderr: out.stderr.text() };
    },
    async close(): Promise<void> {
      await sb.close();
      await wasmer.close();
    },
  };
}
