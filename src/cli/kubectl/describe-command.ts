/**
 * kubectl describe: `TYPE NAME` (or a name prefix: every object it begins),
 * `TYPE` (all of them), `TYPE/NAME`, `-l`, `-f`, each object as kubectl's
 * describers print it, with its Events. The describers (./describe/) are
 * loaded when the command first runs; its flags and help are here.
 */
import { isApiError, type KubeObject } from '../../api/index.ts';
import type { Command, Invocation } from '../program.ts';
import { ALL_NAMESPACES_FLAG, FILENAME_FLAG, SELECTOR_FLAG, namespaceOf, now, objectsFromFiles, requireResource } from './common.ts';
import { parseResourceArgs, resourceType, resourceWords } from './resources.ts';
import { kubectlMessage } from './style.ts';
import { apiErrors, qualifiedResource } from '../../api/index.ts';

async function run(inv: Invocation): Promise<number> {
  const api = inv.env.cluster.api;
  const all = inv.flags['all-namespaces'] as boolean;
  const ns = namespaceOf(inv);
  const fromFiles = await objectsFromFiles(inv);
  if (!inv.args.length && !fromFiles.length) requireResource();
  const objects: KubeObject[] = [];
  let code = 0;
  const selections = fromFiles.length ? fromFiles.map((o) => ({ info: resourceType(o.kind), names: [o.metadata.name!] })) : parseResourceArgs(inv.args);
  for (const { info, names } of selections) {
    const list = () => api.list(info.kind, { namespace: info.namespaced && !all ? ns : undefined, labelSelector: (inv.flags.selector as string) || undefined }).items;
    if (!names.length) {
      objects.push(...list());
      continue;
    }
    for (const name of names) {
      const exact = api.tryGet(info.kind, info.namespaced ? ns : undefined, name);
      const matches = exact ? [exact] : list().filter((o) => o.metadata.name!.startsWith(name));
      if (matches.length) objects.push(...matches);
      else {
        inv.io.err(kubectlMessage(apiErrors.notFound(qualifiedResource(info), name)) + '\n');
        code = 1;
      }
    }
  }
  if (!objects.length && !code) {
    inv.io.err(all || selections.every((s) => !s.info.namespaced) ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`);
    return 0;
  }
  const { describe } = await import('./describe/index.ts');
  objects.forEach((o, i) => {
    try {
      inv.io.out((i ? '\n\n' : '') + describe(api, o, now(inv), inv.flags['show-events'] as boolean));
    } catch (err) {
      if (!isApiError(err)) throw err;
      inv.io.err(kubectlMessage(err) + '\n');
      code = 1;
    }
  });
  return code;
}

export const describeCommand: Command = {
  name: 'describe',
  group: 'Troubleshooting and Debugging Commands:',
  short: 'Show details of a specific resource or group of resources',
  use: 'describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)',
  long: 'Show details of a specific resource or group of resources.\n\n Print a detailed description of the selected resources, including related resources such as events or controllers. You may select a single object by name, all objects of that type, provide a name prefix, or label selector.',
  examples: `  # Describe a node
  kubectl describe nodes kubernetes-node-emt8.c.myproject.internal

  # Describe a pod
  kubectl describe pods/nginx

  # Describe pods by label name=myLabel
  kubectl describe pods -l name=myLabel

  # Describe all pods
  kubectl describe pods`,
  flags: [ALL_NAMESPACES_FLAG, FILENAME_FLAG, SELECTOR_FLAG, { name: 'show-events', type: 'bool', default: true, help: 'If true, display events related to the described object.' }],
  run,
  complete: (env, args) => (args.length === 0 ? resourceWords() : []),
};
