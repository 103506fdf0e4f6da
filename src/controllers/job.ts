/**
 * The Job controller (pkg/controller/job), NonIndexed and Indexed: runs
 * pods until `completions` succeed, `parallelism` at a time; counts each
 * finished pod once (through the batch.kubernetes.io/job-tracking
 * finalizer, as upstream does); fails the Job past backoffLimit (a failed
 * pod, or a container restart under OnFailure, counts) or past
 * activeDeadlineSeconds; waits 10 s doubling (to 10 min) before replacing
 * failed pods; honours suspend; and deletes a finished Job after
 * ttlSecondsAfterFinished. Conditions, status and events as upstream.
 */
import { timestamp, type ApiStore, type Job, type Pod } from '../api/index.ts';
import { Controller, isPodActive, isPodReady } from './controller.ts';
import { eventRecorder, type EventRecorder } from './events.ts';
import { claimPods, podFromTemplate } from './replicaset.ts';

export const JOB_TRACKING = 'batch.kubernetes.io/job-tracking';
const INDEX = 'batch.kubernetes.io/job-completion-index';
const POD_BACKOFF_S = 10;
const MAX_POD_BACKOFF_S = 600;

interface JobStatus {
  startTime?: string;
  completionTime?: string;
  active?: number;
  ready?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  completedIndexes?: string;
  conditions?: Array<{ type: string; status: string; reason?: string; message?: string; lastProbeTime?: string; lastTransitionTime?: string }>;
  uncountedTerminatedPods?: Record<string, string[]>;
}

const finished = (s: JobStatus) => s.conditions?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') ?? false;

/** `0-2,5`: completed indexes as the API writes them. */
function formatIndexes(indexes: number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

function parseIndexes(text: string | undefined): number[] {
  const out: number[] = [];
  for (const part of (text ?? '').split(',').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number) as [number, number | undefined];
    for (let i = a; i <= (b ?? a); i++) out.push(i);
  }
  return out;
}

function dropTracking(api: ApiStore, p: Pod): void {
  api.mutate('Pod', p.metadata.namespace, p.metadata.name!, (x) => (x.metadata.finalizers = x.metadata.finalizers?.filter((f) => f !== JOB_TRACKING)));
}

/** The Job is gone: its pods lose the tracking finalizer, so they can go too. */
function releasePods(api: ApiStore, ns: string, name: string): void {
  for (const p of api.list<Pod>('Pod', { namespace: ns, labelSelector: `batch.kubernetes.io/job-name=${name}` }).items) {
    if (p.metadata.finalizers?.includes(JOB_TRACKING)) dropTracking(api, p);
  }
}

export class JobController extends Controller {
  constructor(api: ApiStore) {
    const recorder = eventRecorder(api, 'job-controller');
    super(api, 'Job', ['Pod'], (ns, name) => syncJob(api, recorder, ns, name, this));
  }
}

function syncJob(api: ApiStore, recorder: EventRecorder, ns: string, name: string, controller: Controller): void {
  const job = api.tryGet('Job', ns, name) as Job | undefined;
  if (!job) return releasePods(api, ns, name);
  // Being deleted: its pods let go of the tracking finalizer, so the cascade can finish.
  if (job.metadata.deletionTimestamp) {
    for (const p of claimPods(api, job, job.spec.selector)) if (p.metadata.finalizers?.includes(JOB_TRACKING)) dropTracking(api, p);
    return;
  }
  const key = `${ns}/${name}`;
  const now = api.clock.now();
  const status: JobStatus = structuredClone((job.status ?? {}) as JobStatus);
  const spec = job.spec;
  const indexed = spec.completionMode === 'Indexed';
  const pods = claimPods(api, job, spec.selector);

  // Count each finished pod once, then let it go (its finalizer is what marks it uncounted).
  const completed = parseIndexes(status.completedIndexes);
  const wasFinished = finished(status);
  for (const p of pods) {
    const phase = p.status?.phase;
    if ((phase === 'Succeeded' || phase === 'Failed' || p.metadata.deletionTimestamp) && p.metadata.finalizers?.includes(JOB_TRACKING)) {
      if (phase === 'Succeeded') {
        status.succeeded = (status.succeeded ?? 0) + 1;
        if (indexed) completed.push(Number(p.metadata.annotations?.[INDEX]));
      } else if (!wasFinished) status.failed = (status.failed ?? 0) + 1;
      dropTracking(api, p);
    }
  }
  if (indexed) status.completedIndexes = formatIndexes(completed);
  const active = pods.filter(isPodActive);
  status.startTime ??= timestamp(now);
  const conditions = (status.conditions ??= []);
  const setCondition = (type: string, reason: string, message: string) => {
    if (!conditions.some((c) => c.type === type)) conditions.push({ type, status: 'True', reason, message, lastProbeTime: timestamp(now), lastTransitionTime: timestamp(now) });
  };

  if (!finished(status)) {
    const completions = spec.completions ?? (indexed ? 1 : undefined);
    const succeeded = indexed ? new Set(completed).size : status.succeeded ?? 0;
    const restarts = spec.template.spec.restartPolicy === 'OnFailure' ? active.reduce((n, p) => n + Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount)), 0) : 0;
    const deadline = spec.activeDeadlineSeconds && Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000;
    let failure: [string, string] | undefined;
    if ((status.failed ?? 0) + restarts > (spec.backoffLimit ?? 6)) failure = ['BackoffLimitExceeded', 'Job has reached the specified backoff limit'];
    else if (deadline && now >= deadline) failure = ['DeadlineExceeded', 'Job was active longer than specified deadline'];
    if (failure) {
      setCondition('FailureTarget', ...failure);
      setCondition('Failed', ...failure);
      recorder.event(job, 'Warning', failure[0], failure[1]);
    } else if (completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0) {
      setCondition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods');
      setCondition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods');
      status.completionTime = timestamp(now);
      recorder.event(job, 'Normal', 'Completed', 'Job completed');
    } else if (!spec.suspend) {
      if (deadline) controller.queue.addAfter(key, deadline - now);
      const failedPods = pods.filter((p) => p.status?.phase === 'Failed');
      createPods(api, recorder, job, status, active, completions, succeeded, indexed ? new Set(completed) : undefined, failedPods, controller, key);
    }
  }
  // A finished or suspended Job keeps no running pods.
  if (finished(status) || spec.suspend) {
    for (const p of active) {
      api.delete('Pod', ns, p.metadata.name!);
      recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
    }
  }
  const live = claimPods(api, job, spec.selector);
  status.active = live.filter(isPodActive).length;
  status.ready = live.filter((p) => isPodActive(p) && isPodReady(p)).length;
  status.terminating = live.filter((p) => p.metadata.deletionTimestamp).length;
  status.succeeded ??= 0;
  status.failed ??= 0;
  status.uncountedTerminatedPods = {};
  api.mutate('Job', ns, name, (x) => (x.status = status), true);
  // ttlSecondsAfterFinished (the TTL-after-finished controller): the Job and its pods go.
  const end = status.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.lastTransitionTime;
  if (end && spec.ttlSecondsAfterFinished !== undefined) {
    const at = Date.parse(end) + spec.ttlSecondsAfterFinished * 1000;
    if (now >= at) api.delete('Job', ns, name, { propagationPolicy: 'Foreground' });
    else controller.queue.addAfter(key, at - now);
  }
}

function createPods(
  api: ApiStore,
  recorder: EventRecorder,
  job: Job,
  status: JobStatus,
  active: Pod[],
  completions: number | undefined,
  succeeded: number,
  completedIndexes: Set<number> | undefined,
  failedPods: Pod[],
  controller: Controller,
  key: string,
): void {
  const parallelism = job.spec.parallelism ?? 1;
  const remaining = completions === undefined ? (succeeded > 0 ? 0 : parallelism) : completions - succeeded;
  const want = Math.min(parallelism, remaining) - active.length;
  if (want <= 0) return;
  // Failed pods are replaced after 10 s doubling per failure, counted from the last failure.
  const lastFailure = Math.max(0, ...failedPods.map((p) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => Date.parse(c.state.terminated?.finishedAt ?? '') || 0))));
  if (status.failed && lastFailure) {
    const wait = Math.min(POD_BACKOFF_S * 2 ** (status.failed - 1), MAX_POD_BACKOFF_S) * 1000;
    const at = lastFailure + wait;
    if (api.clock.now() < at) {
      controller.queue.addAfter(key, at - api.clock.now());
      return;
    }
  }
  const busy = new Set(active.map((p) => Number(p.metadata.annotations?.[INDEX])));
  for (let n = 0, index = 0; n < want; n++) {
    const pod = podFromTemplate(job, job.spec.template);
    pod.metadata.finalizers = [JOB_TRACKING];
    if (completedIndexes) {
      while (completedIndexes.has(index) || busy.has(index)) index++;
      if (index >= (completions ?? 1)) break;
      pod.metadata.annotations = { ...pod.metadata.annotations, [INDEX]: String(index) };
      pod.metadata.labels = { ...pod.metadata.labels, [INDEX]: String(index) };
      pod.metadata.generateName = `${job.metadata.name}-${index}-`;
      pod.spec.hostname = `${job.metadata.name}-${index}`;
      for (const c of pod.spec.containers) c.env = [...(c.env ?? []), { name: 'JOB_COMPLETION_INDEX', value: String(index) }];
      busy.add(index);
    }
    try {
      const created = api.create(pod);
      recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    } catch (err) {
      recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
      throw err; // the work queue tries again, with backoff
    }
  }
}
