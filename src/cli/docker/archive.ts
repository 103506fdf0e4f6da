/**
 * `docker save -o FILE IMAGE...` and `docker load -i FILE`: images to and
 * from a tar archive in the files the CLI can reach, with docker's words
 * (`Loaded image: podplay/primes:latest`).
 */
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { daemonError } from './engine.ts';
import { findImage, missingName } from './refs.ts';
import { checkArgs } from './style.ts';

export async function save(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1);
  const output = inv.flags.output as string;
  // Standard output carries text here, never a tar.
  if (!output) throw new CommandError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
  const sb = await inv.env.sandbox();
  const all = await sb.images();
  const refs: string[] = [];
  for (const arg of inv.args) {
    const image = await findImage(sb, arg, all);
    if (!image) throw daemonError(`No such image: ${missingName(arg)}`);
    refs.push(image.ref);
  }
  await inv.env.files.write(output, await sb.save(refs));
  return 0;
}

export async function load(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 0, 0);
  const input = inv.flags.input as string;
  // Standard input carries text here, never a tar.
  if (!input) throw new CommandError('requested load from stdin, but stdin is empty', 1);
  let bytes: Uint8Array;
  try {
    bytes = await inv.env.files.read(input);
  } catch {
    throw new CommandError(`open ${input}: no such file or directory`, 1);
  }
  const sb = await inv.env.sandbox();
  const loaded = await sb.load(bytes, input.split('/').pop() || input);
  for (const image of loaded) inv.io.out(`Loaded image: ${image.ref}\n`);
  return 0;
}
