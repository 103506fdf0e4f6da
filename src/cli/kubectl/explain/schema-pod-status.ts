/** PodStatus and the container states the kubelet reports (core/v1). */
import type { TypeDoc } from './schema.ts';

export const POD_STATUS_TYPES: Record<string, TypeDoc> = {
  PodStatus: {
    description: 'PodStatus represents information about the status of a pod. Status may trail the actual state of a system, especially if the node that hosts the pod cannot contact the control plane.',
    fields: {
      conditions: { type: '[]PodCondition', description: 'Current service state of pod. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions' },
      containerStatuses: { type: '[]ContainerStatus', description: 'Statuses of containers in this pod. Each container in the pod should have at most one status in this list, and all statuses should be for containers in the pod. However this is not enforced. If a status for a non-existent container is present in the list, or the list has duplicate names, the behavior of various Kubernetes components is not defined and those statuses might be ignored. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-and-container-status' },
      hostIP: { type: 'string', description: 'hostIP holds the IP address of the host to which the pod is assigned. Empty if the pod has not started yet. A pod can be assigned to a node that has a problem in kubelet which in turns mean that HostIP will not be updated even if there is a node is assigned to pod' },
      initContainerStatuses: { type: '[]ContainerStatus', description: 'Statuses of init containers in this pod. The most recent successful non-restartable init container will have ready = true, the most recently started container will have startTime set. Each init container in the pod should have at most one status in this list, and all statuses should be for containers in the pod. However this is not enforced. If a status for a non-existent container is present in the list, or the list has duplicate names, the behavior of various Kubernetes components is not defined and those statuses might be ignored. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-and-container-status' },
      message: { type: 'string', description: 'A human readable message indicating details about why the pod is in this condition.' },
      nominatedNodeName: { type: 'string', description: 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.' },
      phase: { type: 'string', enum: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'], description: 'The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle. The conditions array, the reason and message fields, and the individual container status arrays contain more detail about the pod\'s status. There are five possible phase values:\n\nPending: The pod has been accepted by the Kubernetes system, but one or more of the container images has not been created. This includes time before being scheduled as well as time spent downloading images over the network, which could take a while. Running: The pod has been bound to a node, and all of the containers have been created. At least one container is still running, or is in the process of starting or restarting. Succeeded: All containers in the pod have terminated in success, and will not be restarted. Failed: All containers in the pod have terminated, and at least one container has terminated in failure. The container either exited with non-zero status or was terminated by the system. Unknown: For some reason the state of the pod could not be obtained, typically due to an error in communicating with the host of the pod.\n\nMore info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-phase\n\nPossible enum values:\n - `"Failed"` means that all containers in the pod have terminated, and at least one container has terminated in a failure (exited with a non-zero exit code or was stopped by the system).\n - `"Pending"` means the pod has been accepted by the system, but one or more of the containers has not been started. This includes time before being bound to a node, as well as time spent pulling images onto the host.\n - `"Running"` means the pod has been bound to a node and all of the containers have been started. At least one container is still running or is in the process of being restarted.\n - `"Succeeded"` means that all containers in the pod have voluntarily terminated with a container exit code of 0, and the system is not going to restart any of these containers.\n - `"Unknown"` means that for some reason the state of the pod could not be obtained, typically due to an error in communicating with the host of the pod. Deprecated: It isn\'t being set since 2015 (74da3b14b0c0f658b3bb8d2def5094686d0e9095)' },
      podIP: { type: 'string', description: 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.' },
      qosClass: { type: 'string', enum: ['BestEffort', 'Burstable', 'Guaranteed'], description: 'The Quality of Service (QOS) classification assigned to the pod based on resource requirements See PodQOSClass type for available QOS classes More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/#quality-of-service-classes\n\nPossible enum values:\n - `"BestEffort"` is the BestEffort qos class.\n - `"Burstable"` is the Burstable qos class.\n - `"Guaranteed"` is the Guaranteed qos class.' },
      reason: { type: 'string', description: 'A brief CamelCase message indicating details about why the pod is in this state. e.g. \'Evicted\'' },
      startTime: { type: 'Time', description: 'RFC 3339 date and time at which the object was acknowledged by the Kubelet. This is before the Kubelet pulled the container image(s) for the pod.' },
    },
  },
  PodCondition: {
    description: 'PodCondition contains details for the current condition of this pod.',
    fields: {
      lastProbeTime: { type: 'Time', description: 'Last time we probed the condition.' },
      lastTransitionTime: { type: 'Time', description: 'Last time the condition transitioned from one status to another.' },
      message: { type: 'string', description: 'Human-readable message indicating details about last transition.' },
      reason: { type: 'string', description: 'Unique, one-word, CamelCase reason for the condition\'s last transition.' },
      status: { type: 'string', required: true, description: 'Status is the status of the condition. Can be True, False, Unknown. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions' },
      type: { type: 'string', required: true, description: 'Type is the type of the condition. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions' },
    },
  },
  ContainerStatus: {
    description: 'ContainerStatus contains details for the current status of this container.',
    fields: {
      containerID: { type: 'string', description: 'ContainerID is the ID of the container in the format \'<type>://<container_id>\'. Where type is a container runtime identifier, returned from Version call of CRI API (for example "containerd").' },
      image: { type: 'string', required: true, description: 'Image is the name of container image that the container is running. The container image may not match the image used in the PodSpec, as it may have been resolved by the runtime. More info: https://kubernetes.io/docs/concepts/containers/images.' },
      imageID: { type: 'string', required: true, description: 'ImageID is the image ID of the container\'s image. The image ID may not match the image ID of the image used in the PodSpec, as it may have been resolved by the runtime.' },
      lastState: { type: 'ContainerState', description: 'LastTerminationState holds the last termination state of the container to help debug container crashes and restarts. This field is not populated if the container is still running and RestartCount is 0.' },
      name: { type: 'string', required: true, description: 'Name is a DNS_LABEL representing the unique name of the container. Each container in a pod must have a unique name across all container types. Cannot be updated.' },
      ready: { type: 'boolean', required: true, description: 'Ready specifies whether the container is currently passing its readiness check. The value will change as readiness probes keep executing. If no readiness probes are specified, this field defaults to true once the container is fully started (see Started field).\n\nThe value is typically used to determine whether a container is ready to accept traffic.' },
      restartCount: { type: 'integer', required: true, description: 'RestartCount holds the number of times the container has been restarted. Kubelet makes an effort to always increment the value, but there are cases when the state may be lost due to node restarts and then the value may be reset to 0. The value is never negative.' },
      started: { type: 'boolean', description: 'Started indicates whether the container has finished its postStart lifecycle hook and passed its startup probe. Initialized as false, becomes true after startupProbe is considered successful. Resets to false when the container is restarted, or if kubelet loses state temporarily. In both cases, startup probes will run again. Is always true when no startupProbe is defined and container is running and has passed the postStart lifecycle hook. The null value must be treated the same as false.' },
      state: { type: 'ContainerState', description: 'State holds details about the container\'s current condition.' },
    },
  },
  ContainerState: {
    description: 'ContainerState holds a possible state of container. Only one of its members may be specified. If none of them is specified, the default one is ContainerStateWaiting.',
    fields: {
      running: { type: 'ContainerStateRunning', description: 'Details about a running container' },
      terminated: { type: 'ContainerStateTerminated', description: 'Details about a terminated container' },
      waiting: { type: 'ContainerStateWaiting', description: 'Details about a waiting container' },
    },
  },
  ContainerStateWaiting: {
    description: 'ContainerStateWaiting is a waiting state of a container.',
    fields: {
      message: { type: 'string', description: 'Message regarding why the container is not yet running.' },
      reason: { type: 'string', description: '(brief) reason the container is not yet running.' },
    },
  },
  ContainerStateRunning: {
    description: 'ContainerStateRunning is a running state of a container.',
    fields: {
      startedAt: { type: 'Time', description: 'Time at which the container was last (re-)started' },
    },
  },
  ContainerStateTerminated: {
    description: 'ContainerStateTerminated is a terminated state of a container.',
    fields: {
      containerID: { type: 'string', description: 'Container\'s ID in the format \'<type>://<container_id>\'' },
      exitCode: { type: 'integer', required: true, description: 'Exit status from the last termination of the container' },
      finishedAt: { type: 'Time', description: 'Time at which the container last terminated' },
      message: { type: 'string', description: 'Message regarding the last termination of the container' },
      reason: { type: 'string', description: '(brief) reason from the last termination of the container' },
      startedAt: { type: 'Time', description: 'Time at which previous execution of the container started' },
    },
  },
};
