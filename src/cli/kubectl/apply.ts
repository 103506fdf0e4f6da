/**
 * kubectl apply -f and kubectl create -f: every document of every file (a
 * file, a directory, a URL, or `-` for standard input), in order; each
 * success is kubectl's line and each failure its error, and a failure does
 * not stop the documents after it.
 */
import { decodeObject, kindFor, parseManifests, withSource, type KubeObject } from '../../api/index.ts';
import { UsageError } from '../flags.ts';
import type { Command, Invocation } from '../program.ts';
import { DRY_RUN, FILENAME_FLAG, dryRunOf, dryRunSuffix, namespaceOf, readSources } from './common.ts';
import { resourceName } from './output.ts';
import { kubectlMessage } from './style.ts';

async function apply(inv: Invocation): Promise<number> {
  const files = inv.flags.filename as string[];
  if (!files.length) throw new UsageError('must specify one of -f and -k');
  if (inv.args.length) throw new UsageError(`Unexpected args: [${inv.args.join(' ')}]`);
  const dryRun = dryRunOf(inv);
  let code = 0;
  let objects = 0;
  for (const { source, text } of await readSources(inv, files)) {
    const r = inv.env.cluster.apply(text, source, namespaceOf(inv), { dryRun: dryRun !== 'none' });
    for (const line of r.lines) inv.io.out(line + dryRunSuffix(dryRun) + '\n');
    for (const e of r.errors) inv.io.err(e + '\n');
    if (r.errors.length) code = 1;
    objects += r.lines.length + r.errors.length;
  }
  // Said once, when no file held any object.
  if (!objects) {
    inv.io.err(`error: no objects passed to apply\n`);
    code = 1;
  }
  return code;
}

/** kubectl create -f: like apply, but an object that exists is an AlreadyExists error. */
export async function createFromFiles(inv: Invocation): Promise<number> {
  const api = inv.env.cluster.api;
  let code = 0;
  for (const { source, text } of await readSources(inv, inv.flags.filename as string[])) {
    let objects: KubeObject[];
    try {
      objects = parseManifests(text, source);
    } catch (err) {
      inv.io.err(kubectlMessage(err) + '\n');
      code = 1;
      continue;
    }
    for (const raw of objects) {
      try {
        const obj = decodeObject(raw, source);
        const info = kindFor(obj.apiVersion, obj.kind)!;
        const namespaced = info.namespaced ? { ...obj, metadata: { ...obj.metadata, namespace: obj.metadata.namespace ?? namespaceOf(inv) } } : obj;
        const created = api.create(namespaced);
        inv.io.out(`${resourceName(created)} created\n`);
      } catch (err) {
        inv.io.err(kubectlMessage(withSource(err, 'creating', source)) + '\n');
        code = 1;
      }
    }
  }
  return code;
}

export const applyCommand: Command = {
  name: 'apply',
  group: 'Advanced Commands:',
  short: 'Apply a configuration to a resource by file name or stdin',
  use: 'apply (-f FILENAME | -k DIRECTORY) [options]',
  long: "Apply a configuration to a resource by file name or stdin. The resource name must be specified. This resource will be created if it doesn't exist yet. To use 'apply', always create the resource initially with either 'apply' or 'create --save-config'.\n\n JSON and YAML formats are accepted.",
  examples: `  # Apply the configuration in pod.json to a pod
  kubectl apply -f ./pod.json

  # Apply the JSON passed into stdin to a pod
  cat pod.json | kubectl apply -f -

  # Apply the configuration from all files that end with '.json'
  kubectl apply -f '*.json'`,
  flags: [DRY_RUN, { ...FILENAME_FLAG, help: 'The files that contain the configurations to apply.' }],
  run: apply,
};

