/**
 * kubectl rollout's client-side parts (kubectl/pkg/polymorphichelpers):
 * history from the Deployment's ReplicaSets, undo by copying an old
 * ReplicaSet's template back, restart by a template annotation, pause and
 * resume. Each gives the line kubectl prints, or throws with kubectl's error.
 */
import type { ApiStore, Deployment, ReplicaSet } from '../api/index.ts';
import { timestamp } from '../api/index.ts';
import { controllerOf } from './controller.ts';
import { TEMPLATE_HASH, copiedAnnotations, revisionOf, sameTemplate } from './deployment-util.ts';

export class RolloutError extends Error {
  readonly code = 'RolloutError';
  kubectlMessage(): string {
    return `error: ${this.message}`;
  }
}

function replicaSets(api: ApiStore, d: Deployment): ReplicaSet[] {
  return api
    .list<ReplicaSet>('ReplicaSet', { namespace: d.metadata.namespace })
    .items.filter((rs) => controllerOf(rs, 'Deployment')?.uid === d.metadata.uid)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
}

export interface RevisionRow {
  revision: number;
  changeCause?: string;
  replicaSet: string;
}

/** kubectl rollout history: one row per revision, oldest first. */
export function rolloutHistory(api: ApiStore, namespace: string, name: string): RevisionRow[] {
  const d = api.get<Deployment>('Deployment', namespace, name);
  return replicaSets(api, d).map((rs) => ({ revision: revisionOf(rs), changeCause: rs.metadata.annotations?.['kubernetes.io/change-cause'], replicaSet: rs.metadata.name! }));
}

/** kubectl rollout undo [--to-revision=N]. */
export function rolloutUndo(api: ApiStore, namespace: string, name: string, toRevision = 0): string {
  const d = api.get<Deployment>('Deployment', namespace, name);
  if (d.spec.paused) throw new RolloutError(`you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`);
  const all = replicaSets(api, d);
  if (all.length === 0) throw new RolloutError(`no rollout history found for deployment ${JSON.stringify(name)}`);
  let target: ReplicaSet | undefined;
  if (toRevision > 0) target = all.find((rs) => revisionOf(rs) === toRevision);
  else {
    const current = Math.max(...all.map(revisionOf));
    target = [...all].reverse().find((rs) => revisionOf(rs) < current);
  }
  if (!target) throw new RolloutError(toRevision > 0 ? `unable to find specified revision ${toRevision} in history` : `no rollout history found for deployment ${JSON.stringify(name)}`);
  if (sameTemplate(target.spec.template, d.spec.template)) return `deployment.apps/${name} skipped rollback (current template already matches revision ${revisionOf(target)})`;
  const template = structuredClone(target.spec.template);
  if (template.metadata?.labels) delete template.metadata.labels[TEMPLATE_HASH];
  api.mutate<Deployment>('Deployment', namespace, name, (x) => {
    x.spec.template = template;
    x.metadata.annotations = { ...x.metadata.annotations, ...copiedAnnotations(target.metadata.annotations) };
  });
  return `deployment.apps/${name} rolled back`;
}

/** kubectl rollout restart: a new template annotation starts a rollout. */
export function rolloutRestart(api: ApiStore, namespace: string, name: string): string {
  api.mutate<Deployment>('Deployment', namespace, name, (x) => {
    const meta = (x.spec.template.metadata ??= {});
    meta.annotations = { ...meta.annotations, 'kubectl.kubernetes.io/restartedAt': timestamp(api.clock.now()) };
  });
  return `deployment.apps/${name} restarted`;
}

/** kubectl rollout pause / resume. */
export function rolloutPause(api: ApiStore, namespace: string, name: string, paused: boolean): string {
  const d = api.get<Deployment>('Deployment', namespace, name);
  if (Boolean(d.spec.paused) === paused) throw new RolloutError(`deployments.apps ${JSON.stringify(name)} is ${paused ? 'already paused' : 'not paused'}`);
  api.mutate<Deployment>('Deployment', namespace, name, (x) => {
    x.spec.paused = paused;
  });
  return `deployment.apps/${name} ${paused ? 'paused' : 'resumed'}`;
}
