/**
 * The Deployment controller (pkg/controller/deployment): one ReplicaSet per
 * pod template, named by its pod-template-hash; a RollingUpdate within
 * maxSurge and maxUnavailable, or Recreate; revision annotations and a
 * bounded history of old ReplicaSets; pause; and the Progressing and
 * Available conditions and events in the real controller's words.
 */
import { apiVersionOf, fromLabelSelector, kindInfo, matches, timestamp, type ApiStore, type Deployment, type Pod, type ReplicaSet } from '../api/index.ts';
import type { Disposable } from '../shared/index.ts';
import { Controller, controllerOf, controllerRef } from './controller.ts';
import { eventRecorder, type EventRecorder } from './events.ts';
import { DESIRED_REPLICAS, MAX_REPLICAS, REVISION, REVISION_HISTORY, TEMPLATE_HASH, copiedAnnotations, resolveIntOrPercent, revisionOf, sameTemplate, templateHash } from './deployment-util.ts';
import { rollingUpdate, scaleReplicaSet, type RolloutContext } from './rolling-update.ts';

export class DeploymentController extends Controller {
  readonly #pods: Disposable;

  constructor(api: ApiStore) {
    const recorder = eventRecorder(api, 'deployment-controller');
    super(api, 'Deployment', ['ReplicaSet'], (ns, name) => syncDeployment(api, recorder, ns, name, this));
    // A Recreate waits for old pods to be gone: a pod's deletion reaches its ReplicaSet's Deployment.
    this.#pods = api.watch('Pod', {}, (e) => {
      if (e.type !== 'DELETED') return;
      const rsRef = controllerOf(e.object, 'ReplicaSet');
      const rs = rsRef && api.tryGet('ReplicaSet', e.object.metadata.namespace, rsRef.name);
      const dRef = rs && controllerOf(rs, 'Deployment');
      if (dRef) this.queue.add(`${e.object.metadata.namespace}/${dRef.name}`);
    });
  }

  override dispose(): void {
    this.#pods.dispose();
    super.dispose();
  }
}

/** The Deployment's ReplicaSets, adopting those that match its selector and have no controller (left by an orphaning delete). */
function ownedReplicaSets(api: ApiStore, d: Deployment): ReplicaSet[] {
  const selector = fromLabelSelector(d.spec.selector);
  const out: ReplicaSet[] = [];
  for (const rs of api.list<ReplicaSet>('ReplicaSet', { namespace: d.metadata.namespace }).items) {
    if (controllerOf(rs, 'Deployment')?.uid === d.metadata.uid) out.push(rs);
    else if (!rs.metadata.ownerReferences?.some((r) => r.controller) && !rs.metadata.deletionTimestamp && selector.length && matches(selector, rs.metadata.labels)) {
      out.push(api.mutate<ReplicaSet>('ReplicaSet', rs.metadata.namespace, rs.metadata.name!, (x) => {
        x.metadata.ownerReferences = [...(x.metadata.ownerReferences ?? []), controllerRef(d)];
      }));
    }
  }
  return out;
}

/** The new ReplicaSet: found (and given the next revision when an older template comes back), or created. */
function newReplicaSet(ctx: RolloutContext, all: ReplicaSet[], create: boolean, replicas: number): ReplicaSet | undefined {
  const { api, d, recorder } = ctx;
  const maxRevision = Math.max(0, ...all.map(revisionOf));
  const existing = all.find((rs) => sameTemplate(rs.spec.template, d.spec.template));
  const ns = d.metadata.namespace;
  if (existing) {
    const others = all.filter((rs) => rs !== existing).map(revisionOf);
    if (revisionOf(existing) <= Math.max(0, ...others)) {
      // An old template came back (rollout undo): it is the newest revision now.
      return api.mutate<ReplicaSet>('ReplicaSet', ns, existing.metadata.name!, (rs) => {
        const a = (rs.metadata.annotations ??= {});
        const old = a[REVISION];
        a[REVISION_HISTORY] = [a[REVISION_HISTORY], old].filter(Boolean).join(',');
        a[REVISION] = String(maxRevision + 1);
        Object.assign(a, copiedAnnotations(d.metadata.annotations));
      });
    }
    // SetNewReplicaSetAnnotations: the Deployment's annotations (kubernetes.io/change-cause…) reach its current ReplicaSet whenever they change.
    const copied = copiedAnnotations(d.metadata.annotations);
    if (Object.entries(copied).some(([k, v]) => existing.metadata.annotations?.[k] !== v)) {
      return api.mutate<ReplicaSet>('ReplicaSet', ns, existing.metadata.name!, (rs) => {
        rs.metadata.annotations = { ...rs.metadata.annotations, ...copied };
      });
    }
    return existing;
  }
  if (!create) return undefined;
  const collisions = Number((d.status as { collisionCount?: number } | undefined)?.collisionCount ?? 0);
  const hash = templateHash(d.spec.template, collisions);
  const template = structuredClone(d.spec.template);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [TEMPLATE_HASH]: hash } };
  const name = `${d.metadata.name}-${hash}`;
  const maxSurge = resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge, d.spec.replicas ?? 1, true);
  const rs: ReplicaSet = {
    apiVersion: apiVersionOf(kindInfo('ReplicaSet')!),
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: ns,
      labels: { ...template.metadata!.labels },
      annotations: {
        ...copiedAnnotations(d.metadata.annotations),
        [REVISION]: String(maxRevision + 1),
        [DESIRED_REPLICAS]: String(d.spec.replicas ?? 1),
        [MAX_REPLICAS]: String((d.spec.replicas ?? 1) + (d.spec.strategy?.type === 'Recreate' ? 0 : maxSurge)),
      },
      ownerReferences: [controllerRef(d)],
    },
    spec: {
      replicas,
      minReadySeconds: d.spec.minReadySeconds ?? 0,
      selector: { ...d.spec.selector, matchLabels: { ...d.spec.selector.matchLabels, [TEMPLATE_HASH]: hash } },
      template,
    },
  };
  try {
    const created = api.create(rs);
    if (replicas > 0) recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${replicas}`);
    ctx.progress = { reason: 'NewReplicaSetCreated', message: `Created new replica set ${JSON.stringify(name)}` };
    return created;
  } catch (err) {
    if ((err as { reason?: string }).reason !== 'AlreadyExists') throw err;
    // A hash collision: count it, and the next sync names the ReplicaSet anew.
    api.mutate<Deployment>('Deployment', ns, d.metadata.name!, (x) => {
      (x.status ??= {}).collisionCount = collisions + 1;
    }, true);
    return undefined;
  }
}

function syncDeployment(api: ApiStore, recorder: EventRecorder, ns: string, name: string, controller: Controller): void {
  const d = api.tryGet('Deployment', ns, name) as Deployment | undefined;
  if (!d || d.metadata.deletionTimestamp) return;
  const ctx: RolloutContext = { api, d, recorder, controller };
  const all = ownedReplicaSets(api, d);
  const replicas = d.spec.replicas ?? 1;
  if (d.spec.paused) {
    // Paused: no rollout; a scale still reaches the current ReplicaSet.
    const current = newReplicaSet(ctx, all, false, 0);
    if (current && all.every((rs) => rs === current || (rs.spec.replicas ?? 0) === 0) && (current.spec.replicas ?? 0) !== replicas) scaleReplicaSet(ctx, current, replicas);
  } else if (d.spec.strategy?.type === 'Recreate') {
    const old = all.filter((rs) => !sameTemplate(rs.spec.template, d.spec.template));
    for (const rs of old) if ((rs.spec.replicas ?? 0) > 0) scaleReplicaSet(ctx, rs, 0);
    // Recreate: the new pods start only once every old pod has stopped (terminating ones count until then).
    const oldUids = new Set(old.map((rs) => rs.metadata.uid));
    const oldPods = api
      .list<Pod>('Pod', { namespace: ns })
      .items.filter((p) => oldUids.has(controllerOf(p, 'ReplicaSet')?.uid) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;
    if (oldPods === 0) {
      const rs = newReplicaSet(ctx, all, true, replicas);
      if (rs && (rs.spec.replicas ?? 0) !== replicas) scaleReplicaSet(ctx, rs, replicas);
    }
  } else {
    const maxSurge = resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%', replicas, true);
    const current = all.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
    const first = Math.max(0, Math.min(replicas + maxSurge - current, replicas));
    const rs = newReplicaSet(ctx, all, true, first);
    if (rs) rollingUpdate(ctx, rs, ownedReplicaSets(api, d).filter((x) => x.metadata.uid !== rs.metadata.uid));
  }
  cleanupHistory(ctx);
  writeStatus(ctx);
}

/** Old ReplicaSets scaled to zero beyond revisionHistoryLimit go, oldest first. */
function cleanupHistory(ctx: RolloutContext): void {
  const { api, d } = ctx;
  const limit = d.spec.revisionHistoryLimit ?? 10;
  const all = ownedReplicaSets(api, d);
  const dead = all
    .filter((rs) => !sameTemplate(rs.spec.template, d.spec.template) && (rs.spec.replicas ?? 0) === 0 && ((rs.status as { replicas?: number })?.replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of dead.slice(0, Math.max(0, dead.length - limit))) api.delete('ReplicaSet', rs.metadata.namespace, rs.metadata.name!);
}

function writeStatus(ctx: RolloutContext): void {
  const { api, d } = ctx;
  const all = ownedReplicaSets(api, d);
  const current = all.find((rs) => sameTemplate(rs.spec.template, d.spec.template));
  const sum = (f: (rs: ReplicaSet) => number | undefined) => all.reduce((n, rs) => n + (f(rs) ?? 0), 0);
  const replicas = d.spec.replicas ?? 1;
  const available = sum((rs) => rs.status?.availableReplicas);
  const updated = current?.status?.replicas ?? 0;
  const maxUnavailable = d.spec.strategy?.type === 'Recreate' ? 0 : resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%', replicas, false);
  const now = timestamp(api.clock.now());
  const complete = current !== undefined && updated === replicas && available === replicas && sum((rs) => rs.status?.replicas) === replicas;
  const rsName = JSON.stringify(current?.metadata.name ?? d.metadata.name);
  const progress = d.spec.paused
    ? { status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }
    : complete
      ? { status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet ${rsName} has successfully progressed.` }
      : { status: 'True', reason: ctx.progress?.reason ?? 'ReplicaSetUpdated', message: ctx.progress?.message ?? `ReplicaSet ${rsName} is progressing.` };
  const availability = available >= replicas - maxUnavailable
    ? { status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
    : { status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' };
  api.mutate<Deployment>('Deployment', d.metadata.namespace, d.metadata.name!, (x) => {
    const prev = (x.status ?? {}) as { conditions?: Array<Record<string, string>>; collisionCount?: number };
    const cond = (type: string, c: { status: string; reason: string; message: string }) => {
      const before = prev.conditions?.find((p) => p.type === type);
      const changed = before?.status !== c.status || before?.reason !== c.reason || before?.message !== c.message;
      return { type, ...c, lastUpdateTime: changed ? now : before!.lastUpdateTime!, lastTransitionTime: before?.status === c.status ? before.lastTransitionTime! : now };
    };
    x.status = {
      observedGeneration: d.metadata.generation,
      replicas: sum((rs) => rs.status?.replicas),
      updatedReplicas: updated,
      readyReplicas: sum((rs) => rs.status?.readyReplicas),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, replicas - available),
      conditions: [cond('Available', availability), cond('Progressing', progress)],
      ...(prev.collisionCount ? { collisionCount: prev.collisionCount } : {}),
    };
  }, true);
  if (current && revisionOf(current) && d.metadata.annotations?.[REVISION] !== current.metadata.annotations?.[REVISION]) {
    api.mutate('Deployment', d.metadata.namespace, d.metadata.name!, (x) => {
      x.metadata.annotations = { ...x.metadata.annotations, [REVISION]: current.metadata.annotations![REVISION]! };
    });
  }
}
