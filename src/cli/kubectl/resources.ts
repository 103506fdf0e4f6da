/**
 * What kubectl accepts as resources on its command line: `pods`, `pods web
 * db`, `pod/web deploy/api`, `pods,deployments`, `all`, each resolved to a
 * kind podplay serves, with kubectl's errors for the rest.
 */
import { KINDS, resolveResource, type KindInfo } from '../../api/index.ts';
import { CommandError } from '../io.ts';
import { UsageError } from '../flags.ts';

export interface ResourceSelection {
  info: KindInfo;
  /** Names asked for; empty: every object (of the namespace, the selector). */
  names: string[];
}

/** `kubectl get all`: what it lists (of the kinds podplay serves). */
export const ALL_KINDS = ['Pod', 'Service', 'DaemonSet', 'Deployment', 'ReplicaSet', 'Job'];

export function resourceType(word: string): KindInfo {
  const info = resolveResource(word);
  if (!info) throw new CommandError(`error: the server doesn't have a resource type "${word}"`);
  return info;
}

/** Resolves the resource words of a command line. `allowAll` lets `all` stand for {@link ALL_KINDS}. */
export function parseResourceArgs(args: readonly string[], allowAll = true): ResourceSelection[] {
  if (args.length === 0) return [];
  if (args.some((a) => a.includes('/'))) {
    if (!args.every((a) => a.includes('/'))) {
      throw new UsageError(
        `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`,
      );
    }
    const out: ResourceSelection[] = [];
    for (const a of args) {
      const [type, name] = [a.slice(0, a.indexOf('/')), a.slice(a.indexOf('/') + 1)];
      if (!name) throw new CommandError(`error: arguments in resource/name form must have a single resource and name`);
      const info = resourceType(type);
      const same = out.find((s) => s.info === info);
      if (same) same.names.push(name);
      else out.push({ info, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args;
  const kinds: KindInfo[] = [];
  for (const t of types!.split(',')) {
    if (t === 'all' && allowAll) kinds.push(...ALL_KINDS.map((k) => KINDS.find((i) => i.kind === k)!));
    else kinds.push(resourceType(t));
  }
  return kinds.map((info) => ({ info, names: [...names] }));
}

/** Completion: every resource word kubectl knows for the kinds podplay serves. */
export function resourceWords(): string[] {
  return KINDS.flatMap((k) => [k.resource, k.singular, ...k.shortNames]).sort();
}
