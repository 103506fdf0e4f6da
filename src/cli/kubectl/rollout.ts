/**
 * kubectl rollout: status (kubectl's status viewers, printing each new
 * message until the rollout is done or Ctrl-C), history, undo, restart,
 * pause and resume of Deployments (status and restart of DaemonSets too).
 */
import { kubectlKind, timestamp, type KubeObject, type ReplicaSet } from '../../api/index.ts';
import { rolloutHistory, rolloutPause, rolloutRestart, rolloutUndo } from '../../sandbox/index.ts';
import { CommandError } from '../io.ts';
import { parseGoDuration } from '../duration.ts';
import { UsageError } from '../flags.ts';
import type { Command, Invocation } from '../program.ts';
import { formatTable } from '../table.ts';
import { namespaceOf } from './common.ts';
import { podTemplateText } from './describe/index.ts';
import { resourceType } from './resources.ts';

type Status = Record<string, number | undefined> & { observedGeneration?: number; conditions?: Array<{ type: string; reason?: string }> };

/** kubectl's rollout status viewers: the message, and whether the rollout is done. */
export function rolloutStatus(o: KubeObject): { message: string; done: boolean } {
  const s = (o.status ?? {}) as Status;
  const name = o.metadata.name;
  const observed = (o.metadata.generation ?? 0) <= (s.observedGeneration ?? 0);
  if (o.kind === 'Deployment') {
    if (!observed) return { message: 'Waiting for deployment spec update to be observed...', done: false };
    if (s.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) throw new CommandError(`error: deployment "${name}" exceeded its progress deadline`);
    const replicas = (o.spec as { replicas?: number }).replicas ?? 1;
    const updated = s.updatedReplicas ?? 0;
    if (updated < replicas) return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`, done: false };
    if ((s.replicas ?? 0) > updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...`, done: false };
    if ((s.availableReplicas ?? 0) < updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...`, done: false };
    return { message: `deployment "${name}" successfully rolled out`, done: true };
  }
  if (o.kind === 'DaemonSet') {
    if (!observed) return { message: 'Waiting for daemon set spec update to be observed...', done: false };
    const desired = s.desiredNumberScheduled ?? 0;
    if ((s.updatedNumberScheduled ?? 0) < desired) return { message: `Waiting for daemon set "${name}" rollout to finish: ${s.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...`, done: false };
    if ((s.numberAvailable ?? 0) < desired) return { message: `Waiting for daemon set "${name}" rollout to finish: ${s.numberAvailable ?? 0} of ${desired} updated pods are available...`, done: false };
    return { message: `daemon set "${name}" successfully rolled out`, done: true };
  }
  throw new CommandError(`error: no status viewer has been implemented for ${o.kind}`);
}

/** The one object a rollout subcommand acts on: `TYPE NAME` or `TYPE/NAME`. */
function target(inv: Invocation, kinds: string[]): KubeObject {
  const words = inv.args;
  let type: string;
  let name: string;
  if (words.length === 1 && words[0]!.includes('/')) [type, name] = [words[0]!.slice(0, words[0]!.indexOf('/')), words[0]!.slice(words[0]!.indexOf('/') + 1)];
  else if (words.length === 2) [type, name] = [words[0]!, words[1]!];
  else throw new UsageError('required resource not specified');
  const info = resourceType(type);
  if (!kinds.includes(info.kind)) throw new CommandError(`error: ${info.resource}.${info.group || ''} "${name}" ${inv.path.split(' ').pop()} is not supported`.replace('.', info.group ? '.' : ''));
  return inv.env.cluster.api.get(info.kind, namespaceOf(inv), name);
}

async function status(inv: Invocation): Promise<number> {
  const api = inv.env.cluster.api;
  const timeoutText = inv.flags.timeout as string;
  const timeout = parseGoDuration(timeoutText);
  if (timeout === undefined) throw new UsageError(`invalid argument "${timeoutText}" for "--timeout" flag: time: invalid duration "${timeoutText}"`);
  const first = target(inv, ['Deployment', 'DaemonSet']);
  const revision = inv.flags.revision as number;
  let last = '';
  const show = (o: KubeObject): boolean => {
    // DeploymentStatusViewer: --revision pins the status to that revision.
    const running = Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    if (revision > 0 && o.kind === 'Deployment' && revision !== running) throw new CommandError(`error: desired revision (${revision}) is different from the running revision (${running})`);
    const s = rolloutStatus(o);
    if (s.message !== last) inv.io.out(s.message + '\n');
    last = s.message;
    return s.done;
  };
  if (show(first) || !inv.flags.watch) return 0;
  await new Promise<void>((resolve, reject) => {
    const w = api.watch(first.kind, { namespace: first.metadata.namespace, fieldSelector: `metadata.name=${first.metadata.name}`, resourceVersion: first.metadata.resourceVersion }, (e) => {
      try {
        if (e.type === 'DELETED') throw new CommandError(`error: object has been deleted`);
        if (show(e.object)) finish();
      } catch (err) {
        finish(err);
      }
    });
    // kubectl: a timeout of 0 watches until the rollout is done.
    const timer = timeout > 0 ? setTimeout(() => finish(new CommandError('error: timed out waiting for the condition')), timeout) : undefined;
    const finish = (err?: unknown) => {
      w.dispose();
      clearTimeout(timer);
      inv.io.signal.removeEventListener('abort', abort);
      if (err) reject(err);
      else resolve();
    };
    const abort = () => finish();
    inv.io.signal.addEventListener('abort', abort, { once: true });
  });
  return inv.io.signal.aborted ? 130 : 0;
}

const subject = (o: KubeObject) => `${kubectlKind(resourceType(o.kind))}/${o.metadata.name}`;

const statusCommand: Command = {
  name: 'status',
  short: 'Show the status of the rollout',
  use: 'rollout status (TYPE NAME | TYPE/NAME) [flags]',
  examples: `  # Watch the rollout status of a deployment
  kubectl rollout status deployment/nginx`,
  flags: [
    { name: 'timeout', type: 'string', default: '0s', help: 'The length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).' },
    { name: 'revision', type: 'int', help: 'Pin to a specific revision for showing its status. Defaults to 0 (last revision).' },
    { name: 'watch', short: 'w', type: 'bool', default: true, help: 'Watch the status of the rollout until it\'s done.' },
  ],
  run: status,
};

const history: Command = {
  name: 'history',
  short: 'View rollout history',
  use: 'rollout history (TYPE NAME | TYPE/NAME) [flags]',
  examples: `  # View the rollout history of a deployment
  kubectl rollout history deployment/abc`,
  flags: [{ name: 'revision', type: 'int', help: 'See the details, including podTemplate of the revision specified' }],
  run(inv) {
    const d = target(inv, ['Deployment']);
    const api = inv.env.cluster.api;
    const rows = rolloutHistory(api, namespaceOf(inv), d.metadata.name!);
    const revision = inv.flags.revision as number;
    if (revision > 0) {
      // polymorphichelpers ViewHistory: the revision's ReplicaSet's template, its change-cause among the annotations.
      const row = rows.find((r) => r.revision === revision);
      if (!row) throw new CommandError('error: unable to find the specified revision');
      const rs = api.get<ReplicaSet>('ReplicaSet', namespaceOf(inv), row.replicaSet);
      const template = structuredClone(rs.spec.template);
      if (row.changeCause) template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, 'kubernetes.io/change-cause': row.changeCause } };
      inv.io.out(`${subject(d)} with revision #${revision}\n${podTemplateText(template)}\n`);
      return;
    }
    const table = formatTable([['REVISION', 'CHANGE-CAUSE'], ...rows.map((r) => [String(r.revision), r.changeCause || '<none>'])], { minWidth: 0, padding: 2 });
    inv.io.out(`${subject(d)} \n${table}\n`);
  },
};

const undo: Command = {
  name: 'undo',
  short: 'Undo a previous rollout',
  use: 'rollout undo (TYPE NAME | TYPE/NAME) [flags]',
  examples: `  # Roll back to the previous deployment
  kubectl rollout undo deployment/abc

  # Roll back to deployment revision 3
  kubectl rollout undo deployment/abc --to-revision=3`,
  flags: [{ name: 'to-revision', type: 'int', default: 0, help: 'The revision to rollback to. Default to 0 (last revision).' }],
  run(inv) {
    const d = target(inv, ['Deployment']);
    inv.io.out(rolloutUndo(inv.env.cluster.api, namespaceOf(inv), d.metadata.name!, inv.flags['to-revision'] as number) + '\n');
  },
};

const restart: Command = {
  name: 'restart',
  short: 'Restart a resource',
  use: 'rollout restart RESOURCE',
  examples: `  # Restart a deployment
  kubectl rollout restart deployment/nginx`,
  run(inv) {
    const o = target(inv, ['Deployment', 'DaemonSet']);
    if (o.kind === 'Deployment') {
      inv.io.out(rolloutRestart(inv.env.cluster.api, namespaceOf(inv), o.metadata.name!) + '\n');
      return;
    }
    const api = inv.env.cluster.api;
    api.mutate(o.kind, o.metadata.namespace, o.metadata.name!, (x) => {
      const t = (x.spec as { template: { metadata?: { annotations?: Record<string, string> } } }).template;
      t.metadata = { ...t.metadata, annotations: { ...t.metadata?.annotations, 'kubectl.kubernetes.io/restartedAt': timestamp(api.clock.now()) } };
    });
    inv.io.out(`${subject(o)} restarted\n`);
  },
};

const pauseOrResume = (paused: boolean): Command => ({
  name: paused ? 'pause' : 'resume',
  short: paused ? 'Mark the provided resource as paused' : 'Resume a paused resource',
  use: `rollout ${paused ? 'pause' : 'resume'} RESOURCE`,
  examples: paused ? '  # Mark the nginx deployment as paused\n  kubectl rollout pause deployment/nginx' : '  # Resume an already paused deployment\n  kubectl rollout resume deployment/nginx',
  run(inv) {
    const d = target(inv, ['Deployment']);
    inv.io.out(rolloutPause(inv.env.cluster.api, namespaceOf(inv), d.metadata.name!, paused) + '\n');
  },
});

export const rolloutCommand: Command = {
  name: 'rollout',
  group: 'Deploy Commands:',
  short: 'Manage the rollout of a resource',
  use: 'rollout SUBCOMMAND',
  long: 'Manage the rollout of one or many resources.',
  subcommands: [history, pauseOrResume(true), restart, pauseOrResume(false), statusCommand, undo],
};
