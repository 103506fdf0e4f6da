/**
 * A Deployment's RollingUpdate step (pkg/controller/deployment/rolling.go):
 * scale the new ReplicaSet up as far as maxSurge allows, then scale the old
 * ones down as far as maxUnavailable allows: first their unhealthy pods,
 * then the oldest ReplicaSets first. Each scale is a ScalingReplicaSet event.
 */
import type { ApiStore, Deployment, ReplicaSet } from '../api/index.ts';
import type { Controller } from './controller.ts';
import { DESIRED_REPLICAS, MAX_REPLICAS, resolveIntOrPercent } from './deployment-util.ts';
import type { EventRecorder } from './events.ts';

export interface RolloutContext {
  api: ApiStore;
  d: Deployment;
  recorder: EventRecorder;
  controller: Controller;
  /** Set when this sync created the new ReplicaSet (the Progressing condition says so). */
  progress?: { reason: string; message: string };
}

const specReplicas = (rs: ReplicaSet) => rs.spec.replicas ?? 0;
const available = (rs: ReplicaSet) => rs.status?.availableReplicas ?? 0;

export function scaleReplicaSet(ctx: RolloutContext, rs: ReplicaSet, to: number): ReplicaSet {
  const from = specReplicas(rs);
  if (from === to) return rs;
  const { d } = ctx;
  const maxSurge = resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge, d.spec.replicas ?? 1, true);
  const scaled = ctx.api.mutate<ReplicaSet>('ReplicaSet', rs.metadata.namespace, rs.metadata.name!, (x) => {
    x.spec.replicas = to;
    x.metadata.annotations = { ...x.metadata.annotations, [DESIRED_REPLICAS]: String(d.spec.replicas ?? 1), [MAX_REPLICAS]: String((d.spec.replicas ?? 1) + maxSurge) };
  });
  ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`);
  return scaled;
}

export function rollingUpdate(ctx: RolloutContext, newRS: ReplicaSet, old: ReplicaSet[]): void {
  const { d } = ctx;
  const replicas = d.spec.replicas ?? 1;
  let maxSurge = resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%', replicas, true);
  let maxUnavailable = resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%', replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  maxSurge = Math.max(0, maxSurge);

  // The new ReplicaSet: up within maxSurge, or down to the replicas wanted.
  const all = () => [newRS, ...old];
  const total = () => all().reduce((n, rs) => n + specReplicas(rs), 0);
  if (specReplicas(newRS) > replicas) newRS = scaleReplicaSet(ctx, newRS, replicas);
  else if (specReplicas(newRS) < replicas) {
    const room = replicas + maxSurge - total();
    if (room > 0) newRS = scaleReplicaSet(ctx, newRS, specReplicas(newRS) + Math.min(room, replicas - specReplicas(newRS)));
  }

  // The old ones: down as far as availability allows.
  if (old.reduce((n, rs) => n + specReplicas(rs), 0) === 0) return;
  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = specReplicas(newRS) - available(newRS);
  let budget = total() - minAvailable - newUnavailable;
  if (budget <= 0) return;
  const oldest = [...old].sort((a, b) => Date.parse(a.metadata.creationTimestamp!) - Date.parse(b.metadata.creationTimestamp!) || a.metadata.name!.localeCompare(b.metadata.name!));
  // Unhealthy old pods first: they count for nothing.
  for (let i = 0; i < oldest.length && budget > 0; i++) {
    const rs = oldest[i]!;
    const unhealthy = specReplicas(rs) - available(rs);
    if (unhealthy <= 0) continue;
    const down = Math.min(budget, unhealthy);
    oldest[i] = scaleReplicaSet(ctx, rs, specReplicas(rs) - down);
    budget -= down;
  }
  const availableNow = all().reduce((n, rs) => n + available(rs), 0);
  let scaleDown = availableNow - minAvailable;
  for (let i = 0; i < oldest.length && scaleDown > 0; i++) {
    const rs = oldest[i]!;
    const down = Math.min(specReplicas(rs), scaleDown);
    if (down === 0) continue;
    oldest[i] = scaleReplicaSet(ctx, rs, specReplicas(rs) - down);
    scaleDown -= down;
  }
}
