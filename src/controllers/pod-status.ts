/**
 * A pod's status as the kubelet computes it (pkg/kubelet/kubelet_pods.go
 * getPhase, status/generate.go): the phase from its containers' states and
 * its restart policy, and the Initialized, ContainersReady, Ready and
 * PodReadyToStartContainers conditions with their reasons and messages.
 */
import type { ContainerStatus, PodCondition, PodSpec, PodStatus } from '../api/index.ts';

/** The phase (getPhase): Pending until every init container succeeded and every container started once. */
export function podPhase(spec: PodSpec, init: ContainerStatus[], main: ContainerStatus[]): NonNullable<PodStatus['phase']> {
  const policy = spec.restartPolicy ?? 'Always';
  for (const s of init) {
    if (s.state.terminated?.exitCode === 0) continue;
    if (s.state.terminated && policy === 'Never') return 'Failed';
    if (s.state.waiting?.reason === 'CrashLoopBackOff' && policy === 'Never') return 'Failed';
    return 'Pending';
  }
  let pending = 0;
  let running = 0;
  let succeeded = 0;
  let failed = 0;
  for (const s of main) {
    if (s.state.running) running++;
    else if (s.state.terminated) s.state.terminated.exitCode === 0 ? succeeded++ : failed++;
    else if (s.lastState.terminated) running++; // waiting to restart
    else pending++;
  }
  if (pending > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (failed === 0 && succeeded > 0) return policy === 'Always' ? 'Running' : 'Succeeded';
  if (policy === 'Always' || (policy === 'OnFailure' && failed > 0)) return 'Running';
  return 'Failed';
}

function condition(type: PodCondition['type'], ok: boolean, now: string, prev: PodCondition[] | undefined, reason?: string, message?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const before = prev?.find((c) => c.type === type);
  const c: PodCondition = { type, status, lastProbeTime: null, lastTransitionTime: before?.status === status ? before.lastTransitionTime ?? now : now };
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c;
}

/** The kubelet's conditions (PodScheduled is the scheduler's and is kept as it is). */
export function podConditions(phase: PodStatus['phase'], init: ContainerStatus[], main: ContainerStatus[], now: string, prev: PodCondition[] | undefined): PodCondition[] {
  const sandboxReady = phase !== 'Succeeded' && phase !== 'Failed';
  const pendingInit = init.filter((s) => s.state.terminated?.exitCode !== 0).map((s) => s.name);
  const initialized = pendingInit.length === 0;
  const unready = main.filter((s) => !s.ready).map((s) => s.name);
  const completed = phase === 'Succeeded';
  const ended = completed || phase === 'Failed';
  const readyReason = completed ? 'PodCompleted' : phase === 'Failed' ? 'PodFailed' : 'ContainersNotReady';
  const readyMessage = ended ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const out: PodCondition[] = [
    condition('PodReadyToStartContainers', sandboxReady, now, prev),
    condition('Initialized', initialized || completed, now, prev, 'ContainersNotInitialized', `containers with incomplete status: [${pendingInit.join(' ')}]`),
    condition('Ready', unready.length === 0 && !ended, now, prev, readyReason, readyMessage),
    condition('ContainersReady', unready.length === 0 && !ended, now, prev, readyReason, readyMessage),
  ];
  // A pod that completed is Initialized, for that reason.
  if (completed) out[1]!.reason = 'PodCompleted';
  const scheduled = prev?.find((c) => c.type === 'PodScheduled');
  if (scheduled) out.push(scheduled);
  return out;
}
