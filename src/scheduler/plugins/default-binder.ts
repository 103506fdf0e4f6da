/**
 * DefaultBinder: writes the pod's binding (pods/binding) to the API, which
 * sets spec.nodeName and the PodScheduled condition at once, as the API
 * server does. Annotations a cycle leaves under BINDING_ANNOTATIONS in the
 * CycleState ride on the binding (the scheduler's explanation).
 */
import type { Handle, Plugin } from '../framework.ts';
import { Status } from '../status.ts';

export const BINDING_ANNOTATIONS = 'DefaultBinder/annotations';

export function defaultBinder(_args: unknown, handle: Handle): Plugin {
  return {
    name: 'DefaultBinder',
    bind(state, pod, nodeName) {
      try {
        handle.api.bind(pod.pod.metadata.namespace, pod.pod.metadata.name!, nodeName, { uid: pod.uid, annotations: state.read<Record<string, string>>(BINDING_ANNOTATIONS) });
        return Status.success();
      } catch (err) {
        return Status.error((err as Error).message);
      }
    },
  };
}
