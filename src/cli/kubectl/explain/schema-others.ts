/**
 * Service, ConfigMap, Secret, Namespace, Node and Event (core/v1), the
 * fields podplay keeps and acts on.
 */
import type { TypeDoc } from './schema.ts';
import { TYPE_META } from './schema-meta.ts';

export const OTHER_TYPES: Record<string, TypeDoc> = {
  Service: {
    description: 'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
    fields: {
      apiVersion: TYPE_META.apiVersion,
      kind: TYPE_META.kind,
      metadata: { type: 'ObjectMeta', description: 'Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' },
      spec: { type: 'ServiceSpec', description: 'Spec defines the behavior of a service. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' },
    },
  },
  ServiceSpec: {
    description: 'ServiceSpec describes the attributes that a user creates on a service.',
    fields: {
      clusterIP: { type: 'string', description: 'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies' },
      clusterIPs: { type: '[]string', description: 'ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly.  If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be empty) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a valid IP address.  Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName.  If this field is not specified, it will be initialized from the clusterIP field.  If this field is specified, clients must ensure that clusterIPs[0] and clusterIP have the same value.\n\nThis field may hold a maximum of two entries (dual-stack IPs, in either order). These IPs must correspond to the values of the ipFamilies field. Both clusterIPs and ipFamilies are governed by the ipFamilyPolicy field. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies' },
      internalTrafficPolicy: { type: 'string', enum: ['Cluster', 'Local'], description: 'InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP. If set to "Local", the proxy will assume that pods only want to talk to endpoints of the service on the same node as the pod, dropping the traffic if there are no local endpoints. The default value, "Cluster", uses the standard behavior of routing to all endpoints evenly (possibly modified by topology and other features).\n\nPossible enum values:\n - `"Cluster"` routes traffic to all endpoints.\n - `"Local"` routes traffic only to endpoints on the same node as the client pod (dropping the traffic if there are no local endpoints).' },
      ipFamilies: { type: '[]string', description: 'IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service. This field is usually assigned automatically based on cluster configuration and the ipFamilyPolicy field. If this field is specified manually, the requested family is available in the cluster, and ipFamilyPolicy allows it, it will be used; otherwise creation of the service will fail. This field is conditionally mutable: it allows for adding or removing a secondary IP family, but it does not allow changing the primary IP family of the Service. Valid values are "IPv4" and "IPv6".  This field only applies to Services of types ClusterIP, NodePort, and LoadBalancer, and does apply to "headless" services. This field will be wiped when updating a Service to type ExternalName.\n\nThis field may hold a maximum of two entries (dual-stack families, in either order).  These families must correspond to the values of the clusterIPs field, if specified. Both clusterIPs and ipFamilies are governed by the ipFamilyPolicy field.' },
      ipFamilyPolicy: { type: 'string', enum: ['PreferDualStack', 'RequireDualStack', 'SingleStack'], description: 'IPFamilyPolicy represents the dual-stack-ness requested or required by this Service. If there is no value provided, then this field will be set to SingleStack. Services can be "SingleStack" (a single IP family), "PreferDualStack" (two IP families on dual-stack configured clusters or a single IP family on single-stack clusters), or "RequireDualStack" (two IP families on dual-stack configured clusters, otherwise fail). The ipFamilies and clusterIPs fields depend on the value of this field. This field will be wiped when updating a service to type ExternalName.\n\nPossible enum values:\n - `"PreferDualStack"` indicates that this service prefers dual-stack when the cluster is configured for dual-stack. If the cluster is not configured for dual-stack the service will be assigned a single IPFamily. If the IPFamily is not set in service.spec.ipFamilies then the service will be assigned the default IPFamily configured on the cluster\n - `"RequireDualStack"` indicates that this service requires dual-stack. Using IPFamilyPolicyRequireDualStack on a single stack cluster will result in validation errors. The IPFamilies (and their order) assigned to this service is based on service.spec.ipFamilies. If service.spec.ipFamilies was not provided then it will be assigned according to how they are configured on the cluster. If service.spec.ipFamilies has only one entry then the alternative IPFamily will be added by apiserver\n - `"SingleStack"` indicates that this service is required to have a single IPFamily. The IPFamily assigned is based on the default IPFamily used by the cluster or as identified by service.spec.ipFamilies field' },
      ports: { type: '[]ServicePort', description: 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies' },
      selector: { type: 'map[string]string', description: 'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/' },
      sessionAffinity: { type: 'string', enum: ['ClientIP', 'None'], description: 'Supports "ClientIP" and "None". Used to maintain session affinity. Enable client IP based session affinity. Must be ClientIP or None. Defaults to None. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies\n\nPossible enum values:\n - `"ClientIP"` is the Client IP based.\n - `"None"` - no session affinity.' },
      type: { type: 'string', enum: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'], description: 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types\n\nPossible enum values:\n - `"ClusterIP"` means a service will only be accessible inside the cluster, via the cluster IP.\n - `"ExternalName"` means a service consists of only a reference to an external name that kubedns or equivalent will return as a CNAME record, with no exposing or proxying of any pods involved.\n - `"LoadBalancer"` means a service will be exposed via an external load balancer (if the cloud provider supports it), in addition to \'NodePort\' type.\n - `"NodePort"` means a service will be exposed on one port of every node, in addition to \'ClusterIP\' type.' },
    },
  },
  ServicePort: {
    description: 'ServicePort contains information on service\'s port.',
    fields: {
      name: { type: 'string', description: 'The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names. When considering the endpoints for a Service, this must match the \'name\' field in the EndpointPort. Optional if only one ServicePort is defined on this service.' },
      port: { type: 'integer', required: true, description: 'The port that will be exposed by this service.' },
      protocol: { type: 'string', enum: ['SCTP', 'TCP', 'UDP'], description: 'The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.\n\nPossible enum values:\n - `"SCTP"` is the SCTP protocol.\n - `"TCP"` is the TCP protocol.\n - `"UDP"` is the UDP protocol.' },
      targetPort: { type: 'IntOrString', description: 'Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME. If this is a string, it will be looked up as a named port in the target Pod\'s container ports. If this is not specified, the value of the \'port\' field is used (an identity map). This field is ignored for services with clusterIP=None, and should be omitted or set equal to the \'port\' field. More info: https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service' },
    },
  },
  ConfigMap: {
    description: 'ConfigMap holds configuration data for pods to consume.',
    fields: {
      apiVersion: TYPE_META.apiVersion,
      binaryData: { type: 'map[string]string', description: 'BinaryData contains the binary data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. BinaryData can contain byte sequences that are not in the UTF-8 range. The keys stored in BinaryData must not overlap with the ones in the Data field, this is enforced during validation process. Using this field will require 1.10+ apiserver and kubelet.' },
      data: { type: 'map[string]string', description: 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.' },
      kind: TYPE_META.kind,
      metadata: { type: 'ObjectMeta', description: 'Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' },
    },
  },
  Secret: {
    description: 'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
    fields: {
      apiVersion: TYPE_META.apiVersion,
      data: { type: 'map[string]string', description: 'Data contains the secret data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4' },
      kind: TYPE_META.kind,
      metadata: { type: 'ObjectMeta', description: 'Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' },
      stringData: { type: 'map[string]string', description: 'stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values. The stringData field is never output when reading from the API.' },
      type: { type: 'string', description: 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types' },
    },
  },
  Namespace: {
    description: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
    fields: {
      apiVersion: TYPE_META.apiVersion,
      kind: TYPE_META.kind,
      metadata: { type: 'ObjectMeta', description: 'Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' },
      spec: { type: 'NamespaceSpec', description: 'Spec defines the behavior of the Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' },
      status: { type: 'NamespaceStatus', description: 'Status describes the current status of a Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' },
    },
  },
  NamespaceSpec: {
    description: 'NamespaceSpec describes the attributes on a Namespace.',
    fields: {
      finalizers: { type: '[]string', description: 'Finalizers is an opaque list of values that must be empty to permanently remove object from storage. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/' },
    },
  },
  NamespaceStatus: {
    description: 'NamespaceStatus is information about the current status of a Namespace.',
    fields: {
      phase: { type: 'string', enum: ['Active', 'Terminating'], description: 'Phase is the current lifecycle phase of the namespace. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/\n\nPossible enum values:\n - `"Active"` means the namespace is available for use in the system\n - `"Terminating"` means the namespace is undergoing graceful termination' },
    },
  },
  Node: {
    description: 'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
    fields: {
      apiVersion: TYPE_META.apiVersion,
      kind: TYPE_META.kind,
      metadata: { type: 'ObjectMeta', description: 'Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' },
      spec: { type: 'NodeSpec', description: 'Spec defines the behavior of a node. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' },
      status: { type: 'NodeStatus', description: 'Most recently observed status of the node. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' },
    },
  },
  NodeSpec: {
    description: 'NodeSpec describes the attributes that a node is created with.',
    fields: {
      podCIDR: { type: 'string', description: 'PodCIDR represents the pod IP range assigned to the node.' },
      taints: { type: '[]Taint', description: 'If specified, the node\'s taints.' },
      unschedulable: { type: 'boolean', description: 'Unschedulable controls node schedulability of new pods. By default, node is schedulable. More info: https://kubernetes.io/docs/concepts/nodes/node/#manual-node-administration' },
    },
  },
  NodeStatus: {
    description: 'NodeStatus is information about the current status of a node.',
    fields: {
      addresses: { type: '[]NodeAddress', description: 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node\'s address in its own status or consumers of the downward API (status.hostIP).' },
      allocatable: { type: 'map[string]Quantity', description: 'Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity.' },
      capacity: { type: 'map[string]Quantity', description: 'Capacity represents the total resources of a node. More info: https://kubernetes.io/docs/reference/node/node-status/#capacity' },
      conditions: { type: '[]NodeCondition', description: 'Conditions is an array of current observed node conditions. More info: https://kubernetes.io/docs/reference/node/node-status/#condition' },
      images: { type: '[]ContainerImage', description: 'List of container images on this node' },
      nodeInfo: { type: 'NodeSystemInfo', description: 'Set of ids/uuids to uniquely identify the node. More info: https://kubernetes.io/docs/reference/node/node-status/#info' },
    },
  },
  NodeCondition: {
    description: 'NodeCondition contains condition information for a node.',
    fields: {
      lastHeartbeatTime: { type: 'Time', description: 'Last time we got an update on a given condition.' },
      lastTransitionTime: { type: 'Time', description: 'Last time the condition transit from one status to another.' },
      message: { type: 'string', description: 'Human readable message indicating details about last transition.' },
      reason: { type: 'string', description: '(brief) reason for the condition\'s last transition.' },
      status: { type: 'string', required: true, description: 'Status of the condition, one of True, False, Unknown.' },
      type: { type: 'string', required: true, description: 'Type of node condition.' },
    },
  },
  NodeAddress: {
    description: 'NodeAddress contains information for the node\'s address.',
    fields: {
      address: { type: 'string', required: true, description: 'The node address.' },
      type: { type: 'string', required: true, description: 'Node address type, one of Hostname, ExternalIP or InternalIP.' },
    },
  },
  NodeSystemInfo: {
    description: 'NodeSystemInfo is a set of ids/uuids to uniquely identify the node.',
    fields: {
      architecture: { type: 'string', required: true, description: 'The Architecture reported by the node' },
      bootID: { type: 'string', required: true, description: 'Boot ID reported by the node.' },
      containerRuntimeVersion: { type: 'string', required: true, description: 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).' },
      kernelVersion: { type: 'string', required: true, description: 'Kernel Version reported by the node from \'uname -r\' (e.g. 3.16.0-0.bpo.4-amd64).' },
      kubeProxyVersion: { type: 'string', required: true, description: 'Deprecated: KubeProxy Version reported by the node.' },
      kubeletVersion: { type: 'string', required: true, description: 'Kubelet Version reported by the node.' },
      machineID: { type: 'string', required: true, description: 'MachineID reported by the node. For unique machine identification in the cluster this field is preferred. Learn more from man(5) machine-id: http://man7.org/linux/man-pages/man5/machine-id.5.html' },
      operatingSystem: { type: 'string', required: true, description: 'The Operating System reported by the node' },
      osImage: { type: 'string', required: true, description: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).' },
      systemUUID: { type: 'string', required: true, description: 'SystemUUID reported by the node. For unique machine identification MachineID is preferred. This field is specific to Red Hat hosts https://access.redhat.com/documentation/en-us/red_hat_subscription_management/1/html/rhsm/uuid' },
    },
  },
  ContainerImage: {
    description: 'Describe a container image',
    fields: {
      names: { type: '[]string', description: 'Names by which this image is known. e.g. ["kubernetes.example/hyperkube:v1.0.7", "cloud-vendor.registry.example/cloud-vendor/hyperkube:v1.0.7"]' },
      sizeBytes: { type: 'integer', description: 'The size of the image in bytes.' },
    },
  },
  Event: {
    description: 'Event is a report of an event somewhere in the cluster.  Events have a limited retention time and triggers and messages may evolve with time.  Event consumers should not rely on the timing of an event with a given Reason reflecting a consistent underlying trigger, or the continued existence of events with that Reason.  Events should be treated as informative, best-effort, supplemental data.',
    fields: {
      apiVersion: TYPE_META.apiVersion,
      count: { type: 'integer', description: 'The number of times this event has occurred.' },
      firstTimestamp: { type: 'Time', description: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)' },
      involvedObject: { type: 'ObjectReference', required: true, description: 'The object that this event is about.' },
      kind: TYPE_META.kind,
      lastTimestamp: { type: 'Time', description: 'The time at which the most recent occurrence of this event was recorded.' },
      message: { type: 'string', description: 'A human-readable description of the status of this operation.' },
      metadata: { type: 'ObjectMeta', required: true, description: 'Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' },
      reason: { type: 'string', description: 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.' },
      reportingComponent: { type: 'string', description: 'Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.' },
      reportingInstance: { type: 'string', description: 'ID of the controller instance, e.g. `kubelet-xyzf`.' },
      source: { type: 'EventSource', description: 'The component reporting this event. Should be a short machine understandable string.' },
      type: { type: 'string', description: 'Type of this event (Normal, Warning), new types could be added in the future' },
    },
  },
  ObjectReference: {
    description: 'ObjectReference contains enough information to let you inspect or modify the referred object.',
    fields: {
      apiVersion: { type: 'string', description: 'API version of the referent.' },
      fieldPath: { type: 'string', description: 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.' },
      kind: { type: 'string', description: 'Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds' },
      name: { type: 'string', description: 'Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names' },
      namespace: { type: 'string', description: 'Namespace of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/' },
      resourceVersion: { type: 'string', description: 'Specific resourceVersion to which this reference is made, if any. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency' },
      uid: { type: 'string', description: 'UID of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#uids' },
    },
  },
  EventSource: {
    description: 'EventSource contains information for an event.',
    fields: {
      component: { type: 'string', description: 'Component from which the event is generated.' },
      host: { type: 'string', description: 'Node name on which the event is generated.' },
    },
  },
};
