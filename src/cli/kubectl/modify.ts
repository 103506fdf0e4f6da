/**
 * Commands that change objects in place: scale, set image, label and
 * annotate, with kubectl's lines (`deployment.apps/web scaled`,
 * `pod/web labeled`) and errors.
 */
import type { KubeObject, PodSpec } from '../../api/index.ts';
import { UsageError } from '../flags.ts';
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { ALL_NAMESPACES_FLAG, FILENAME_FLAG, SELECTOR_FLAG, namespaceOf, objectsFromFiles } from './common.ts';
import { resourceName } from './output.ts';
import { parseResourceArgs, resourceType, resourceWords } from './resources.ts';
import { kubectlMessage } from './style.ts';

/** The objects named by `TYPE NAME…`, `TYPE/NAME…`, `TYPE -l sel` or `TYPE --all`. */
function selected(inv: Invocation, words: string[]): KubeObject[] {
  const api = inv.env.cluster.api;
  const ns = namespaceOf(inv);
  const out: KubeObject[] = [];
  for (const { info, names } of parseResourceArgs(words, false)) {
    if (names.length) {
      for (const name of names) out.push(api.get(info.kind, info.namespaced ? ns : undefined, name));
    } else if ((inv.flags.selector as string) || inv.flags.all) {
      const all = inv.flags['all-namespaces'] as boolean;
      out.push(...api.list(info.kind, { namespace: info.namespaced && !all ? ns : undefined, labelSelector: (inv.flags.selector as string) || undefined }).items);
    } else {
      throw new UsageError(`resource(s) were provided, but no name was specified`);
    }
  }
  return out;
}

const SCALABLE = ['Deployment', 'ReplicaSet', 'Job'];

export const scaleCommand: Command = {
  name: 'scale',
  group: 'Deploy Commands:',
  short: 'Set a new size for a deployment, replica set, or replication controller',
  use: 'scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME)',
  examples: `  # Scale a replica set named 'foo' to 3
  kubectl scale --replicas=3 rs/foo

  # Scale a resource identified by type and name specified in "foo.yaml" to 3
  kubectl scale --replicas=3 -f foo.yaml

  # If the deployment named mysql's current size is 2, scale mysql to 3
  kubectl scale --current-replicas=2 --replicas=3 deployment/mysql`,
  flags: [
    { name: 'all', type: 'bool', help: 'Select all resources in the namespace of the specified resource types' },
    { name: 'current-replicas', type: 'int', default: -1, help: 'Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.' },
    FILENAME_FLAG,
    { name: 'replicas', type: 'int', default: -1, help: 'The new desired number of replicas. Required.' },
    { name: 'resource-version', type: 'string', help: 'Precondition for resource version. Requires that the current resource version match this value in order to scale.' },
    SELECTOR_FLAG,
  ],
  async run(inv) {
    if (!inv.given.has('replicas')) throw new CommandError('error: required flag(s) "replicas" not set');
    const replicas = inv.flags.replicas as number;
    const current = inv.flags['current-replicas'] as number;
    const version = inv.flags['resource-version'] as string;
    // ScaleOptions.Validate: plain errors, not usage errors.
    if (replicas < 0) throw new CommandError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
    if (current < -1) throw new CommandError('error: The --current-replicas must specify an integer of -1 or greater');
    const fromFiles = await objectsFromFiles(inv);
    const objects = fromFiles.length ? fromFiles.map((o) => inv.env.cluster.api.get(o.kind, o.metadata.namespace ?? namespaceOf(inv), o.metadata.name!)) : selected(inv, inv.args);
    if (version && objects.length > 1) throw new CommandError('error: cannot use --resource-version with multiple resources');
    if (!objects.length) throw new UsageError('You must provide one or more resources by argument or filename.');
    for (const o of objects) {
      if (!SCALABLE.includes(o.kind)) throw new CommandError(`error: no objects passed to scale ${resourceType(o.kind).resource} "${o.metadata.name}" is not scalable`);
      const field = o.kind === 'Job' ? 'parallelism' : 'replicas';
      inv.env.cluster.api.mutate(o.kind, o.metadata.namespace, o.metadata.name!, (x) => {
        // kubectl's ScalePrecondition, checked on the object as it is now (pkg/scale: PreconditionError).
        const spec = x.spec as Record<string, number | undefined>;
        const size = spec[field] ?? 1;
        if (current !== -1 && size !== current) throw new CommandError(`error: Expected replicas to be ${current}, was ${size}`);
        if (version && x.metadata.resourceVersion !== version) throw new CommandError(`error: Expected resource version to be ${version}, was ${x.metadata.resourceVersion}`);
        spec[field] = replicas;
      });
      inv.io.out(`${resourceName(o)} scaled\n`);
    }
  },
};

/** The pod spec a Pod has, or a workload's pod template has. */
export const templateSpec = (o: KubeObject): PodSpec | undefined => (o.kind === 'Pod' ? (o.spec as PodSpec) : (o.spec as { template?: { spec: PodSpec } }).template?.spec);

const setImage: Command = {
  name: 'image',
  short: 'Update the image of a pod template',
  use: 'set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N',
  examples: `  # Set a deployment's nginx container image to 'nginx:1.9.1', and its busybox container image to 'busybox'
  kubectl set image deployment/nginx busybox=busybox nginx=nginx:1.9.1

  # Update image of all containers of deployment frontend to 'nginx:1.9.1'
  kubectl set image deployments frontend *=nginx:1.9.1`,
  flags: [{ name: 'all', type: 'bool', help: "Select all resources, in the namespace of the specified resource types" }, SELECTOR_FLAG],
  run(inv) {
    const pairs = inv.args.filter((a) => a.includes('='));
    const words = inv.args.filter((a) => !a.includes('='));
    if (!pairs.length) throw new UsageError('at least one image update is required');
    const objects = selected(inv, words);
    let code = 0;
    for (const o of objects) {
      let changed = false;
      for (const pair of pairs) {
        const [name, image] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
        const spec = templateSpec(o)!;
        const all = [...(spec.initContainers ?? []), ...spec.containers];
        if (name !== '*' && !all.some((c) => c.name === name)) {
          inv.io.err(`error: unable to find container named "${name}"\n`);
          code = 1;
          continue;
        }
        inv.env.cluster.api.mutate(o.kind, o.metadata.namespace, o.metadata.name!, (x) => {
          const s = templateSpec(x)!;
          for (const c of [...(s.initContainers ?? []), ...s.containers]) if (name === '*' || c.name === name) c.image = image;
        });
        changed = true;
      }
      if (changed) inv.io.out(`${resourceName(o)} image updated\n`);
    }
    return code;
  },
};

export const setCommand: Command = {
  name: 'set',
  group: 'Basic Commands (Beginner):',
  short: 'Set specific features on objects',
  use: 'set SUBCOMMAND',
  long: 'Configure application resources.\n\n These commands help you make changes to existing application resources.',
  subcommands: [setImage],
};

/** label and annotate: `key=value` sets, `key-` removes; an existing key needs --overwrite. */
function metaCommand(field: 'labels' | 'annotations', verb: 'label' | 'annotate', past: 'labeled' | 'annotated'): Command {
  return {
    name: verb,
    group: 'Settings Commands:',
    short: field === 'labels' ? 'Update the labels on a resource' : 'Update the annotations on a resource',
    use: `${verb} [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]`,
    examples:
      field === 'labels'
        ? `  # Update pod 'foo' with the label 'unhealthy' and the value 'true'
  kubectl label pods foo unhealthy=true

  # Update pod 'foo' with the label 'status' and the value 'unhealthy', overwriting any existing value
  kubectl label --overwrite pods foo status=unhealthy

  # Update pod 'foo' by removing a label named 'bar' if it exists
  kubectl label pods foo bar-`
        : `  # Update pod 'foo' with the annotation 'description' and the value 'my frontend'
  kubectl annotate pods foo description='my frontend'

  # Update pod 'foo' by removing an annotation named 'description' if it exists
  kubectl annotate pods foo description-`,
    flags: [
      { name: 'all', type: 'bool', help: 'Select all resources, in the namespace of the specified resource types' },
      ALL_NAMESPACES_FLAG,
      { name: 'list', type: 'bool', help: `If true, display the ${field} for a given resource.` },
      { name: 'overwrite', type: 'bool', help: `If true, allow ${field} to be overwritten, otherwise reject ${field} updates that overwrite existing ${field}.` },
      SELECTOR_FLAG,
    ],
    run(inv) {
      // kubectl's GetResourcesAndPairs: the first `k=v` or `k-` word starts the changes; resources come before it.
      const at = inv.args.findIndex((a) => a.includes('=') || (a.endsWith('-') && a !== '-'));
      const changes = at < 0 ? [] : inv.args.slice(at);
      const words = at < 0 ? inv.args : inv.args.slice(0, at);
      const stray = changes.find((c) => !c.includes('=') && !(c.endsWith('-') && c !== '-'));
      if (stray) throw new UsageError(`all resources must be specified before ${field === 'labels' ? 'label' : 'annotation'} changes: ${stray}`);
      const objects = selected(inv, words);
      if (inv.flags.list) {
        for (const o of objects) for (const [k, v] of Object.entries(o.metadata[field] ?? {})) inv.io.out(`${k}=${v}\n`);
        return 0;
      }
      if (!changes.length) throw new UsageError(`at least one ${field === 'labels' ? 'label' : 'annotation'} update is required`);
      const set: Record<string, string> = {};
      const remove: string[] = [];
      for (const c of changes) {
        if (c.endsWith('-') && !c.includes('=')) remove.push(c.slice(0, -1));
        else set[c.slice(0, c.indexOf('='))] = c.slice(c.indexOf('=') + 1);
      }
      let code = 0;
      for (const o of objects) {
        try {
          const existing = o.metadata[field] ?? {};
          for (const k of Object.keys(set)) {
            if (k in existing && existing[k] !== set[k] && !inv.flags.overwrite) {
              throw new CommandError(`error: '${k}' already has a value (${existing[k]}), and --overwrite is false`);
            }
          }
          const changed = Object.keys(set).some((k) => existing[k] !== set[k]) || remove.some((k) => k in existing);
          inv.env.cluster.api.mutate(o.kind, o.metadata.namespace, o.metadata.name!, (x) => {
            const m = { ...(x.metadata[field] ?? {}), ...set };
            for (const k of remove) delete m[k];
            x.metadata[field] = m;
          });
          inv.io.out(`${resourceName(o)} ${changed ? (remove.length && !Object.keys(set).length ? `un${past}` : past) : 'not ' + past}\n`);
        } catch (err) {
          inv.io.err(kubectlMessage(err) + '\n');
          code = 1;
        }
      }
      return code;
    },
    complete: (env, args) => (args.length === 0 ? resourceWords() : []),
  };
}

export const labelCommand = metaCommand('labels', 'label', 'labeled');
export const annotateCommand = metaCommand('annotations', 'annotate', 'annotated');
