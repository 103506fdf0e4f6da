/**
 * Each kind's rules for the store (the API server's registry strategies):
 * defaulting, the status a new object starts with, validation on create and
 * update, and how long a deletion waits.
 */
import { admitPod, admitService } from './admission.ts';
import { DEFAULTS } from './defaults.ts';
import type { FieldError } from './errors.ts';
import type { KubeObject } from './meta.ts';
import type { KindStrategy } from './store.ts';
import type { Container, Pod, PodSpec } from './types.ts';
import { configMapErrors, eventErrors, metadataErrors, nodeErrors, priorityClassErrors, secretErrors, serviceErrors } from './validation/core.ts';
import { podSpecErrors, podUpdateErrors } from './validation/pod.ts';
import { daemonSetErrors, deploymentErrors, jobErrors, replicaSetErrors, workloadUpdateErrors } from './validation/workloads.ts';

/** The pod's QoS class (qos.GetPodQOS): Guaranteed, Burstable or BestEffort. */
export function qosClass(spec: PodSpec): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const all: Container[] = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  const any = all.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = all.every((c) => {
    const l = c.resources?.limits ?? {};
    const r = c.resources?.requests ?? {};
    return ['cpu', 'memory'].every((k) => l[k] !== undefined && (r[k] === undefined || r[k] === l[k]));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const specOf = (o: KubeObject) => (o.spec ?? {}) as Record<string, any>;

const VALIDATE: Record<string, (o: KubeObject) => FieldError[]> = {
  Pod: (o) => podSpecErrors('spec', o.spec as PodSpec),
  Deployment: (o) => deploymentErrors(specOf(o)),
  ReplicaSet: (o) => replicaSetErrors(specOf(o)),
  DaemonSet: (o) => daemonSetErrors(specOf(o)),
  Job: (o) => jobErrors(specOf(o)),
  ConfigMap: configMapErrors,
  Secret: secretErrors,
  Service: serviceErrors,
  Node: nodeErrors,
  PriorityClass: priorityClassErrors,
  Event: eventErrors,
};

const INITIAL_STATUS: Record<string, (o: KubeObject) => unknown> = {
  Pod: (o) => ({ phase: 'Pending', qosClass: qosClass(o.spec as PodSpec) }),
  Deployment: () => ({}),
  ReplicaSet: () => ({ replicas: 0 }),
  DaemonSet: () => ({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }),
  Job: () => ({}),
  Namespace: () => ({ phase: 'Active' }),
  Service: () => ({ loadBalancer: {} }),
};

function strategyFor(kind: string): KindStrategy {
  return {
    defaults: DEFAULTS[kind],
    initialStatus: INITIAL_STATUS[kind],
    admit: kind === 'Pod' ? admitPod : kind === 'Service' ? admitService : undefined,
    validate: (o) => [...metadataErrors(o), ...(VALIDATE[kind]?.(o) ?? [])],
    validateUpdate: (next, prev) => {
      if (kind === 'Pod') return podUpdateErrors(next.spec as PodSpec, prev.spec as PodSpec);
      return workloadUpdateErrors(kind, specOf(next), specOf(prev));
    },
    deletionGrace: kind === 'Pod' ? podDeletionGrace : undefined,
  };
}

/**
 * Seconds a pod's deletion waits for its kubelet: its grace period while it
 * is on a node and not finished; an unscheduled or finished pod goes at once.
 */
function podDeletionGrace(o: KubeObject, requested: number | undefined): number {
  const pod = o as Pod;
  if (!pod.spec.nodeName) return 0;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
  return Math.max(0, requested ?? pod.spec.terminationGracePeriodSeconds ?? 30);
}

export const STRATEGIES: Record<string, KindStrategy> = Object.fromEntries(
  ['Pod', 'Deployment', 'ReplicaSet', 'DaemonSet', 'Job', 'ConfigMap', 'Secret', 'Service', 'Node', 'Namespace', 'PriorityClass', 'Event', 'Endpoints', 'EndpointSlice', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].map((k) => [k, strategyFor(k)]),
);
