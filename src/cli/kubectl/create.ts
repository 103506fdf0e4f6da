/**
 * kubectl create: from files, and kubectl's generators — deployment, job,
 * configmap, secret generic, namespace, and the RBAC ones of create-rbac.ts
 * (role, clusterrole, rolebinding, clusterrolebinding, serviceaccount) —
 * building the objects as kubectl builds them (labels `app=<name>`,
 * container named after the image).
 */
import { type KubeObject } from '../../api/index.ts';
import { UsageError, type FlagSpec } from '../flags.ts';
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { createFromFiles } from './apply.ts';
import { DRY_RUN, FILENAME_FLAG, OUTPUT_FLAG, dryRunOf, dryRunSuffix, namespaceOf } from './common.ts';
import { rbacGenerators } from './create-rbac.ts';
import { parseOutput, printObjects, resourceName } from './output.ts';

/** A container name from an image, as kubectl create deployment derives it. */
export function containerNameOf(image: string): string {
  let name = image.split('/').pop()!;
  name = name.split(':')[0]!.split('@')[0]!;
  return name.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/** Creates (or with --dry-run, only shows) a generated object; prints kubectl's line. */
async function emit(inv: Invocation, obj: KubeObject, verb = 'created'): Promise<number> {
  const dryRun = dryRunOf(inv);
  const api = inv.env.cluster.api;
  // A client dry run prints the object as generated: no namespace unless -n named one.
  const client = dryRun === 'client';
  const generated = client && !inv.flags.namespace ? { ...obj, metadata: { ...obj.metadata, namespace: undefined } } : obj;
  const shown = client ? generated : dryRun === 'server' ? api.create(obj, { dryRun: true }) : api.create(obj);
  const output = inv.flags.output as string;
  if (output) {
    inv.io.out(await printObjects([shown], parseOutput(output), true, async () => ''));
    return 0;
  }
  inv.io.out(`${resourceName(shown)} ${verb}${dryRunSuffix(dryRun)}\n`);
  return 0;
}

function oneName(inv: Invocation, what: string): string {
  if (inv.args.length !== 1) throw new UsageError(`exactly one NAME is required, got ${inv.args.length}`);
  void what;
  return inv.args[0]!;
}

/** `NAME --image=… [-- COMMAND…]`: the one name, and the command after `--`; --image must be given. */
function nameAndCommand(inv: Invocation): { name: string; command: string[] } {
  const command = inv.dashAt !== undefined ? inv.args.slice(inv.dashAt) : [];
  const names = inv.dashAt !== undefined ? inv.args.slice(0, inv.dashAt) : inv.args;
  if (names.length !== 1) throw new UsageError(`exactly one NAME is required, got ${names.length}`);
  required(inv, 'image');
  return { name: names[0]!, command };
}

const required = (inv: Invocation, flag: string) => {
  const v = inv.flags[flag];
  if (v === '' || (Array.isArray(v) && v.length === 0)) throw new CommandError(`error: required flag(s) "${flag}" not set`);
};

const deployment: Command = {
  name: 'deployment',
  aliases: ['deploy'],
  short: 'Create a deployment with the specified name',
  use: 'create deployment NAME --image=image -- [COMMAND] [args...] [options]',
  examples: `  # Create a deployment named my-dep that runs the busybox image
  kubectl create deployment my-dep --image=busybox

  # Create a deployment with a command
  kubectl create deployment my-dep --image=busybox -- date

  # Create a deployment named my-dep that runs the nginx image with 3 replicas
  kubectl create deployment my-dep --image=nginx --replicas=3`,
  flags: [
    { name: 'image', type: 'stringSlice', help: 'Image names to run. A deployment can have multiple images set for multi-container pod.' },
    { name: 'replicas', short: 'r', type: 'int', default: 1, help: 'Number of replicas to create. Default is 1.' },
    { name: 'port', type: 'int', default: -1, help: 'The containerPort that this deployment exposes.' },
    DRY_RUN,
    OUTPUT_FLAG,
  ],
  run(inv) {
    const { name, command } = nameAndCommand(inv);
    const images = inv.flags.image as string[];
    const port = inv.flags.port as number;
    const containers = images.map((image) => ({
      name: containerNameOf(image),
      image,
      resources: {},
      ...(command.length ? { command } : {}),
      ...(port >= 0 ? { ports: [{ containerPort: port }] } : {}),
    }));
    return emit(inv, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: namespaceOf(inv), labels: { app: name } },
      spec: { replicas: inv.flags.replicas as number, selector: { matchLabels: { app: name } }, strategy: {}, template: { metadata: { labels: { app: name } }, spec: { containers } } },
      status: {},
    });
  },
};

const job: Command = {
  name: 'job',
  short: 'Create a job with the specified name',
  use: 'create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...]',
  examples: `  # Create a job
  kubectl create job my-job --image=busybox

  # Create a job with a command
  kubectl create job my-job --image=busybox -- date`,
  flags: [{ name: 'image', type: 'string', help: 'Image name to run.' }, DRY_RUN, OUTPUT_FLAG],
  run(inv) {
    const { name, command } = nameAndCommand(inv);
    const container = { name, image: inv.flags.image as string, ...(command.length ? { command } : {}), resources: {} };
    return emit(inv, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: namespaceOf(inv) },
      spec: { template: { metadata: {}, spec: { containers: [container], restartPolicy: 'Never' } } },
      status: {},
    });
  },
};

/** --from-literal=key=value pairs, and --from-file=[key=]path contents. */
async function sourceData(inv: Invocation): Promise<Record<string, string>> {
  const data: Record<string, string> = {};
  for (const lit of inv.flags['from-literal'] as string[]) {
    const eq = lit.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid literal source ${lit}, expected key=value`);
    const key = lit.slice(0, eq);
    if (key in data) throw new UsageError(`cannot add key ${key}, another key by that name already exists in Data for ConfigMap "${inv.args[0]}"`);
    data[key] = lit.slice(eq + 1);
  }
  const files = inv.env.files;
  const read = async (path: string) => {
    try {
      return new TextDecoder().decode(await files.read(path));
    } catch {
      throw new CommandError(`error: error reading ${path}: no such file or directory`);
    }
  };
  for (const f of inv.flags['from-file'] as string[]) {
    const eq = f.indexOf('=');
    const path = eq < 0 ? f : f.slice(eq + 1);
    const listed = eq < 0 ? await files.list(path).catch(() => undefined) : undefined;
    // A directory: each file in it, keyed by its name.
    if (listed) for (const name of listed) data[name] = await read(`${path.replace(/\/$/, '')}/${name}`);
    else data[eq < 0 ? path.split('/').pop()! : f.slice(0, eq)] = await read(path);
  }
  return data;
}

const FROM_FLAGS: FlagSpec[] = [
  { name: 'from-literal', type: 'strings', help: 'Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)' },
  { name: 'from-file', type: 'strings', help: 'Key file can be specified using its file path, in which case file basename will be used as configmap key, or optionally with a key and file path, in which case the given key will be used.' },
];

const configmap: Command = {
  name: 'configmap',
  aliases: ['cm'],
  short: 'Create a config map from a local file, directory or literal value',
  use: 'create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]',
  examples: `  # Create a new config map named my-config with key1=config1 and key2=config2
  kubectl create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2`,
  flags: [...FROM_FLAGS, DRY_RUN, OUTPUT_FLAG],
  async run(inv) {
    const name = oneName(inv, 'configmap');
    return emit(inv, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: namespaceOf(inv) }, data: await sourceData(inv) });
  },
};

const base64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

const secretGeneric: Command = {
  name: 'generic',
  short: 'Create a secret from a local file, directory, or literal value',
  use: 'create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]',
  examples: `  # Create a new secret named my-secret with key1=supersecret and key2=topsecret
  kubectl create secret generic my-secret --from-literal=key1=supersecret --from-literal=key2=topsecret`,
  flags: [...FROM_FLAGS, { name: 'type', type: 'string', help: 'The type of secret to create' }, DRY_RUN, OUTPUT_FLAG],
  async run(inv) {
    const name = oneName(inv, 'secret');
    const data = Object.fromEntries(Object.entries(await sourceData(inv)).map(([k, v]) => [k, base64(v)]));
    return emit(inv, { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: namespaceOf(inv) }, type: (inv.flags.type as string) || 'Opaque', data });
  },
};

const secret: Command = {
  name: 'secret',
  short: 'Create a secret using a specified subcommand',
  use: 'create secret (docker-registry | generic | tls) [options]',
  subcommands: [secretGeneric],
};

const namespace: Command = {
  name: 'namespace',
  aliases: ['ns'],
  short: 'Create a namespace with the specified name',
  use: 'create namespace NAME [--dry-run=server|client|none]',
  examples: `  # Create a new namespace named my-namespace
  kubectl create namespace my-namespace`,
  flags: [DRY_RUN, OUTPUT_FLAG],
  run(inv) {
    return emit(inv, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: oneName(inv, 'namespace') }, spec: {} });
  },
};

const rbac = rbacGenerators({ emit, dryRun: DRY_RUN });

export const createCommand: Command = {
  name: 'create',
  group: 'Basic Commands (Beginner):',
  short: 'Create a resource from a file or from stdin',
  use: 'create -f FILENAME [options]',
  long: 'Create a resource from a file or from stdin.\n\n JSON and YAML formats are accepted.',
  examples: `  # Create a pod using the data in pod.json
  kubectl create -f ./pod.json

  # Create a pod based on the JSON passed into stdin
  cat pod.json | kubectl create -f -`,
  flags: [FILENAME_FLAG],
  subcommands: [rbac.clusterrole, rbac.clusterrolebinding, configmap, deployment, job, namespace, rbac.role, rbac.rolebinding, secret, rbac.serviceaccount],
  run(inv) {
    if (!(inv.flags.filename as string[]).length) {
      if (inv.args.length) throw new UsageError(`unknown command "${inv.args[0]}" for "kubectl create"`);
      throw new UsageError('must specify one of -f and -k');
    }
    return createFromFiles(inv);
  },
};

export { emit as createObject, DRY_RUN };
