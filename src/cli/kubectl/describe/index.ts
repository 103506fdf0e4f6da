/**
 * `kubectl describe` as text (k8s.io/kubectl/pkg/describe/describe.go):
 * one object, with what kubectl gathers around it (its events, a
 * Deployment's ReplicaSets, a controller's pods, a node's pods), printed
 * line for line as kubectl prints it. Times are shown in UTC; ages are
 * counted at `now`.
 */
import type { ApiStore, DaemonSet, Deployment, Job, KubeObject, Node, Pod, PodTemplateSpec, ReplicaSet } from '../../../api/index.ts';
import { describePodTemplate } from './containers.ts';
import { eventsFor } from './events.ts';
import { describeNode } from './node.ts';
import { describeConfigMap, describeGeneric, describeNamespace, describePriorityClass, describeSecret, describeService } from './others.ts';
import { describePod } from './pod.ts';
import { describeDaemonSet, describeDeployment, describeJob, describeReplicaSet } from './workloads.ts';
import { PrefixWriter } from './writer.ts';

export { describeEvents, eventsFor } from './events.ts';
export { tabwrite } from './writer.ts';

/** A Pod template as `kubectl rollout history --revision=N` prints it: DescribePodTemplate over a plain buffer (tabs, not columns). */
export function podTemplateText(template: PodTemplateSpec): string {
  const w = new PrefixWriter({ aligned: false });
  describePodTemplate(w, template);
  return w.toString();
}

/** The description of `obj` (as stored in `api`), ending with its events where kubectl shows them. */
export function describe(api: ApiStore, obj: KubeObject, now: number, showEvents = true): string {
  const events = () => (showEvents ? eventsFor(api, obj) : undefined);
  switch (obj.kind) {
    case 'Pod':
      return describePod(obj as Pod, events(), now);
    case 'Node':
      return describeNode(api, obj as Node, events(), now);
    case 'Deployment':
      return describeDeployment(api, obj as Deployment, events(), now);
    case 'ReplicaSet':
      return describeReplicaSet(api, obj as ReplicaSet, events(), now);
    case 'Job':
      return describeJob(obj as Job, events(), now);
    case 'DaemonSet':
      return describeDaemonSet(api, obj as DaemonSet, events(), now);
    case 'Service':
      return describeService(api, obj, events(), now);
    case 'Namespace':
      return describeNamespace(obj);
    case 'ConfigMap':
      return describeConfigMap(obj, events(), now);
    case 'Secret':
      return describeSecret(obj);
    case 'PriorityClass':
      return describePriorityClass(obj, events(), now);
    default:
      // Event and any other kind: kubectl's generic describer.
      return describeGeneric(obj, events(), now);
  }
}
