/**
 * Pod, PodSpec, Container and the volume types podplay runs, with the
 * API's OpenAPI descriptions (core/v1).
 */
import type { TypeDoc } from './schema.ts';
import { TYPE_META } from './schema-meta.ts';

export const POD_TYPES: Record<string, TypeDoc> = {
  Pod: {
    description: 'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
    fields: {
      apiVersion: TYPE_META.apiVersion,
      kind: TYPE_META.kind,
      metadata: { type: 'ObjectMeta', description: 'Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' },
      spec: { type: 'PodSpec', description: 'Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' },
      status: { type: 'PodStatus', description: 'Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' },
    },
  },
  PodSpec: {
    description: 'PodSpec is a description of a pod.',
    fields: {
      activeDeadlineSeconds: { type: 'integer', description: 'Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers. Value must be a positive integer.' },
      affinity: { type: 'Affinity', description: 'If specified, the pod\'s scheduling constraints' },
      containers: { type: '[]Container', required: true, description: 'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.' },
      dnsPolicy: { type: 'string', enum: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'], description: 'Set DNS policy for the pod. Defaults to "ClusterFirst". Valid values are \'ClusterFirstWithHostNet\', \'ClusterFirst\', \'Default\' or \'None\'. DNS parameters given in DNSConfig will be merged with the policy selected with DNSPolicy. To have DNS options set along with hostNetwork, you have to specify DNS policy explicitly to \'ClusterFirstWithHostNet\'.\n\nPossible enum values:\n - `"ClusterFirst"` indicates that the pod should use cluster DNS first unless hostNetwork is true, if it is available, then fall back on the default (as determined by kubelet) DNS settings.\n - `"ClusterFirstWithHostNet"` indicates that the pod should use cluster DNS first, if it is available, then fall back on the default (as determined by kubelet) DNS settings.\n - `"Default"` indicates that the pod should use the default (as determined by kubelet) DNS settings.\n - `"None"` indicates that the pod should use empty DNS settings. DNS parameters such as nameservers and search paths should be defined via DNSConfig.' },
      enableServiceLinks: { type: 'boolean', description: 'EnableServiceLinks indicates whether information about services should be injected into pod\'s environment variables, matching the syntax of Docker links. Optional: Defaults to true.' },
      hostname: { type: 'string', description: 'Specifies the hostname of the Pod If not specified, the pod\'s hostname will be set to a system-defined value.' },
      initContainers: { type: '[]Container', description: 'List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started. If any init container fails, the pod is considered to have failed and is handled according to its restartPolicy. The name for an init container or normal container must be unique among all containers. Init containers may not have Lifecycle actions, Readiness probes, Liveness probes, or Startup probes. The resourceRequirements of an init container are taken into account during scheduling by finding the highest request/limit for each resource type, and then using the max of that value or the sum of the normal containers. Limits are applied to init containers in a similar fashion. Init containers cannot currently be added or removed. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/init-containers/' },
      nodeName: { type: 'string', description: 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename' },
      nodeSelector: { type: 'map[string]string', description: 'NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node\'s labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/' },
      overhead: { type: 'map[string]Quantity', description: 'Overhead represents the resource overhead associated with running a pod for a given RuntimeClass. This field will be autopopulated at admission time by the RuntimeClass admission controller. If the RuntimeClass admission controller is enabled, overhead must not be set in Pod create requests. The RuntimeClass admission controller will reject Pod create requests which have the overhead already set. If RuntimeClass is configured and selected in the PodSpec, Overhead will be set to the value defined in the corresponding RuntimeClass, otherwise it will remain unset and treated as zero. More info: https://git.k8s.io/enhancements/keps/sig-node/688-pod-overhead/README.md' },
      preemptionPolicy: { type: 'string', enum: ['Never', 'PreemptLowerPriority'], description: 'PreemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.\n\nPossible enum values:\n - `"Never"` means that pod never preempts other pods with lower priority.\n - `"PreemptLowerPriority"` means that pod can preempt other pods with lower priority.' },
      priority: { type: 'integer', description: 'The priority value. Various system components use this field to find the priority of the pod. When Priority Admission Controller is enabled, it prevents users from setting this field. The admission controller populates this field from PriorityClassName. The higher the value, the higher the priority.' },
      priorityClassName: { type: 'string', description: 'If specified, indicates the pod\'s priority. "system-node-critical" and "system-cluster-critical" are two special keywords which indicate the highest priorities with the former being the highest priority. Any other name must be defined by creating a PriorityClass object with that name. If not specified, the pod priority will be default or zero if there is no default.' },
      restartPolicy: { type: 'string', enum: ['Always', 'Never', 'OnFailure'], description: 'Restart policy for all containers within the pod. One of Always, OnFailure, Never. In some contexts, only a subset of those values may be permitted. Default to Always. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy\n\nPossible enum values:\n - `"Always"`\n - `"Never"`\n - `"OnFailure"`' },
      schedulerName: { type: 'string', description: 'If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler.' },
      schedulingGates: { type: '[]PodSchedulingGate', description: 'SchedulingGates is an opaque list of values that if specified will block scheduling the pod. If schedulingGates is not empty, the pod will stay in the SchedulingGated state and the scheduler will not attempt to schedule the pod.\n\nSchedulingGates can only be set at pod creation time, and be removed only afterwards.' },
      serviceAccountName: { type: 'string', description: 'ServiceAccountName is the name of the ServiceAccount to use to run this pod. More info: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/' },
      terminationGracePeriodSeconds: { type: 'integer', description: 'Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). If this value is nil, the default grace period will be used instead. The grace period is the duration in seconds after the processes running in the pod are sent a termination signal and the time when the processes are forcibly halted with a kill signal. Set this value longer than the expected cleanup time for your process. Defaults to 30 seconds.' },
      tolerations: { type: '[]Toleration', description: 'If specified, the pod\'s tolerations.' },
      topologySpreadConstraints: { type: '[]TopologySpreadConstraint', description: 'TopologySpreadConstraints describes how a group of pods ought to spread across topology domains. Scheduler will schedule pods in a way which abides by the constraints. All topologySpreadConstraints are ANDed.' },
      volumes: { type: '[]Volume', description: 'List of volumes that can be mounted by containers belonging to the pod. More info: https://kubernetes.io/docs/concepts/storage/volumes' },
    },
  },
  Container: {
    description: 'A single application container that you want to run within a pod.',
    fields: {
      args: { type: '[]string', description: 'Arguments to the entrypoint. The container image\'s CMD is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container\'s environment. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. "$$(VAR_NAME)" will produce the string literal "$(VAR_NAME)". Escaped references will never be expanded, regardless of whether the variable exists or not. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell' },
      command: { type: '[]string', description: 'Entrypoint array. Not executed within a shell. The container image\'s ENTRYPOINT is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container\'s environment. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. "$$(VAR_NAME)" will produce the string literal "$(VAR_NAME)". Escaped references will never be expanded, regardless of whether the variable exists or not. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell' },
      env: { type: '[]EnvVar', description: 'List of environment variables to set in the container. Cannot be updated.' },
      envFrom: { type: '[]EnvFromSource', description: 'List of sources to populate environment variables in the container. The keys defined within a source may consist of any printable ASCII characters except \'=\'. When a key exists in multiple sources, the value associated with the last source will take precedence. Values defined by an Env with a duplicate key will take precedence. Cannot be updated.' },
      image: { type: 'string', description: 'Container image name. More info: https://kubernetes.io/docs/concepts/containers/images This field is optional to allow higher level config management to default or override container images in workload controllers like Deployments and StatefulSets.' },
      imagePullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'], description: 'Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated. More info: https://kubernetes.io/docs/concepts/containers/images#updating-images\n\nPossible enum values:\n - `"Always"` means that kubelet always attempts to pull the latest image. Container will fail If the pull fails.\n - `"IfNotPresent"` means that kubelet pulls if the image isn\'t present on disk. Container will fail if the image isn\'t present and the pull fails.\n - `"Never"` means that kubelet never pulls an image, but only uses a local image. Container will fail if the image isn\'t present' },
      livenessProbe: { type: 'Probe', description: 'Periodic probe of container liveness. Container will be restarted if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes' },
      name: { type: 'string', required: true, description: 'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.' },
      ports: { type: '[]ContainerPort', description: 'List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed. Any port which is listening on the default "0.0.0.0" address inside a container will be accessible from the network. Modifying this array with strategic merge patch may corrupt the data. For more information See https://github.com/kubernetes/kubernetes/issues/108255. Cannot be updated.' },
      readinessProbe: { type: 'Probe', description: 'Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes' },
      resources: { type: 'ResourceRequirements', description: 'Compute Resources required by this container. Cannot be updated. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/' },
      restartPolicy: { type: 'string', description: 'RestartPolicy defines the restart behavior of individual containers in a pod. This overrides the pod-level restart policy. When this field is not specified, the restart behavior is defined by the Pod\'s restart policy and the container type. Additionally, setting the RestartPolicy as "Always" for the init container will have the following effect: this init container will be continually restarted on exit until all regular containers have terminated. Once all regular containers have completed, all init containers with restartPolicy "Always" will be shut down. This lifecycle differs from normal init containers and is often referred to as a "sidecar" container. Although this init container still starts in the init container sequence, it does not wait for the container to complete before proceeding to the next init container. Instead, the next init container starts immediately after this init container is started, or after any startupProbe has successfully completed.' },
      startupProbe: { type: 'Probe', description: 'StartupProbe indicates that the Pod has successfully initialized. If specified, no other probes are executed until this completes successfully. If this probe fails, the Pod will be restarted, just as if the livenessProbe failed. This can be used to provide different probe parameters at the beginning of a Pod\'s lifecycle, when it might take a long time to load data or warm a cache, than during steady-state operation. This cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes' },
      stdin: { type: 'boolean', description: 'Whether this container should allocate a buffer for stdin in the container runtime. If this is not set, reads from stdin in the container will always result in EOF. Default is false.' },
      terminationMessagePath: { type: 'string', description: 'Optional: Path at which the file to which the container\'s termination message will be written is mounted into the container\'s filesystem. Message written is intended to be brief final status, such as an assertion failure message. Will be truncated by the node if greater than 4096 bytes. The total message length across all containers will be limited to 12kb. Defaults to /dev/termination-log. Cannot be updated.' },
      terminationMessagePolicy: { type: 'string', enum: ['FallbackToLogsOnError', 'File'], description: 'Indicate how the termination message should be populated. File will use the contents of terminationMessagePath to populate the container status message on both success and failure. FallbackToLogsOnError will use the last chunk of container log output if the termination message file is empty and the container exited with an error. The log output is limited to 2048 bytes or 80 lines, whichever is smaller. Defaults to File. Cannot be updated.\n\nPossible enum values:\n - `"FallbackToLogsOnError"` will read the most recent contents of the container logs for the container status message when the container exits with an error and the terminationMessagePath has no contents.\n - `"File"` is the default behavior and will set the container status message to the contents of the container\'s terminationMessagePath when the container exits.' },
      tty: { type: 'boolean', description: 'Whether this container should allocate a TTY for itself, also requires \'stdin\' to be true. Default is false.' },
      volumeMounts: { type: '[]VolumeMount', description: 'Pod volumes to mount into the container\'s filesystem. Cannot be updated.' },
      workingDir: { type: 'string', description: 'Container\'s working directory. If not specified, the container runtime\'s default will be used, which might be configured in the container image. Cannot be updated.' },
    },
  },
  EnvVar: {
    description: 'EnvVar represents an environment variable present in a Container.',
    fields: {
      name: { type: 'string', required: true, description: 'Name of the environment variable. May consist of any printable ASCII characters except \'=\'.' },
      value: { type: 'string', description: 'Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. "$$(VAR_NAME)" will produce the string literal "$(VAR_NAME)". Escaped references will never be expanded, regardless of whether the variable exists or not. Defaults to "".' },
      valueFrom: { type: 'EnvVarSource', description: 'Source for the environment variable\'s value. Cannot be used if value is not empty.' },
    },
  },
  EnvVarSource: {
    description: 'EnvVarSource represents a source for the value of an EnvVar.',
    fields: {
      configMapKeyRef: { type: 'ConfigMapKeySelector', description: 'Selects a key of a ConfigMap.' },
      fieldRef: { type: 'ObjectFieldSelector', description: 'Selects a field of the pod: supports metadata.name, metadata.namespace, `metadata.labels[\'<KEY>\']`, `metadata.annotations[\'<KEY>\']`, spec.nodeName, spec.serviceAccountName, status.hostIP, status.podIP, status.podIPs.' },
      resourceFieldRef: { type: 'ResourceFieldSelector', description: 'Selects a resource of the container: only resources limits and requests (limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory and requests.ephemeral-storage) are currently supported.' },
      secretKeyRef: { type: 'SecretKeySelector', description: 'Selects a key of a secret in the pod\'s namespace' },
    },
  },
  ConfigMapKeySelector: {
    description: 'Selects a key from a ConfigMap.',
    fields: {
      key: { type: 'string', required: true, description: 'The key to select.' },
      name: { type: 'string', description: 'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names' },
      optional: { type: 'boolean', description: 'Specify whether the ConfigMap or its key must be defined' },
    },
  },
  SecretKeySelector: {
    description: 'SecretKeySelector selects a key of a Secret.',
    fields: {
      key: { type: 'string', required: true, description: 'The key of the secret to select from.  Must be a valid secret key.' },
      name: { type: 'string', description: 'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names' },
      optional: { type: 'boolean', description: 'Specify whether the Secret or its key must be defined' },
    },
  },
  ObjectFieldSelector: {
    description: 'ObjectFieldSelector selects an APIVersioned field of an object.',
    fields: {
      apiVersion: { type: 'string', description: 'Version of the schema the FieldPath is written in terms of, defaults to "v1".' },
      fieldPath: { type: 'string', required: true, description: 'Path of the field to select in the specified API version.' },
    },
  },
  ResourceFieldSelector: {
    description: 'ResourceFieldSelector represents container resources (cpu, memory) and their output format',
    fields: {
      containerName: { type: 'string', description: 'Container name: required for volumes, optional for env vars' },
      divisor: { type: 'Quantity', description: 'Specifies the output format of the exposed resources, defaults to "1"' },
      resource: { type: 'string', required: true, description: 'Required: resource to select' },
    },
  },
  EnvFromSource: {
    description: 'EnvFromSource represents the source of a set of ConfigMaps or Secrets',
    fields: {
      configMapRef: { type: 'ConfigMapEnvSource', description: 'The ConfigMap to select from' },
      prefix: { type: 'string', description: 'Optional text to prepend to the name of each environment variable. May consist of any printable ASCII characters except \'=\'.' },
      secretRef: { type: 'SecretEnvSource', description: 'The Secret to select from' },
    },
  },
  ConfigMapEnvSource: {
    description: 'ConfigMapEnvSource selects a ConfigMap to populate the environment variables with.\n\nThe contents of the target ConfigMap\'s Data field will represent the key-value pairs as environment variables.',
    fields: {
      name: { type: 'string', description: 'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names' },
      optional: { type: 'boolean', description: 'Specify whether the ConfigMap must be defined' },
    },
  },
  SecretEnvSource: {
    description: 'SecretEnvSource selects a Secret to populate the environment variables with.\n\nThe contents of the target Secret\'s Data field will represent the key-value pairs as environment variables.',
    fields: {
      name: { type: 'string', description: 'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names' },
      optional: { type: 'boolean', description: 'Specify whether the Secret must be defined' },
    },
  },
  ContainerPort: {
    description: 'ContainerPort represents a network port in a single container.',
    fields: {
      containerPort: { type: 'integer', required: true, description: 'Number of port to expose on the pod\'s IP address. This must be a valid port number, 0 < x < 65536.' },
      hostPort: { type: 'integer', description: 'Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536. If HostNetwork is specified, this must match ContainerPort. Most containers do not need this.' },
      name: { type: 'string', description: 'If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name. Name for the port that can be referred to by services.' },
      protocol: { type: 'string', enum: ['SCTP', 'TCP', 'UDP'], description: 'Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".\n\nPossible enum values:\n - `"SCTP"` is the SCTP protocol.\n - `"TCP"` is the TCP protocol.\n - `"UDP"` is the UDP protocol.' },
    },
  },
  ResourceRequirements: {
    description: 'ResourceRequirements describes the compute resource requirements.',
    fields: {
      limits: { type: 'map[string]Quantity', description: 'Limits describes the maximum amount of compute resources allowed. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/' },
      requests: { type: 'map[string]Quantity', description: 'Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value. Requests cannot exceed Limits. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/' },
    },
  },
  VolumeMount: {
    description: 'VolumeMount describes a mounting of a Volume within a container.',
    fields: {
      mountPath: { type: 'string', required: true, description: 'Path within the container at which the volume should be mounted.  Must not contain \':\'.' },
      name: { type: 'string', required: true, description: 'This must match the Name of a Volume.' },
      readOnly: { type: 'boolean', description: 'Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.' },
      subPath: { type: 'string', description: 'Path within the volume from which the container\'s volume should be mounted. Defaults to "" (volume\'s root).' },
    },
  },
  Probe: {
    description: 'Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.',
    fields: {
      exec: { type: 'ExecAction', description: 'Exec specifies a command to execute in the container.' },
      failureThreshold: { type: 'integer', description: 'Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.' },
      grpc: { type: 'GRPCAction', description: 'GRPC specifies a GRPC HealthCheckRequest.' },
      httpGet: { type: 'HTTPGetAction', description: 'HTTPGet specifies an HTTP GET request to perform.' },
      initialDelaySeconds: { type: 'integer', description: 'Number of seconds after the container has started before liveness probes are initiated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes' },
      periodSeconds: { type: 'integer', description: 'How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.' },
      successThreshold: { type: 'integer', description: 'Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1. Must be 1 for liveness and startup. Minimum value is 1.' },
      tcpSocket: { type: 'TCPSocketAction', description: 'TCPSocket specifies a connection to a TCP port.' },
      timeoutSeconds: { type: 'integer', description: 'Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes' },
    },
  },
  ExecAction: {
    description: 'ExecAction describes a "run in container" action.',
    fields: {
      command: { type: '[]string', description: 'Command is the command line to execute inside the container, the working directory for the command  is root (\'/\') in the container\'s filesystem. The command is simply exec\'d, it is not run inside a shell, so traditional shell instructions (\'|\', etc) won\'t work. To use a shell, you need to explicitly call out to that shell. Exit status of 0 is treated as live/healthy and non-zero is unhealthy.' },
    },
  },
  HTTPGetAction: {
    description: 'HTTPGetAction describes an action based on HTTP Get requests.',
    fields: {
      host: { type: 'string', description: 'Host name to connect to, defaults to the pod IP. You probably want to set "Host" in httpHeaders instead.' },
      httpHeaders: { type: '[]HTTPHeader', description: 'Custom headers to set in the request. HTTP allows repeated headers.' },
      path: { type: 'string', description: 'Path to access on the HTTP server.' },
      port: { type: 'IntOrString', required: true, description: 'Name or number of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.' },
      scheme: { type: 'string', enum: ['HTTP', 'HTTPS'], description: 'Scheme to use for connecting to the host. Defaults to HTTP.\n\nPossible enum values:\n - `"HTTP"` means that the scheme used will be http://\n - `"HTTPS"` means that the scheme used will be https://' },
    },
  },
  HTTPHeader: {
    description: 'HTTPHeader describes a custom header to be used in HTTP probes',
    fields: {
      name: { type: 'string', required: true, description: 'The header field name. This will be canonicalized upon output, so case-variant names will be understood as the same header.' },
      value: { type: 'string', required: true, description: 'The header field value' },
    },
  },
  TCPSocketAction: {
    description: 'TCPSocketAction describes an action based on opening a socket',
    fields: {
      host: { type: 'string', description: 'Optional: Host name to connect to, defaults to the pod IP.' },
      port: { type: 'IntOrString', required: true, description: 'Number or name of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.' },
    },
  },
  GRPCAction: {
    description: 'GRPCAction specifies an action involving a GRPC service.',
    fields: {
      port: { type: 'integer', required: true, description: 'Port number of the gRPC service. Number must be in the range 1 to 65535.' },
      service: { type: 'string', description: 'Service is the name of the service to place in the gRPC HealthCheckRequest (see https://github.com/grpc/grpc/blob/master/doc/health-checking.md).\n\nIf this is not specified, the default behavior is defined by gRPC.' },
    },
  },
  Volume: {
    description: 'Volume represents a named volume in a pod that may be accessed by any container in the pod.',
    fields: {
      configMap: { type: 'ConfigMapVolumeSource', description: 'configMap represents a configMap that should populate this volume' },
      downwardAPI: { type: 'DownwardAPIVolumeSource', description: 'downwardAPI represents downward API about the pod that should populate this volume' },
      emptyDir: { type: 'EmptyDirVolumeSource', description: 'emptyDir represents a temporary directory that shares a pod\'s lifetime. More info: https://kubernetes.io/docs/concepts/storage/volumes#emptydir' },
      name: { type: 'string', required: true, description: 'name of the volume. Must be a DNS_LABEL and unique within the pod. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names' },
      secret: { type: 'SecretVolumeSource', description: 'secret represents a secret that should populate this volume. More info: https://kubernetes.io/docs/concepts/storage/volumes#secret' },
    },
  },
  EmptyDirVolumeSource: {
    description: 'Represents an empty directory for a pod. Empty directory volumes support ownership management and SELinux relabeling.',
    fields: {
      medium: { type: 'string', description: 'medium represents what type of storage medium should back this directory. The default is "" which means to use the node\'s default medium. Must be an empty string (default) or Memory. More info: https://kubernetes.io/docs/concepts/storage/volumes#emptydir' },
      sizeLimit: { type: 'Quantity', description: 'sizeLimit is the total amount of local storage required for this EmptyDir volume. The size limit is also applicable for memory medium. The maximum usage on memory medium EmptyDir would be the minimum value between the SizeLimit specified here and the sum of memory limits of all containers in a pod. The default is nil which means that the limit is undefined. More info: https://kubernetes.io/docs/concepts/storage/volumes#emptydir' },
    },
  },
  ConfigMapVolumeSource: {
    description: 'Adapts a ConfigMap into a volume.\n\nThe contents of the target ConfigMap\'s Data field will be presented in a volume as files using the keys in the Data field as the file names, unless the items element is populated with specific mappings of keys to paths. ConfigMap volumes support ownership management and SELinux relabeling.',
    fields: {
      defaultMode: { type: 'integer', description: 'defaultMode is optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. Defaults to 0644. Directories within the path are not affected by this setting. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.' },
      items: { type: '[]KeyToPath', description: 'items if unspecified, each key-value pair in the Data field of the referenced ConfigMap will be projected into the volume as a file whose name is the key and content is the value. If specified, the listed keys will be projected into the specified paths, and unlisted keys will not be present. If a key is specified which is not present in the ConfigMap, the volume setup will error unless it is marked optional. Paths must be relative and may not contain the \'..\' path or start with \'..\'.' },
      name: { type: 'string', description: 'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names' },
      optional: { type: 'boolean', description: 'optional specify whether the ConfigMap or its keys must be defined' },
    },
  },
  SecretVolumeSource: {
    description: 'Adapts a Secret into a volume.\n\nThe contents of the target Secret\'s Data field will be presented in a volume as files using the keys in the Data field as the file names. Secret volumes support ownership management and SELinux relabeling.',
    fields: {
      defaultMode: { type: 'integer', description: 'defaultMode is Optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. Defaults to 0644. Directories within the path are not affected by this setting. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.' },
      items: { type: '[]KeyToPath', description: 'items If unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume as a file whose name is the key and content is the value. If specified, the listed keys will be projected into the specified paths, and unlisted keys will not be present. If a key is specified which is not present in the Secret, the volume setup will error unless it is marked optional. Paths must be relative and may not contain the \'..\' path or start with \'..\'.' },
      optional: { type: 'boolean', description: 'optional field specify whether the Secret or its keys must be defined' },
      secretName: { type: 'string', description: 'secretName is the name of the secret in the pod\'s namespace to use. More info: https://kubernetes.io/docs/concepts/storage/volumes#secret' },
    },
  },
  KeyToPath: {
    description: 'Maps a string key to a path within a volume.',
    fields: {
      key: { type: 'string', required: true, description: 'key is the key to project.' },
      mode: { type: 'integer', description: 'mode is Optional: mode bits used to set permissions on this file. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. If not specified, the volume defaultMode will be used. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.' },
      path: { type: 'string', required: true, description: 'path is the relative path of the file to map the key to. May not be an absolute path. May not contain the path element \'..\'. May not start with the string \'..\'.' },
    },
  },
  DownwardAPIVolumeSource: {
    description: 'DownwardAPIVolumeSource represents a volume containing downward API info. Downward API volumes support ownership management and SELinux relabeling.',
    fields: {
      defaultMode: { type: 'integer', description: 'Optional: mode bits to use on created files by default. Must be a Optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. Defaults to 0644. Directories within the path are not affected by this setting. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.' },
      items: { type: '[]DownwardAPIVolumeFile', description: 'Items is a list of downward API volume file' },
    },
  },
  DownwardAPIVolumeFile: {
    description: 'DownwardAPIVolumeFile represents information to create the file containing the pod field',
    fields: {
      fieldRef: { type: 'ObjectFieldSelector', description: 'Required: Selects a field of the pod: only annotations, labels, name, namespace and uid are supported.' },
      mode: { type: 'integer', description: 'Optional: mode bits used to set permissions on this file, must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. If not specified, the volume defaultMode will be used. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.' },
      path: { type: 'string', required: true, description: 'Required: Path is  the relative path name of the file to be created. Must not be absolute or contain the \'..\' path. Must be utf-8 encoded. The first item of the relative path must not start with \'..\'' },
      resourceFieldRef: { type: 'ResourceFieldSelector', description: 'Selects a resource of the container: only resources limits and requests (limits.cpu, limits.memory, requests.cpu and requests.memory) are currently supported.' },
    },
  },
};
