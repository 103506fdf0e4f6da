/**
 * Finding the pod and container a command is about (kubectl logs, exec,
 * attach): `POD`, `pod/POD`, `deployment/NAME` (one of its pods), `-c`, or
 * the pod's default container, with kubectl's messages.
 */
import { apiErrors, fromLabelSelector, formatSelector, type Container, type KubeObject, type LabelSelector, type Pod } from '../../api/index.ts';
import { CommandError } from '../io.ts';
import type { Invocation } from '../program.ts';
import { namespaceOf } from './common.ts';
import { resourceType } from './resources.ts';

const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';

/**
 * The pod a `POD` or `TYPE/NAME` argument names (for a workload or a
 * Service: its first pod, as kubectl picks it; `say` prints kubectl logs'
 * "Found N pods, using pod/…").
 */
export function podFor(inv: Invocation, word: string, say = false): Pod {
  const api = inv.env.cluster.api;
  const ns = namespaceOf(inv);
  if (!word.includes('/')) return api.get<Pod>('Pod', ns, word);
  const slash = word.indexOf('/');
  const info = resourceType(word.slice(0, slash));
  const name = word.slice(slash + 1);
  if (info.kind === 'Pod') return api.get<Pod>('Pod', ns, name);
  const owner = api.get(info.kind, ns, name);
  const raw = (owner.spec as { selector?: LabelSelector | Record<string, string> }).selector;
  // A Service's selector is a plain map; the workloads' a LabelSelector.
  const selector = info.kind === 'Service' ? { matchLabels: raw as Record<string, string> } : (raw as LabelSelector | undefined);
  if (!selector || (info.kind === 'Service' && !Object.keys(raw ?? {}).length)) throw new CommandError(`error: cannot attach to *v1.${info.kind}: selector for *v1.${info.kind} not implemented`);
  const pods = api.list<Pod>('Pod', { namespace: ns, labelSelector: formatSelector(fromLabelSelector(selector)) }).items;
  const ranked = [...pods].sort((a, b) => rank(a) - rank(b));
  if (!ranked.length) throw new CommandError(`error: timed out waiting for the condition`);
  if (say && pods.length > 1) inv.io.err(`Found ${pods.length} pods, using pod/${ranked[0]!.metadata.name}\n`);
  return ranked[0]!;
}

/** Running and ready pods first, as kubectl's ActivePods ordering prefers them. */
const rank = (p: Pod) => (p.status?.phase === 'Running' ? 0 : p.status?.phase === 'Pending' ? 1 : 2) * 10 + (p.spec.nodeName ? 0 : 1);

/**
 * The container `-c` names, or the pod's default one: the
 * `kubectl.kubernetes.io/default-container` annotation's, else the first;
 * with kubectl's "Defaulted container" note when the pod has others.
 */
export function containerFor(inv: Invocation, pod: Pod, name: string, verb: string): Container {
  const all = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  if (name) {
    const c = all.find((x) => x.name === name);
    if (!c) throw new CommandError(verb === 'exec' ? `error: container ${name} not found in pod ${pod.metadata.name}` : `error: container ${name} is not valid for pod ${pod.metadata.name}`);
    return c;
  }
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER];
  const named = annotated ? pod.spec.containers.find((c) => c.name === annotated) : undefined;
  if (annotated && !named) inv.io.err(`Default container name "${annotated}" not found in pod ${pod.metadata.name}\n`);
  const chosen = named ?? pod.spec.containers[0]!;
  if (!named && (pod.spec.containers.length > 1 || (pod.spec.initContainers?.length ?? 0) > 0)) {
    const names = [...pod.spec.containers.map((c) => c.name), ...(pod.spec.initContainers ?? []).map((c) => `${c.name} (init)`)];
    inv.io.err(`Defaulted container "${chosen.name}" out of: ${names.join(', ')}\n`);
  }
  return chosen;
}

/** The API server's refusal to give logs of a container that has not started. */
export function waitingError(pod: KubeObject, container: string): Error {
  const statuses = [...((pod.status as Pod['status'])?.initContainerStatuses ?? []), ...((pod.status as Pod['status'])?.containerStatuses ?? [])];
  const s = statuses.find((c) => c.name === container);
  const reason = s?.state.waiting?.reason ?? 'ContainerCreating';
  // The kubelet's validateContainerLogStatus: words of its own for the commonest pending failures.
  const why = reason === 'ErrImagePull' ? "image can't be pulled" : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
  return apiErrors.badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${why}`);
}
