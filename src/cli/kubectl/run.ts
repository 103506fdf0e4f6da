/**
 * kubectl run: a pod of one container, built as kubectl builds it (label
 * `run=<name>`, container named after the pod), and with -i/-t attached to
 * it, --rm deleting it afterwards.
 */
import type { Pod } from '../../api/index.ts';
import { UsageError } from '../flags.ts';
import { CommandError } from '../io.ts';
import type { Command } from '../program.ts';
import { namespaceOf } from './common.ts';
import { DRY_RUN, createObject } from './create.ts';
import { attach, whenStarted } from './attach.ts';
import { OUTPUT_FLAG } from './common.ts';

function keyValues(list: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list.flatMap((l) => (what === 'labels' ? l.split(',') : [l]))) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid ${what} format: ${item}`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export const runCommand: Command = {
  name: 'run',
  group: 'Basic Commands (Beginner):',
  short: 'Run a particular image on the cluster',
  use: 'run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
  long: 'Create and run a particular image in a pod.',
  examples: `  # Start a nginx pod
  kubectl run nginx --image=nginx

  # Start a busybox pod and keep it in the foreground, don't restart it if it exits
  kubectl run -i -t busybox --image=busybox --restart=Never

  # Start the nginx pod using the default command, but use custom arguments (arg1 .. argN) for that command
  kubectl run nginx --image=nginx -- <arg1> <arg2> ... <argN>

  # Start the nginx pod using a different command and custom arguments
  kubectl run nginx --image=nginx --command -- <cmd> <arg1> ... <argN>`,
  flags: [
    { name: 'attach', type: 'bool', help: "If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called." },
    { name: 'command', type: 'bool', help: 'If true and extra arguments are present, use them as the \'command\' field in the container, rather than the \'args\' field which is the default.' },
    DRY_RUN,
    { name: 'env', type: 'strings', help: 'Environment variables to set in the container.' },
    { name: 'image', type: 'string', help: 'The image for the container to run.' },
    { name: 'image-pull-policy', type: 'string', help: 'The image pull policy for the container.' },
    { name: 'labels', short: 'l', type: 'strings', help: 'Comma separated labels to apply to the pod. Will override previous values.' },
    OUTPUT_FLAG,
    { name: 'port', type: 'string', help: 'The port that this container exposes.' },
    { name: 'restart', type: 'string', default: 'Always', help: "The restart policy for this Pod.  Legal values [Always, OnFailure, Never].", values: ['Always', 'OnFailure', 'Never'] },
    { name: 'rm', type: 'bool', help: 'If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with \'--attach\' or with \'-i/--stdin\'.' },
    { name: 'stdin', short: 'i', type: 'bool', help: 'Keep stdin open on the container in the pod, even if nothing is attached.' },
    { name: 'tty', short: 't', type: 'bool', help: 'Allocate a TTY for the container in the pod.' },
  ],
  async run(inv) {
    const extra = inv.dashAt !== undefined ? inv.args.slice(inv.dashAt) : inv.args.slice(1);
    const names = inv.dashAt !== undefined ? inv.args.slice(0, inv.dashAt) : inv.args.slice(0, 1);
    if (names.length !== 1) throw new UsageError('NAME is required for run');
    const name = names[0]!;
    const image = inv.flags.image as string;
    if (!image) throw new CommandError('error: required flag(s) "image" not set');
    const restart = inv.flags.restart as string;
    if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new UsageError(`invalid restart policy: ${restart}`);
    const stdin = inv.flags.stdin as boolean;
    const tty = inv.flags.tty as boolean;
    const attaching = (inv.flags.attach as boolean) || stdin;
    if (inv.flags.rm && !attaching) throw new UsageError("--rm should only be used for attached containers");
    if (tty && !stdin) throw new CommandError('error: -i/--stdin is required for containers with -t/--tty=true');
    if (attaching && (inv.flags['dry-run'] as string) !== 'none') throw new CommandError("error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
    const env = keyValues(inv.flags.env as string[], 'env');
    const labels = (inv.flags.labels as string[]).length ? keyValues(inv.flags.labels as string[], 'labels') : { run: name };
    const port = inv.flags.port as string;
    const container = {
      name,
      image,
      ...(extra.length ? (inv.flags.command ? { command: extra } : { args: extra }) : {}),
      ...(Object.keys(env).length ? { env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })) } : {}),
      ...(port ? { ports: [{ containerPort: Number(port) }] } : {}),
      ...(inv.flags['image-pull-policy'] ? { imagePullPolicy: inv.flags['image-pull-policy'] } : {}),
      ...(stdin ? { stdin: true, stdinOnce: true } : {}),
      ...(tty ? { tty: true } : {}),
    };
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { labels, name, namespace: namespaceOf(inv) },
      spec: { containers: [{ ...container, resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: restart },
      status: {},
    };
    if (!attaching) return createObject(inv, pod);
    const created = inv.env.cluster.api.create(pod) as Pod;
    if (tty) inv.io.err("If you don't see a command prompt, try pressing enter.\n");
    const started = await whenStarted(inv, created, name);
    let code: number | undefined = 0;
    if (started && started.status?.containerStatuses?.find((c) => c.name === name)?.state.running) code = await attach(inv, started, name, stdin);
    else if (started) {
      const where = inv.env.cluster.container(started, name);
      if (where) for (const line of await where.node.logs(where.id)) inv.io.out(line.text + '\n');
      code = started.status?.containerStatuses?.find((c) => c.name === name)?.state.terminated?.exitCode;
    }
    if (inv.flags.rm) {
      inv.env.cluster.api.delete('Pod', created.metadata.namespace, name, { gracePeriodSeconds: 0 });
      inv.io.out(`pod "${name}" deleted from ${created.metadata.namespace} namespace\n`);
    }
    if (inv.io.signal.aborted) return 130;
    return code ?? 0;
  },
};
