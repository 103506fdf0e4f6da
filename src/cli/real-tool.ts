/**
 * What the real kubectl and docker have that podplay's command trees may
 * not: their commands and flags (./real-commands.ts, generated from their
 * cobra trees, loaded only when needed). A flag or command the real tool has
 * but podplay lacks is answered with podplay's words (it is not available
 * here, leave it out); one the real tool lacks too keeps the tool's own
 * error. `--help` shows the real usage line of each flag podplay has.
 */

/** [name, shorthand, type, default, usage, 1 when hidden or deprecated]. */
export type RealFlag = [name: string, shorthand: string, type: string, defaultValue: string, usage: string, hidden?: 1];

export interface RealCommands {
  /** The module version the table was made from (`v0.35.10`, `v29.10.0`). */
  version: string;
  global: RealFlag[];
  /** By path without the tool's name: `get`, `rollout status`, `container ls`. */
  commands: Record<string, { use: string; aliases?: string[]; flags: RealFlag[] }>;
}

export type Tool = 'kubectl' | 'docker';

/** The real tool's table (a separate chunk in the page: read on a miss or for help). */
export async function realCommands(tool: Tool): Promise<RealCommands> {
  return (await import('./real-commands.ts')).REAL_COMMANDS[tool];
}

/** `kubectl rollout status` → `rollout status`. */
export const commandKey = (path: string) => path.split(' ').slice(1).join(' ');

/** The real flag `word` (`chunk-size`, or a shorthand letter with `short`) names on the command at `path` (its own, its parents', the global ones). */
export function realFlag(real: RealCommands, path: string, word: string, short = false): RealFlag | undefined {
  const parts = commandKey(path).split(' ').filter(Boolean);
  const sets: RealFlag[][] = [real.global];
  for (let i = 1; i <= parts.length; i++) {
    const c = real.commands[parts.slice(0, i).join(' ')];
    if (c) sets.push(c.flags);
  }
  for (const set of sets.reverse()) {
    const f = set.find((x) => (short ? x[1] === word : x[0] === word));
    if (f) return f;
  }
  return undefined;
}

/** Whether the real tool has the command `path` (`kubectl patch`, `docker container stats`), by name or alias. */
export function realCommand(real: RealCommands, path: string): boolean {
  const key = commandKey(path);
  if (real.commands[key]) return true;
  const parts = key.split(' ');
  const parent = parts.slice(0, -1).join(' ');
  return Object.entries(real.commands).some(([k, c]) => k.split(' ').slice(0, -1).join(' ') === parent && c.aliases?.includes(parts.at(-1)!));
}

/** The flag a pflag error is about: `unknown flag: --chunk-size`, `unknown shorthand flag: 'k' in -k`. */
export function unknownFlagOf(message: string): { word: string; short: boolean } | undefined {
  const long = /^unknown flag: --([^=\s]+)/.exec(message);
  if (long) return { word: long[1]!, short: false };
  const short = /^unknown shorthand flag: '(.)'/.exec(message);
  return short ? { word: short[1]!, short: true } : undefined;
}
