/**
 * kubectl delete: by name, `-f`, `-l`, `--all`; `--grace-period`,
 * `--force`, `--cascade`; and, as kubectl does by default, it waits until
 * what it deleted is gone (Ctrl-C stops the waiting, not the deletion).
 */
import { isApiError, kubectlKind, type KubeObject } from '../../api/index.ts';
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { ALL_NAMESPACES_FLAG, DRY_RUN, FILENAME_FLAG, SELECTOR_FLAG, dryRunOf, dryRunSuffix, namespaceOf, objectsFromFiles, requireResource } from './common.ts';
import { parseResourceArgs, resourceType, type ResourceSelection } from './resources.ts';
import { kubectlMessage } from './style.ts';

const FORCE_WARNING = 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n';

function targets(inv: Invocation, selections: ResourceSelection[]): KubeObject[] | 'none' {
  const api = inv.env.cluster.api;
  const all = inv.flags['all-namespaces'] as boolean;
  const selector = inv.flags.selector as string;
  const fieldSelector = inv.flags['field-selector'] as string;
  const out: KubeObject[] = [];
  for (const { info, names } of selections) {
    if (names.length) {
      for (const name of names) out.push({ apiVersion: '', kind: info.kind, metadata: { name, namespace: info.namespaced ? namespaceOf(inv) : undefined } });
      continue;
    }
    if (!selector && !fieldSelector && !inv.flags.all) return 'none';
    out.push(...api.list(info.kind, { namespace: info.namespaced && !all ? namespaceOf(inv) : undefined, labelSelector: selector || undefined, fieldSelector: fieldSelector || undefined }).items);
  }
  return out;
}

async function run(inv: Invocation): Promise<number> {
  const api = inv.env.cluster.api;
  const fromFiles = await objectsFromFiles(inv);
  if (!inv.args.length && !fromFiles.length) requireResource();
  let grace = inv.flags['grace-period'] as number;
  const force = inv.flags.force as boolean;
  if (inv.flags.now) {
    if (grace !== -1) throw new CommandError('error: --now and --grace-period cannot be specified together');
    grace = 1;
  }
  if (force && grace > 0) throw new CommandError('error: --force and --grace-period greater than 0 cannot be specified together');
  if (force && grace < 0) grace = 0;
  if (grace === 0 && !force) grace = 1;
  // kubectl's GetCascadingStrategy: true means background, false (deprecated) orphan.
  const cascade = inv.flags.cascade as string;
  const policy = ({ orphan: 'Orphan', false: 'Orphan', foreground: 'Foreground', background: 'Background', true: 'Background' } as Record<string, 'Orphan' | 'Foreground' | 'Background'>)[cascade];
  if (!policy) throw new CommandError(`error: invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan"`);
  if (cascade === 'false' || cascade === 'true') inv.io.err(`warning: --cascade=${cascade} is deprecated (boolean value) and can be replaced with --cascade=${cascade === 'true' ? 'background' : 'orphan'}.\n`);
  const selections = fromFiles.length ? fromFiles.map((o) => ({ info: resourceType(o.kind), names: [o.metadata.name!] })) : parseResourceArgs(inv.args);
  const found = targets(inv, selections);
  if (found === 'none') {
    inv.io.err(`error: resource(s) were provided, but no name was specified\n`);
    return 1;
  }
  if (!found.length) {
    inv.io.out('No resources found\n');
    return 0;
  }
  const dryRun = dryRunOf(inv);
  if (grace === 0) inv.io.err(FORCE_WARNING);
  let code = 0;
  const deleted: KubeObject[] = [];
  for (const o of found) {
    const info = resourceType(o.kind);
    const ns = fromFiles.length && info.namespaced ? (o.metadata.namespace ?? namespaceOf(inv)) : o.metadata.namespace;
    try {
      const gone = api.delete(o.kind, ns, o.metadata.name!, { gracePeriodSeconds: grace >= 0 ? grace : undefined, propagationPolicy: policy === 'Background' ? undefined : policy, dryRun: dryRun !== 'none' });
      if (dryRun === 'none') deleted.push(gone);
      inv.io.out(`${kubectlKind(info)} "${o.metadata.name}" ${grace === 0 ? 'force deleted' : 'deleted'}${info.namespaced ? ` from ${ns} namespace` : ''}${dryRunSuffix(dryRun)}\n`);
    } catch (err) {
      if (isApiError(err, 'NotFound') && inv.flags['ignore-not-found']) continue;
      inv.io.err(kubectlMessage(err) + '\n');
      code = 1;
    }
  }
  if (inv.flags.wait && grace !== 0) await waitUntilGone(inv, deleted);
  return code;
}

/** Resolves when every object is gone from the API (or Ctrl-C). */
async function waitUntilGone(inv: Invocation, objects: KubeObject[]): Promise<void> {
  const api = inv.env.cluster.api;
  const present = () => objects.filter((o) => api.tryGet(o.kind, o.metadata.namespace, o.metadata.name!)?.metadata.uid === o.metadata.uid);
  if (!present().length) return;
  await new Promise<void>((resolve) => {
    const watches = [...new Set(objects.map((o) => o.kind))].map((kind) =>
      api.watch(kind, { resourceVersion: api.resourceVersion }, () => {
        if (!present().length) done();
      }),
    );
    const done = () => {
      for (const w of watches) w.dispose();
      inv.io.signal.removeEventListener('abort', done);
      resolve();
    };
    inv.io.signal.addEventListener('abort', done, { once: true });
    if (!present().length || inv.io.signal.aborted) done();
  });
}

export const deleteCommand: Command = {
  name: 'delete',
  group: 'Basic Commands (Intermediate):',
  short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
  use: 'delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]',
  examples: `  # Delete a pod using the type and name specified in pod.json
  kubectl delete -f ./pod.json

  # Delete pods and services with same names "baz" and "foo"
  kubectl delete pod,service baz foo

  # Delete pods and services with label name=myLabel
  kubectl delete pods,services -l name=myLabel

  # Delete a pod with minimal delay
  kubectl delete pod foo --now

  # Force delete a pod on a dead node
  kubectl delete pod foo --force

  # Delete all pods
  kubectl delete pods --all`,
  flags: [
    { name: 'all', type: 'bool', help: 'Delete all resources, in the namespace of the specified resource types.' },
    ALL_NAMESPACES_FLAG,
    DRY_RUN,
    { name: 'cascade', type: 'string', default: 'background', help: 'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.', values: ['background', 'orphan', 'foreground'] },
    { name: 'field-selector', type: 'string', help: "Selector (field query) to filter on, supports '=', '==', and '!='." },
    FILENAME_FLAG,
    { name: 'force', type: 'bool', help: 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.' },
    { name: 'grace-period', type: 'int', default: -1, help: 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).' },
    { name: 'ignore-not-found', type: 'bool', help: 'Treat "resource not found" as a successful delete. Defaults to "true" when --all is specified.' },
    { name: 'now', type: 'bool', help: 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).' },
    SELECTOR_FLAG,
    { name: 'wait', type: 'bool', default: true, help: 'If true, wait for resources to be gone before returning. This waits for finalizers.' },
  ],
  run,
};
