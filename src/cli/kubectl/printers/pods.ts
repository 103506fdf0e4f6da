/**
 * `kubectl get pods` rows, as kubectl's printPod computes them
 * (pkg/printers/internalversion/printers.go): READY counts ready running
 * containers, STATUS is the most telling reason (Init:0/1, ContainerCreating,
 * CrashLoopBackOff, Completed, Error, Terminating…), RESTARTS shows when the
 * last restart was.
 */
import type { Container, ContainerStatus, Pod } from '../../../api/index.ts';
import { age } from '../../duration.ts';

const isRestartableInit = (c: Container | undefined) => c?.restartPolicy === 'Always';

/** READY, STATUS and RESTARTS of a pod, as printPod gives them. */
export function podState(pod: Pod, now: number): { ready: string; status: string; restarts: string } {
  const spec = pod.spec;
  const status = pod.status ?? {};
  let restarts = 0;
  let restartableRestarts = 0;
  let total = spec.containers.length;
  let ready = 0;
  let lastRestart = 0;
  let lastRestartableRestart = 0;
  let reason: string = status.phase ?? 'Pending';
  if (status.reason) reason = status.reason;
  if (status.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';
  const inits = new Map((spec.initContainers ?? []).map((c) => [c.name, c]));
  for (const c of spec.initContainers ?? []) if (isRestartableInit(c)) total++;
  const finishedAt = (s: ContainerStatus) => (s.lastState?.terminated?.finishedAt ? Date.parse(s.lastState.terminated.finishedAt) : 0);

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount;
    lastRestart = Math.max(lastRestart, finishedAt(c));
    const restartable = isRestartableInit(inits.get(c.name));
    if (restartable) {
      restartableRestarts += c.restartCount;
      lastRestartableRestart = Math.max(lastRestartableRestart, finishedAt(c));
    }
    const t = c.state.terminated;
    if (t && t.exitCode === 0) continue;
    if (restartable && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (t) reason = t.reason ? `Init:${t.reason}` : `Init:ExitCode:${t.exitCode}`;
    else if (c.state.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${spec.initContainers?.length ?? 0}`;
    initializing = true;
    break;
  }
  const initialized = status.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount;
      lastRestart = Math.max(lastRestart, finishedAt(c));
      const t = c.state.terminated;
      if (c.state.waiting?.reason) reason = c.state.waiting.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = `ExitCode:${t.exitCode}`;
      else if (c.ready && c.state.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';
  const restartText = restarts !== 0 && lastRestart ? `${restarts} (${age(new Date(lastRestart).toISOString(), now)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartText };
}

export const POD_COLUMNS = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
export const POD_WIDE_COLUMNS = ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'];

export function podRow(pod: Pod, now: number, wide: boolean): string[] {
  const s = podState(pod, now);
  const row = [pod.metadata.name!, s.ready, s.status, s.restarts, age(pod.metadata.creationTimestamp, now)];
  if (wide) {
    const gates = (pod.spec as { readinessGates?: Array<{ conditionType: string }> }).readinessGates ?? [];
    const trueConditions = new Set((pod.status?.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type as string));
    const readinessGates = gates.length ? `${gates.filter((g) => trueConditions.has(g.conditionType)).length}/${gates.length}` : '<none>';
    row.push(pod.status?.podIP || '<none>', pod.spec.nodeName || '<none>', pod.status?.nominatedNodeName || '<none>', readinessGates);
  }
  return row;
}
