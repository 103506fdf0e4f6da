/**
 * kubectl wait: until each object has a condition (`--for=condition=Ready`,
 * `=false`), is deleted (`--for=delete`), or a JSONPath has a value
 * (`--for=jsonpath='{.status.phase}'=Running`), up to `--timeout`
 * (default 30s) or Ctrl-C: `pod/web condition met`, and kubectl's
 * `error: timed out waiting for the condition on pods/web`.
 */
import { qualifiedResource, type KubeObject } from '../../api/index.ts';
import { parseGoDuration } from '../duration.ts';
import { UsageError } from '../flags.ts';
import { executeJsonPath } from '../jsonpath.ts';
import type { Command, Invocation } from '../program.ts';
import { ALL_NAMESPACES_FLAG, FILENAME_FLAG, SELECTOR_FLAG, namespaceOf, objectsFromFiles } from './common.ts';
import { resourceName } from './output.ts';
import { parseResourceArgs, resourceType } from './resources.ts';

type Check = { kind: 'delete' } | { kind: 'condition'; type: string; status: string } | { kind: 'jsonpath'; path: string; value?: string };

function parseFor(text: string): Check {
  if (text === 'delete') return { kind: 'delete' };
  if (text.startsWith('condition=')) {
    const [type, status = 'true'] = text.slice('condition='.length).split('=');
    if (!type) throw new UsageError(`unrecognized condition: "${text}"`);
    return { kind: 'condition', type: type.toLowerCase(), status: status.toLowerCase() };
  }
  if (text.startsWith('jsonpath=')) {
    const body = text.slice('jsonpath='.length);
    const close = body.lastIndexOf('}');
    if (!body.startsWith('{') || close < 0) throw new UsageError(`unrecognized condition: "${text}"`);
    const rest = body.slice(close + 1);
    return { kind: 'jsonpath', path: body.slice(0, close + 1), value: rest.startsWith('=') ? rest.slice(1) : undefined };
  }
  throw new UsageError(`unrecognized condition: "${text}"`);
}

function met(check: Check, o: KubeObject | undefined, uid: string | undefined): boolean {
  if (check.kind === 'delete') return !o || o.metadata.uid !== uid;
  if (!o) return false;
  if (check.kind === 'condition') {
    const conditions = ((o.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []);
    return conditions.some((c) => c.type.toLowerCase() === check.type && c.status.toLowerCase() === check.status);
  }
  let found: string;
  try {
    found = executeJsonPath(check.path, o, { allowMissingKeys: false });
  } catch {
    return false;
  }
  return check.value === undefined ? found !== '' : found === check.value;
}

async function run(inv: Invocation): Promise<number> {
  const forText = inv.flags.for as string;
  if (!forText) throw new UsageError('--for must be set');
  const check = parseFor(forText);
  const timeoutText = inv.flags.timeout as string;
  const negative = timeoutText.startsWith('-');
  const parsed = parseGoDuration(negative ? timeoutText.slice(1) : timeoutText);
  if (parsed === undefined) throw new UsageError(`invalid argument "${timeoutText}" for "--timeout" flag: time: invalid duration "${timeoutText}"`);
  // Negative: a week, as kubectl takes it.
  const timeout = negative ? 7 * 24 * 3600_000 : parsed;
  const api = inv.env.cluster.api;
  const all = inv.flags['all-namespaces'] as boolean;
  const fromFiles = await objectsFromFiles(inv);
  const targets: KubeObject[] = [];
  const selections = fromFiles.length ? fromFiles.map((o) => ({ info: resourceType(o.kind), names: [o.metadata.name!] })) : parseResourceArgs(inv.args, false);
  if (!selections.length) throw new UsageError('resource(s) were provided, but no name was specified');
  for (const { info, names } of selections) {
    const ns = info.namespaced ? namespaceOf(inv) : undefined;
    // Waiting for a deletion, an object already gone is done.
    if (names.length) for (const name of names) targets.push(check.kind === 'delete' ? (api.tryGet(info.kind, ns, name) ?? { apiVersion: '', kind: info.kind, metadata: { name, namespace: ns } }) : api.get(info.kind, ns, name));
    else if (inv.flags.selector || inv.flags.all) targets.push(...api.list(info.kind, { namespace: all ? undefined : ns, labelSelector: (inv.flags.selector as string) || undefined }).items);
    else throw new UsageError('resource(s) were provided, but no name was specified');
  }
  if (!targets.length) {
    if (check.kind === 'delete') return 0;
    inv.io.err(`error: no matching resources found\n`);
    return 1;
  }
  const current = (o: KubeObject) => api.tryGet(o.kind, o.metadata.namespace, o.metadata.name!);
  const deadline = Date.now() + timeout;
  let code = 0;
  for (const target of targets) {
    const ok = await until(inv, target.kind, () => met(check, current(target), target.metadata.uid), deadline);
    if (ok) inv.io.out(`${resourceName(target)} condition met\n`);
    else {
      if (inv.io.signal.aborted) return 130;
      inv.io.err(`error: timed out waiting for the condition on ${qualifiedResource(resourceType(target.kind))}/${target.metadata.name}\n`);
      code = 1;
    }
  }
  return code;
}

/** Resolves true once `test` holds, false at the deadline or on Ctrl-C. */
function until(inv: Invocation, kind: string, test: () => boolean, deadline: number): Promise<boolean> {
  if (test()) return Promise.resolve(true);
  if (inv.io.signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const api = inv.env.cluster.api;
    const w = api.watch(kind, { resourceVersion: api.resourceVersion }, () => test() && finish(true));
    // setTimeout holds at most 2^31-1 ms (24.8 days); a longer wait is cut there.
    const timer = setTimeout(() => finish(test()), Math.min(2 ** 31 - 1, Math.max(0, deadline - Date.now())));
    const abort = () => finish(false);
    const finish = (ok: boolean) => {
      w.dispose();
      clearTimeout(timer);
      inv.io.signal.removeEventListener('abort', abort);
      resolve(ok);
    };
    inv.io.signal.addEventListener('abort', abort, { once: true });
  });
}

export const waitCommand: Command = {
  name: 'wait',
  group: 'Advanced Commands:',
  short: 'Experimental: Wait for a specific condition on one or many resources',
  use: "wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=delete|--for condition=available|--for=jsonpath='{}'[=value]]",
  examples: `  # Wait for the pod "busybox1" to contain the status condition of type "Ready"
  kubectl wait --for=condition=Ready pod/busybox1

  # Wait for the pod "busybox1" to contain the status phase to be "Running"
  kubectl wait --for=jsonpath='{.status.phase}'=Running pod/busybox1

  # Wait for pod "busybox1" to be deleted, with a timeout of 60s, after having issued the "delete" command
  kubectl delete pod/busybox1
  kubectl wait --for=delete pod/busybox1 --timeout=60s`,
  flags: [
    { name: 'all', type: 'bool', help: 'Select all resources in the namespace of the specified resource types' },
    ALL_NAMESPACES_FLAG,
    FILENAME_FLAG,
    { name: 'for', type: 'string', help: "The condition to wait on: [delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true.", values: ['delete', 'condition=Ready', 'condition=Available', 'condition=Complete', 'jsonpath='] },
    SELECTOR_FLAG,
    { name: 'timeout', type: 'string', default: '30s', help: 'The length of time to wait before giving up.  Zero means check once and don\'t wait, negative means wait for a week.' },
  ],
  run,
};
