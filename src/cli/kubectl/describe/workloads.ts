/**
 * `kubectl describe` for the workload controllers (describe.go
 * describeDeployment, describeReplicaSet, describeJob, describeDaemonSet):
 * replica counts, strategy, pod template, conditions, the ReplicaSets of a
 * Deployment, the pods of a controller by phase, and events.
 */
import { fromLabelSelector, matches, type ApiStore, type DaemonSet, type Deployment, type Job, type KubeObject, type LabelSelector, type Pod, type PodTemplateSpec, type ReplicaSet } from '../../../api/index.ts';
import { humanDuration } from '../../duration.ts';
import { describePodTemplate } from './containers.ts';
import { writeEvents } from './events.ts';
import { controllerOfText, formatLabels, formatLabelSelector, intOrString, printAnnotationsMultiline, printLabelsMultiline, rfc1123z, selectorString } from './format.ts';
import { LEVEL_0, LEVEL_1, tabbed, type PrefixWriter } from './writer.ts';

type Condition = { type?: string; status?: string; reason?: string };

/** The `Conditions:` table of a Deployment or ReplicaSet: type, status and reason. */
function writeConditions(w: PrefixWriter, conditions: Condition[] | undefined): void {
  if (!conditions?.length) return;
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(LEVEL_1, '----\t------\t------\n');
  for (const c of conditions) w.write(LEVEL_1, `${c.type ?? ''} \t${c.status ?? ''}\t${c.reason ?? ''}\n`);
}

/** getPodStatusForController: the controller's own pods (by selector and controller uid), counted by phase. */
function podPhases(api: ApiStore, owner: KubeObject, selector: LabelSelector | undefined): string {
  const sel = fromLabelSelector(selector);
  let running = 0;
  let waiting = 0;
  let succeeded = 0;
  let failed = 0;
  for (const p of api.list<Pod>('Pod', { namespace: owner.metadata.namespace }).items) {
    if (!matches(sel, p.metadata.labels)) continue;
    const ref = p.metadata.ownerReferences?.find((r) => r.controller);
    if (!ref || ref.uid !== owner.metadata.uid) continue;
    const phase = p.status?.phase;
    if (phase === 'Running') running++;
    else if (phase === 'Pending') waiting++;
    else if (phase === 'Succeeded') succeeded++;
    else if (phase === 'Failed') failed++;
  }
  return `${running} Running / ${waiting} Waiting / ${succeeded} Succeeded / ${failed} Failed`;
}

/** JSON with sorted keys and without empty maps or lists (apimachinery's semantic equality treats empty as unset). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => {
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      const keys = Object.keys(x).filter((k) => !isEmpty(x[k])).sort();
      return keys.length ? Object.fromEntries(keys.map((k) => [k, x[k]])) : undefined;
    }
    return x;
  });
}
const isEmpty = (x: unknown) => x === undefined || x === null || (Array.isArray(x) && x.length === 0) || (typeof x === 'object' && x !== null && !Array.isArray(x) && Object.keys(x).length === 0);

/** deploymentutil.EqualIgnoreHash: templates equal but for the pod-template-hash label. */
function equalIgnoreHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  const strip = (t: PodTemplateSpec) => {
    const c = structuredClone(t);
    if (c.metadata?.labels) delete c.metadata.labels['pod-template-hash'];
    return canonical(c);
  };
  return strip(a) === strip(b);
}

/** deploymentutil.GetAllReplicaSets: the Deployment's ReplicaSets, oldest first; the new one is the oldest with its template. */
function replicaSetsOf(api: ApiStore, d: Deployment): { old: ReplicaSet[]; new: ReplicaSet | undefined } {
  const sel = fromLabelSelector(d.spec.selector);
  const owned = api
    .list<ReplicaSet>('ReplicaSet', { namespace: d.metadata.namespace })
    .items.filter((rs) => matches(sel, rs.metadata.labels) && rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid))
    .sort((a, b) => {
      const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
      const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
      return ta !== tb ? ta - tb : a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
    });
  const current = owned.find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
  return { old: owned.filter((rs) => rs !== current), new: current };
}

/** printReplicaSetsByLabels: `web-5d4f8 (3/3 replicas created)`, or `<none>`. */
const replicaSetList = (list: ReplicaSet[]) => list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec.replicas ?? 0} replicas created)`).join(', ') || '<none>';

export function describeDeployment(api: ApiStore, d: Deployment, events: KubeObject[] | undefined, now: number): string {
  const status = (d.status ?? {}) as { updatedReplicas?: number; replicas?: number; availableReplicas?: number; unavailableReplicas?: number; conditions?: Condition[] };
  const sets = replicaSetsOf(api, d);
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${d.metadata.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${d.metadata.namespace ?? ''}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
    printLabelsMultiline(w, 'Labels', d.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', d.metadata.annotations);
    w.write(LEVEL_0, `Selector:\t${selectorString(d.spec.selector)}\n`);
    w.write(
      LEVEL_0,
      `Replicas:\t${d.spec.replicas ?? 1} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`,
    );
    w.write(LEVEL_0, `StrategyType:\t${d.spec.strategy?.type ?? ''}\n`);
    w.write(LEVEL_0, `MinReadySeconds:\t${d.spec.minReadySeconds ?? 0}\n`);
    const ru = d.spec.strategy?.rollingUpdate;
    if (ru) w.write(LEVEL_0, `RollingUpdateStrategy:\t${ru.maxUnavailable === undefined ? '<nil>' : intOrString(ru.maxUnavailable)} max unavailable, ${ru.maxSurge === undefined ? '<nil>' : intOrString(ru.maxSurge)} max surge\n`);
    describePodTemplate(w, d.spec.template);
    writeConditions(w, status.conditions);
    if (sets.old.length || sets.new) {
      w.write(LEVEL_0, `OldReplicaSets:\t${replicaSetList(sets.old)}\n`);
      w.write(LEVEL_0, `NewReplicaSet:\t${replicaSetList(sets.new ? [sets.new] : [])}\n`);
    }
    if (events) writeEvents(w, events, now);
  });
}

export function describeReplicaSet(api: ApiStore, rs: ReplicaSet, events: KubeObject[] | undefined, now: number): string {
  const conditions = (rs.status as { conditions?: Condition[] } | undefined)?.conditions;
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${rs.metadata.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${rs.metadata.namespace ?? ''}\n`);
    w.write(LEVEL_0, `Selector:\t${formatLabelSelector(rs.spec.selector)}\n`);
    printLabelsMultiline(w, 'Labels', rs.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', rs.metadata.annotations);
    const controlledBy = controllerOfText(rs.metadata);
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
    w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas ?? 1} desired\n`);
    w.write(LEVEL_0, 'Pods Status:\t');
    w.write(LEVEL_0, `${podPhases(api, rs, rs.spec.selector)}\n`);
    describePodTemplate(w, rs.spec.template);
    writeConditions(w, conditions);
    if (events) writeEvents(w, events, now);
  });
}

/** capIndexesListOrNone: the completed indexes, cut after the first comma past 50 characters. */
function capIndexes(indexes: string | undefined, softLimit = 50): string {
  if (!indexes) return '<none>';
  let ix = softLimit;
  while (ix < indexes.length && indexes[ix] !== ',') ix++;
  return ix >= indexes.length ? indexes : `${indexes.slice(0, ix + 1)}...`;
}

export function describeJob(job: Job, events: KubeObject[] | undefined, now: number): string {
  const status = (job.status ?? {}) as { startTime?: string; completionTime?: string; active?: number; ready?: number; succeeded?: number; failed?: number; completedIndexes?: string };
  const spec = job.spec;
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${job.metadata.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${job.metadata.namespace ?? ''}\n`);
    w.write(LEVEL_0, `Selector:\t${selectorString(spec.selector)}\n`);
    printLabelsMultiline(w, 'Labels', job.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', job.metadata.annotations);
    const controlledBy = controllerOfText(job.metadata);
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
    if (spec.parallelism !== undefined) w.write(LEVEL_0, `Parallelism:\t${spec.parallelism}\n`);
    w.write(LEVEL_0, spec.completions !== undefined && spec.completions !== null ? `Completions:\t${spec.completions}\n` : 'Completions:\t<unset>\n');
    if (spec.completionMode) w.write(LEVEL_0, `Completion Mode:\t${spec.completionMode}\n`);
    if (spec.suspend !== undefined) w.write(LEVEL_0, `Suspend:\t${spec.suspend}\n`);
    if (spec.backoffLimit !== undefined) w.write(LEVEL_0, `Backoff Limit:\t${spec.backoffLimit}\n`);
    if (spec.ttlSecondsAfterFinished !== undefined) w.write(LEVEL_0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
    if (status.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
    if (status.completionTime) w.write(LEVEL_0, `Completed At:\t${rfc1123z(status.completionTime)}\n`);
    if (status.startTime && status.completionTime) w.write(LEVEL_0, `Duration:\t${humanDuration(Date.parse(status.completionTime) - Date.parse(status.startTime))}\n`);
    if (spec.activeDeadlineSeconds !== undefined) w.write(LEVEL_0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
    const counts = `${status.succeeded ?? 0} Succeeded / ${status.failed ?? 0} Failed`;
    w.write(LEVEL_0, status.ready === undefined ? `Pods Statuses:\t${status.active ?? 0} Active / ${counts}\n` : `Pods Statuses:\t${status.active ?? 0} Active (${status.ready} Ready) / ${counts}\n`);
    if (spec.completionMode === 'Indexed') w.write(LEVEL_0, `Completed Indexes:\t${capIndexes(status.completedIndexes)}\n`);
    describePodTemplate(w, spec.template);
    if (events) writeEvents(w, events, now);
  });
}

export function describeDaemonSet(api: ApiStore, ds: DaemonSet, events: KubeObject[] | undefined, now: number): string {
  const status = (ds.status ?? {}) as Record<string, number | undefined>;
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${ds.metadata.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${ds.metadata.namespace ?? ''}\n`);
    w.write(LEVEL_0, `Selector:\t${selectorString(ds.spec.selector)}\n`);
    w.write(LEVEL_0, `Node-Selector:\t${formatLabels(ds.spec.template?.spec?.nodeSelector)}\n`);
    printLabelsMultiline(w, 'Labels', ds.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', ds.metadata.annotations);
    w.write(LEVEL_0, `Desired Number of Nodes Scheduled: ${status.desiredNumberScheduled ?? 0}\n`);
    w.write(LEVEL_0, `Current Number of Nodes Scheduled: ${status.currentNumberScheduled ?? 0}\n`);
    w.write(LEVEL_0, `Number of Nodes Scheduled with Up-to-date Pods: ${status.updatedNumberScheduled ?? 0}\n`);
    w.write(LEVEL_0, `Number of Nodes Scheduled with Available Pods: ${status.numberAvailable ?? 0}\n`);
    w.write(LEVEL_0, `Number of Nodes Misscheduled: ${status.numberMisscheduled ?? 0}\n`);
    w.write(LEVEL_0, `Pods Status:\t${podPhases(api, ds, ds.spec.selector)}\n`);
    describePodTemplate(w, ds.spec.template);
    if (events) writeEvents(w, events, now);
  });
}
