/** Pieces every kubectl command shares: the namespace, the clock, reading -f files. */
import { parseManifests, type KubeObject } from '../../api/index.ts';
import { UsageError, type FlagSpec } from '../flags.ts';
import { CommandError, readAll } from '../io.ts';
import type { Invocation } from '../program.ts';

/** The namespace a command acts in: -n, else `default`. */
export function namespaceOf(inv: Invocation): string {
  return (inv.flags.namespace as string) || 'default';
}

export const now = (inv: Invocation) => inv.env.cluster.clock.now();

export const FILENAME_FLAG: FlagSpec = { name: 'filename', short: 'f', type: 'stringSlice', help: 'Filename, directory, or URL to files identifying the resource.' };
export const SELECTOR_FLAG: FlagSpec = { name: 'selector', short: 'l', type: 'string', help: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints." };
export const ALL_NAMESPACES_FLAG: FlagSpec = { name: 'all-namespaces', short: 'A', type: 'bool', help: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.' };
export const DRY_RUN: FlagSpec = {
  name: 'dry-run',
  type: 'string',
  help: 'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
  default: 'none',
  values: ['none', 'client', 'server'],
};

/** --dry-run as kubectl reads it (cmdutil.GetDryRunStrategy): none, client or server; the deprecated true/false too. */
export function dryRunOf(inv: Invocation): 'none' | 'client' | 'server' {
  const v = (inv.flags['dry-run'] as string | undefined) ?? 'none';
  if (v === 'none' || v === '' || v === 'false') return 'none';
  if (v === 'client' || v === 'true') return 'client';
  if (v === 'server') return 'server';
  throw new UsageError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

/** What kubectl adds to an operation's line under --dry-run: ` (dry run)`, ` (server dry run)`. */
export const dryRunSuffix = (mode: 'none' | 'client' | 'server') => (mode === 'server' ? ' (server dry run)' : mode === 'client' ? ' (dry run)' : '');

export const OUTPUT_FLAG: FlagSpec = {
  name: 'output',
  short: 'o',
  type: 'string',
  help: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-file, custom-columns, custom-columns-file, wide).',
  values: ['json', 'yaml', 'name', 'wide', 'jsonpath=', 'custom-columns=', 'go-template='],
};

/** The text of each -f argument: a file, a directory's .yaml/.yml/.json files, a URL, or `-` (stdin). */
export async function readSources(inv: Invocation, names: readonly string[]): Promise<Array<{ source: string; text: string }>> {
  const out: Array<{ source: string; text: string }> = [];
  for (const name of names) {
    if (name === '-') {
      out.push({ source: 'STDIN', text: await readAll(inv.io.stdin) });
    } else if (/^https?:\/\//.test(name)) {
      let res: Response;
      try {
        res = await inv.env.fetch(name);
      } catch (err) {
        throw new CommandError(`error: unable to read URL "${name}", server reported ${(err as Error).message}`);
      }
      if (!res.ok) throw new CommandError(`error: unable to read URL "${name}", server reported ${res.status} ${res.statusText}, status code=${res.status}`);
      out.push({ source: name, text: await res.text() });
    } else {
      let listed: string[] | undefined;
      try {
        listed = await inv.env.files.list(name);
      } catch {
        listed = undefined;
      }
      if (listed) {
        for (const f of listed.filter((f) => /\.(ya?ml|json)$/.test(f)).sort()) {
          const path = `${name.replace(/\/$/, '')}/${f}`;
          out.push({ source: path, text: new TextDecoder().decode(await inv.env.files.read(path)) });
        }
        continue;
      }
      try {
        out.push({ source: name, text: new TextDecoder().decode(await inv.env.files.read(name)) });
      } catch {
        throw new CommandError(`error: the path "${name}" does not exist`);
      }
    }
  }
  return out;
}

/** The objects -f names (for get, describe, delete). */
export async function objectsFromFiles(inv: Invocation): Promise<KubeObject[]> {
  const names = inv.flags.filename as string[];
  if (!names.length) return [];
  const objects: KubeObject[] = [];
  for (const { source, text } of await readSources(inv, names)) objects.push(...parseManifests(text, source));
  return objects;
}

/** kubectl's usage error when a command was given neither resources nor -f. */
export function requireResource(): never {
  throw new UsageError(
    "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
  );
}
