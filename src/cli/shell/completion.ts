/**
 * Tab completion for the shell: commands, subcommands, flags (and their
 * values: output formats, namespaces, files), resource types and the names
 * of objects in the cluster, docker's images and containers, podplay's pods
 * and nodes, and files.
 */
import { resolveResource } from '../../api/index.ts';
import { SHELL_COMMANDS } from '../commands.ts';
import { docker } from '../docker/index.ts';
import type { FlagSpec } from '../flags.ts';
import type { CliEnv } from '../io.ts';
import { kubectl, resourceWords } from '../kubectl/index.ts';
import { podplay } from '../podplay/index.ts';
import { allFlags, resolveCommand, type Command } from '../program.ts';
import { splitWords } from '../words.ts';
import type { Completion } from './line-editor.ts';

/** Commands whose first argument is a pod (or TYPE/NAME). */
const POD_COMMANDS = new Set(['logs', 'exec', 'attach']);
/** Commands whose arguments are nodes. */
const NODE_COMMANDS = new Set(['cordon', 'uncordon', 'drain', 'taint', 'node']);
/** Commands whose first argument is a resource type. */
const TYPE_COMMANDS = new Set(['get', 'describe', 'delete', 'label', 'annotate', 'scale', 'explain', 'image', 'status', 'history', 'undo', 'restart', 'pause', 'resume']);

function names(env: CliEnv, kind: string, namespace: string): string[] {
  try {
    return env.cluster.api.list(kind, { namespace }).items.map((o) => o.metadata.name!);
  } catch {
    return [];
  }
}

async function fileWords(env: CliEnv, word: string): Promise<string[]> {
  const slash = word.lastIndexOf('/');
  const dir = slash < 0 ? '.' : word.slice(0, slash + 1);
  try {
    const listed = await env.files.list(dir);
    return listed.map((n) => (slash < 0 ? n : dir + n));
  } catch {
    return [];
  }
}

function flagWords(specs: FlagSpec[]): string[] {
  return specs.flatMap((s) => [s.type === 'bool' ? `--${s.name}` : `--${s.name}=`]);
}

async function flagValues(env: CliEnv, spec: FlagSpec, word: string, namespace: string): Promise<string[]> {
  if (spec.name === 'namespace') return names(env, 'Namespace', namespace);
  if (spec.name === 'filename') return fileWords(env, word);
  if (spec.name === 'image') return clusterImages(env);
  return [...(spec.values ?? [])];
}

/** The sample images, and every image a node holds (read from the Nodes: completing a kubectl flag starts no docker worker). */
function clusterImages(env: CliEnv): string[] {
  const samples = ['podplay/hello', 'podplay/ticker', 'podplay/toolbox', 'podplay/crash', 'podplay/primes', 'podplay/memhog', 'podplay/kv'];
  const held = env.cluster.api.list('Node').items.flatMap((n) => ((n.status as { images?: Array<{ names: string[] }> } | undefined)?.images ?? []).flatMap((i) => i.names));
  return [...new Set([...samples, ...held.filter((n) => !n.includes('@')).map((n) => n.replace(/^docker\.io\//, '').replace(/:latest$/, ''))])];
}

async function dockerImages(env: CliEnv): Promise<string[]> {
  try {
    return (await (await env.sandbox()).images()).map((i) => i.ref.replace(/:latest$/, ''));
  } catch {
    return [];
  }
}

/** Candidates for the word before the cursor in `before`. */
export async function complete(before: string, env: CliEnv): Promise<Completion> {
  const split = splitWords(before);
  const endsInBlank = split.lastWordStart === before.length;
  const words = split.words;
  const current = endsInBlank ? '' : (words.at(-1) ?? '');
  const prior = endsInBlank ? words : words.slice(0, -1);
  const start = endsInBlank ? before.length : split.lastWordStart;
  const result = (candidates: string[]) => ({ candidates, start });
  if (!prior.length) return result(SHELL_COMMANDS.concat('k'));
  const [program, ...rest] = prior;
  if (program === 'cat' || program === 'ls') return result(await fileWords(env, current));
  const root: Command | undefined = program === 'kubectl' || program === 'k' ? kubectl : program === 'docker' ? docker : program === 'podplay' ? podplay : undefined;
  if (!root) return result([]);
  const { command, path, rest: args } = resolveCommand(root, rest);
  const specs = allFlags(path);
  const namespaceAt = args.findIndex((a) => a === '-n' || a === '--namespace');
  const namespace = namespaceAt >= 0 ? (args[namespaceAt + 1] ?? 'default') : (args.find((a) => a.startsWith('--namespace='))?.slice(12) ?? 'default');
  // --flag=value
  if (current.startsWith('--') && current.includes('=')) {
    const name = current.slice(2, current.indexOf('='));
    const spec = specs.find((s) => s.name === name);
    const values = spec ? await flagValues(env, spec, current.slice(current.indexOf('=') + 1), namespace) : [];
    return result(values.map((v) => `--${name}=${v}`));
  }
  if (current.startsWith('-')) return result(flagWords(specs));
  // the value of a flag given as a separate word
  const last = prior.at(-1)!;
  const valueOf = specs.find((s) => s.type !== 'bool' && (last === `--${s.name}` || last === `-${s.short}`));
  if (valueOf) return result(await flagValues(env, valueOf, current, namespace));
  const positional = args.filter((a, i) => !a.startsWith('-') && !(i > 0 && specs.some((s) => s.type !== 'bool' && (args[i - 1] === `--${s.name}` || args[i - 1] === `-${s.short}`))));
  const subcommands = (command.subcommands ?? []).map((c) => c.name);
  if (root === docker) return result([...subcommands, ...(command.run ? await dockerArgs(env, command.name) : [])]);
  if (subcommands.length && !command.run) return result(subcommands);
  if (root === podplay) return result(podplayArgs(env, command.name, positional, current, namespace));
  // TYPE/NAME: the names of that type.
  if (current.includes('/') && command.name !== 'explain') {
    const info = resolveResource(current.slice(0, current.indexOf('/')));
    return result(info ? names(env, info.kind, namespace).map((n) => `${current.slice(0, current.indexOf('/') + 1)}${n}`) : []);
  }
  const own = command.complete?.(env, positional, {}) ?? [];
  if (own.length) return result([...subcommands, ...own]);
  if (POD_COMMANDS.has(command.name)) return result(positional.length ? [] : names(env, 'Pod', namespace));
  if (NODE_COMMANDS.has(command.name)) return result(names(env, 'Node', namespace));
  if (TYPE_COMMANDS.has(command.name) || subcommands.length) {
    if (!positional.length) return result([...subcommands, ...resourceWords(), ...(command.name === 'get' ? ['all'] : [])]);
    const info = resolveResource(positional[0]!.split(',')[0]!);
    return result(info ? names(env, info.kind, namespace) : []);
  }
  return result(subcommands);
}

/** docker's arguments: stored images for the commands that take one. */
async function dockerArgs(env: CliEnv, command: string): Promise<string[]> {
  return ['run', 'rmi', 'history', 'save', 'pull', 'create'].includes(command) ? dockerImages(env) : [];
}

/** podplay's arguments, as kubectl completes a type and its names: `explain pod NAME`, `stop node NAME`, and TYPE/NAME. */
function podplayArgs(env: CliEnv, command: string, positional: string[], current: string, namespace: string): string[] {
  const kind = command === 'explain' ? 'Pod' : command === 'stop' ? 'Node' : undefined;
  if (!kind) return [];
  const slash = current.indexOf('/');
  if (slash >= 0) return resolveResource(current.slice(0, slash))?.kind === kind ? names(env, kind, namespace).map((n) => current.slice(0, slash + 1) + n) : [];
  if (!positional.length) return [kind.toLowerCase()];
  return positional[0]!.includes('/') ? [] : names(env, kind, namespace).filter((n) => !positional.includes(n));
}
