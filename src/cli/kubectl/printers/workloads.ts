/**
 * `kubectl get` rows of the workload kinds, as kubectl's printers compute
 * them: Deployment, ReplicaSet, DaemonSet and Job (with -o wide:
 * CONTAINERS, IMAGES, SELECTOR).
 */
import { formatSelector, fromLabelSelector, type DaemonSet, type Deployment, type Job, type KubeObject, type LabelSelector, type PodTemplateSpec, type ReplicaSet } from '../../../api/index.ts';
import { age, humanDuration } from '../../duration.ts';

type Status = Record<string, number | undefined>;
const num = (s: unknown, k: string) => Number((s as Status | undefined)?.[k] ?? 0);

/** CONTAINERS and IMAGES of a pod template, comma-separated. */
export function containerCells(template: PodTemplateSpec): [string, string] {
  const cs = template.spec.containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(',')];
}

export function selectorText(selector: LabelSelector | undefined): string {
  const text = formatSelector(fromLabelSelector(selector));
  return text || '<none>';
}

const wideCells = (template: PodTemplateSpec, selector: LabelSelector | undefined) => [...containerCells(template), selectorText(selector)];

export const WORKLOAD_TABLES = {
  Deployment: {
    columns: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row(o: KubeObject, now: number, wide: boolean): string[] {
      const d = o as Deployment;
      const row = [d.metadata.name!, `${num(d.status, 'readyReplicas')}/${d.spec.replicas ?? 1}`, String(num(d.status, 'updatedReplicas')), String(num(d.status, 'availableReplicas')), age(d.metadata.creationTimestamp, now)];
      return wide ? [...row, ...wideCells(d.spec.template, d.spec.selector)] : row;
    },
  },
  ReplicaSet: {
    columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row(o: KubeObject, now: number, wide: boolean): string[] {
      const r = o as ReplicaSet;
      const row = [r.metadata.name!, String(r.spec.replicas ?? 1), String(num(r.status, 'replicas')), String(num(r.status, 'readyReplicas')), age(r.metadata.creationTimestamp, now)];
      return wide ? [...row, ...wideCells(r.spec.template, r.spec.selector)] : row;
    },
  },
  DaemonSet: {
    columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row(o: KubeObject, now: number, wide: boolean): string[] {
      const d = o as DaemonSet;
      const s = d.status;
      const nodeSelector = Object.entries(d.spec.template.spec.nodeSelector ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',') || '<none>';
      const row = [
        d.metadata.name!,
        String(num(s, 'desiredNumberScheduled')),
        String(num(s, 'currentNumberScheduled')),
        String(num(s, 'numberReady')),
        String(num(s, 'updatedNumberScheduled')),
        String(num(s, 'numberAvailable')),
        nodeSelector,
        age(d.metadata.creationTimestamp, now),
      ];
      return wide ? [...row, ...wideCells(d.spec.template, d.spec.selector)] : row;
    },
  },
  Job: {
    columns: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row(o: KubeObject, now: number, wide: boolean): string[] {
      const j = o as Job;
      const s = (j.status ?? {}) as { succeeded?: number; startTime?: string; completionTime?: string; conditions?: Array<{ type: string; status: string }> };
      const succeeded = s.succeeded ?? 0;
      const { completions, parallelism } = j.spec;
      const completionsText =
        completions !== undefined ? `${succeeded}/${completions}` : parallelism !== undefined && parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
      const duration = !s.startTime ? '' : humanDuration((s.completionTime ? Date.parse(s.completionTime) : now) - Date.parse(s.startTime));
      const has = (t: string) => s.conditions?.some((c) => c.type === t && c.status === 'True');
      const status = has('Complete')
        ? 'Complete'
        : has('Failed')
          ? 'Failed'
          : j.metadata.deletionTimestamp
            ? 'Terminating'
            : has('Suspended')
              ? 'Suspended'
              : has('FailureTarget')
                ? 'FailureTarget'
                : has('SuccessCriteriaMet')
                  ? 'SuccessCriteriaMet'
                  : 'Running';
      const row = [j.metadata.name!, status, completionsText, duration, age(j.metadata.creationTimestamp, now)];
      return wide ? [...row, ...wideCells(j.spec.template, j.spec.selector)] : row;
    },
  },
};
