/**
 * Writes src/cli/real-commands.ts from the real clients' command tables in
 * test/data (written by scripts/cli-flags, `npm run cli-flags` runs both):
 * for kubectl and docker, each command's usage line and flags (name,
 * shorthand, type, default, usage line, hidden), and the global flags.
 * podplay loads it when a flag or command is not its own (to tell one the
 * real tool has from one it does not) and for `--help` (the real usage
 * lines of the flags podplay has).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface TableFlag {
  name: string;
  shorthand?: string;
  type: string;
  default: string;
  usage: string;
  hidden?: boolean;
  deprecated?: string;
}
interface Table {
  tool: string;
  version: string;
  global: TableFlag[];
  commands: Array<{ path: string; use: string; short: string; aliases?: string[]; hidden?: boolean; flags: TableFlag[] }>;
}

const root = new URL('../', import.meta.url);

/** A flag as the module stores it: [name, shorthand, type, default, usage, hidden (1) or deprecated]. */
const tuple = (f: TableFlag) => [f.name, f.shorthand ?? '', f.type, f.default, f.usage, ...(f.hidden || f.deprecated ? [1] : [])];

export function compact(table: Table) {
  const commands: Record<string, { use: string; aliases?: string[]; flags: unknown[] }> = {};
  for (const c of table.commands) commands[c.path.split(' ').slice(1).join(' ')] = { use: c.use, ...(c.aliases?.length ? { aliases: c.aliases } : {}), flags: c.flags.map(tuple) };
  return { version: table.version, global: table.global.map(tuple), commands };
}

export function realCommandsModule(): string {
  const read = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`test/data/${name}-commands.json`, root)), 'utf8')) as Table;
  const data = { kubectl: compact(read('kubectl')), docker: compact(read('docker')) };
  return `/**
 * The real kubectl's and docker's command trees (test/data/*-commands.json,
 * from their cobra trees): written by scripts/real-commands.ts (npm run
 * cli-flags), not by hand. A flag is [name, shorthand, type, default, usage]
 * with a sixth element 1 when the tool hides it.
 */
import type { RealCommands } from './real-tool.ts';

export const REAL_COMMANDS: Record<'kubectl' | 'docker', RealCommands> = ${JSON.stringify(data)};
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(fileURLToPath(new URL('src/cli/real-commands.ts', root)), realCommandsModule());
  console.error('wrote src/cli/real-commands.ts');
}
