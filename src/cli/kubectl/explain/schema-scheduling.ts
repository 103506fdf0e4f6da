/**
 * What the scheduler reads: tolerations and taints, affinity, topology
 * spread, scheduling gates and PriorityClass (core/v1, scheduling.k8s.io/v1).
 */
import type { TypeDoc } from './schema.ts';
import { TYPE_META } from './schema-meta.ts';

export const SCHEDULING_TYPES: Record<string, TypeDoc> = {
  Toleration: {
    description: 'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.',
    fields: {
      effect: { type: 'string', enum: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'], description: 'Effect indicates the taint effect to match. Empty means match all taint effects. When specified, allowed values are NoSchedule, PreferNoSchedule and NoExecute.\n\nPossible enum values:\n - `"NoExecute"` Evict any already-running pods that do not tolerate the taint. Currently enforced by NodeController.\n - `"NoSchedule"` Do not allow new pods to schedule onto the node unless they tolerate the taint, but allow all pods submitted to Kubelet without going through the scheduler to start, and allow all already-running pods to continue running. Enforced by the scheduler.\n - `"PreferNoSchedule"` Like TaintEffectNoSchedule, but the scheduler tries not to schedule new pods onto the node, rather than prohibiting new pods from scheduling onto the node entirely. Enforced by the scheduler.' },
      key: { type: 'string', description: 'Key is the taint key that the toleration applies to. Empty means match all taint keys. If the key is empty, operator must be Exists; this combination means to match all values and all keys.' },
      operator: { type: 'string', enum: ['Equal', 'Exists', 'Gt', 'Lt'], description: 'Operator represents a key\'s relationship to the value. Valid operators are Exists, Equal, Lt, and Gt. Defaults to Equal. Exists is equivalent to wildcard for value, so that a pod can tolerate all taints of a particular category. Lt and Gt perform numeric comparisons (requires feature gate TaintTolerationComparisonOperators).\n\nPossible enum values:\n - `"Equal"`\n - `"Exists"`\n - `"Gt"`\n - `"Lt"`' },
      tolerationSeconds: { type: 'integer', description: 'TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute, otherwise this field is ignored) tolerates the taint. By default, it is not set, which means tolerate the taint forever (do not evict). Zero and negative values will be treated as 0 (evict immediately) by the system.' },
      value: { type: 'string', description: 'Value is the taint value the toleration matches to. If the operator is Exists, the value should be empty, otherwise just a regular string.' },
    },
  },
  Taint: {
    description: 'The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.',
    fields: {
      effect: { type: 'string', required: true, enum: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'], description: 'Required. The effect of the taint on pods that do not tolerate the taint. Valid effects are NoSchedule, PreferNoSchedule and NoExecute.\n\nPossible enum values:\n - `"NoExecute"` Evict any already-running pods that do not tolerate the taint. Currently enforced by NodeController.\n - `"NoSchedule"` Do not allow new pods to schedule onto the node unless they tolerate the taint, but allow all pods submitted to Kubelet without going through the scheduler to start, and allow all already-running pods to continue running. Enforced by the scheduler.\n - `"PreferNoSchedule"` Like TaintEffectNoSchedule, but the scheduler tries not to schedule new pods onto the node, rather than prohibiting new pods from scheduling onto the node entirely. Enforced by the scheduler.' },
      key: { type: 'string', required: true, description: 'Required. The taint key to be applied to a node.' },
      timeAdded: { type: 'Time', description: 'TimeAdded represents the time at which the taint was added.' },
      value: { type: 'string', description: 'The taint value corresponding to the taint key.' },
    },
  },
  Affinity: {
    description: 'Affinity is a group of affinity scheduling rules.',
    fields: {
      nodeAffinity: { type: 'NodeAffinity', description: 'Describes node affinity scheduling rules for the pod.' },
      podAffinity: { type: 'PodAffinity', description: 'Describes pod affinity scheduling rules (e.g. co-locate this pod in the same node, zone, etc. as some other pod(s)).' },
      podAntiAffinity: { type: 'PodAntiAffinity', description: 'Describes pod anti-affinity scheduling rules (e.g. avoid putting this pod in the same node, zone, etc. as some other pod(s)).' },
    },
  },
  NodeAffinity: {
    description: 'Node affinity is a group of node affinity scheduling rules.',
    fields: {
      preferredDuringSchedulingIgnoredDuringExecution: { type: '[]PreferredSchedulingTerm', description: 'The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions. The node that is most preferred is the one with the greatest sum of weights, i.e. for each node that meets all of the scheduling requirements (resource request, requiredDuringScheduling affinity expressions, etc.), compute a sum by iterating through the elements of this field and adding "weight" to the sum if the node matches the corresponding matchExpressions; the node(s) with the highest sum are the most preferred.' },
      requiredDuringSchedulingIgnoredDuringExecution: { type: 'NodeSelector', description: 'If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node. If the affinity requirements specified by this field cease to be met at some point during pod execution (e.g. due to an update), the system may or may not try to eventually evict the pod from its node.' },
    },
  },
  NodeSelector: {
    description: 'A node selector represents the union of the results of one or more label queries over a set of nodes; that is, it represents the OR of the selectors represented by the node selector terms.',
    fields: {
      nodeSelectorTerms: { type: '[]NodeSelectorTerm', required: true, description: 'Required. A list of node selector terms. The terms are ORed.' },
    },
  },
  NodeSelectorTerm: {
    description: 'A null or empty node selector term matches no objects. The requirements of them are ANDed. The TopologySelectorTerm type implements a subset of the NodeSelectorTerm.',
    fields: {
      matchExpressions: { type: '[]NodeSelectorRequirement', description: 'A list of node selector requirements by node\'s labels.' },
      matchFields: { type: '[]NodeSelectorRequirement', description: 'A list of node selector requirements by node\'s fields.' },
    },
  },
  NodeSelectorRequirement: {
    description: 'A node selector requirement is a selector that contains values, a key, and an operator that relates the key and values.',
    fields: {
      key: { type: 'string', required: true, description: 'The label key that the selector applies to.' },
      operator: { type: 'string', required: true, enum: ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'], description: 'Represents a key\'s relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist. Gt, and Lt.\n\nPossible enum values:\n - `"DoesNotExist"`\n - `"Exists"`\n - `"Gt"`\n - `"In"`\n - `"Lt"`\n - `"NotIn"`' },
      values: { type: '[]string', description: 'An array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty. If the operator is Gt or Lt, the values array must have a single element, which will be interpreted as an integer. This array is replaced during a strategic merge patch.' },
    },
  },
  PreferredSchedulingTerm: {
    description: 'An empty preferred scheduling term matches all objects with implicit weight 0 (i.e. it\'s a no-op). A null preferred scheduling term matches no objects (i.e. is also a no-op).',
    fields: {
      preference: { type: 'NodeSelectorTerm', required: true, description: 'A node selector term, associated with the corresponding weight.' },
      weight: { type: 'integer', required: true, description: 'Weight associated with matching the corresponding nodeSelectorTerm, in the range 1-100.' },
    },
  },
  PodAffinity: {
    description: 'Pod affinity is a group of inter pod affinity scheduling rules.',
    fields: {
      preferredDuringSchedulingIgnoredDuringExecution: { type: '[]WeightedPodAffinityTerm', description: 'The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions. The node that is most preferred is the one with the greatest sum of weights, i.e. for each node that meets all of the scheduling requirements (resource request, requiredDuringScheduling affinity expressions, etc.), compute a sum by iterating through the elements of this field and adding "weight" to the sum if the node has pods which matches the corresponding podAffinityTerm; the node(s) with the highest sum are the most preferred.' },
      requiredDuringSchedulingIgnoredDuringExecution: { type: '[]PodAffinityTerm', description: 'If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node. If the affinity requirements specified by this field cease to be met at some point during pod execution (e.g. due to a pod label update), the system may or may not try to eventually evict the pod from its node. When there are multiple elements, the lists of nodes corresponding to each podAffinityTerm are intersected, i.e. all terms must be satisfied.' },
    },
  },
  PodAntiAffinity: {
    description: 'Pod anti affinity is a group of inter pod anti affinity scheduling rules.',
    fields: {
      preferredDuringSchedulingIgnoredDuringExecution: { type: '[]WeightedPodAffinityTerm', description: 'The scheduler will prefer to schedule pods to nodes that satisfy the anti-affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions. The node that is most preferred is the one with the greatest sum of weights, i.e. for each node that meets all of the scheduling requirements (resource request, requiredDuringScheduling anti-affinity expressions, etc.), compute a sum by iterating through the elements of this field and subtracting "weight" from the sum if the node has pods which matches the corresponding podAffinityTerm; the node(s) with the highest sum are the most preferred.' },
      requiredDuringSchedulingIgnoredDuringExecution: { type: '[]PodAffinityTerm', description: 'If the anti-affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node. If the anti-affinity requirements specified by this field cease to be met at some point during pod execution (e.g. due to a pod label update), the system may or may not try to eventually evict the pod from its node. When there are multiple elements, the lists of nodes corresponding to each podAffinityTerm are intersected, i.e. all terms must be satisfied.' },
    },
  },
  PodAffinityTerm: {
    description: 'Defines a set of pods (namely those matching the labelSelector relative to the given namespace(s)) that this pod should be co-located (affinity) or not co-located (anti-affinity) with, where co-located is defined as running on a node whose value of the label with key <topologyKey> matches that of any node on which a pod of the set of pods is running',
    fields: {
      labelSelector: { type: 'LabelSelector', description: 'A label query over a set of resources, in this case pods. If it\'s null, this PodAffinityTerm matches with no Pods.' },
      namespaces: { type: '[]string', description: 'namespaces specifies a static list of namespace names that the term applies to. The term is applied to the union of the namespaces listed in this field and the ones selected by namespaceSelector. null or empty namespaces list and null namespaceSelector means "this pod\'s namespace".' },
      topologyKey: { type: 'string', required: true, description: 'This pod should be co-located (affinity) or not co-located (anti-affinity) with the pods matching the labelSelector in the specified namespaces, where co-located is defined as running on a node whose value of the label with key topologyKey matches that of any node on which any of the selected pods is running. Empty topologyKey is not allowed.' },
    },
  },
  WeightedPodAffinityTerm: {
    description: 'The weights of all of the matched WeightedPodAffinityTerm fields are added per-node to find the most preferred node(s)',
    fields: {
      podAffinityTerm: { type: 'PodAffinityTerm', required: true, description: 'Required. A pod affinity term, associated with the corresponding weight.' },
      weight: { type: 'integer', required: true, description: 'weight associated with matching the corresponding podAffinityTerm, in the range 1-100.' },
    },
  },
  TopologySpreadConstraint: {
    description: 'TopologySpreadConstraint specifies how to spread matching pods among the given topology.',
    fields: {
      labelSelector: { type: 'LabelSelector', description: 'LabelSelector is used to find matching pods. Pods that match this label selector are counted to determine the number of pods in their corresponding topology domain.' },
      matchLabelKeys: { type: '[]string', description: 'MatchLabelKeys is a set of pod label keys to select the pods over which spreading will be calculated. The keys are used to lookup values from the incoming pod labels, those key-value labels are ANDed with labelSelector to select the group of existing pods over which spreading will be calculated for the incoming pod. The same key is forbidden to exist in both MatchLabelKeys and LabelSelector. MatchLabelKeys cannot be set when LabelSelector isn\'t set. Keys that don\'t exist in the incoming pod labels will be ignored. A null or empty list means only match against labelSelector.\n\nThis is a beta field and requires the MatchLabelKeysInPodTopologySpread feature gate to be enabled (enabled by default).' },
      maxSkew: { type: 'integer', required: true, description: 'MaxSkew describes the degree to which pods may be unevenly distributed. When `whenUnsatisfiable=DoNotSchedule`, it is the maximum permitted difference between the number of matching pods in the target topology and the global minimum. The global minimum is the minimum number of matching pods in an eligible domain or zero if the number of eligible domains is less than MinDomains. For example, in a 3-zone cluster, MaxSkew is set to 1, and pods with the same labelSelector spread as 2/2/1: In this case, the global minimum is 1. | zone1 | zone2 | zone3 | |  P P  |  P P  |   P   | - if MaxSkew is 1, incoming pod can only be scheduled to zone3 to become 2/2/2; scheduling it onto zone1(zone2) would make the ActualSkew(3-1) on zone1(zone2) violate MaxSkew(1). - if MaxSkew is 2, incoming pod can be scheduled onto any zone. When `whenUnsatisfiable=ScheduleAnyway`, it is used to give higher precedence to topologies that satisfy it. It\'s a required field. Default value is 1 and 0 is not allowed.' },
      minDomains: { type: 'integer', description: 'MinDomains indicates a minimum number of eligible domains. When the number of eligible domains with matching topology keys is less than minDomains, Pod Topology Spread treats "global minimum" as 0, and then the calculation of Skew is performed. And when the number of eligible domains with matching topology keys equals or greater than minDomains, this value has no effect on scheduling. As a result, when the number of eligible domains is less than minDomains, scheduler won\'t schedule more than maxSkew Pods to those domains. If value is nil, the constraint behaves as if MinDomains is equal to 1. Valid values are integers greater than 0. When value is not nil, WhenUnsatisfiable must be DoNotSchedule.\n\nFor example, in a 3-zone cluster, MaxSkew is set to 2, MinDomains is set to 5 and pods with the same labelSelector spread as 2/2/2: | zone1 | zone2 | zone3 | |  P P  |  P P  |  P P  | The number of domains is less than 5(MinDomains), so "global minimum" is treated as 0. In this situation, new pod with the same labelSelector cannot be scheduled, because computed skew will be 3(3 - 0) if new Pod is scheduled to any of the three zones, it will violate MaxSkew.' },
      nodeAffinityPolicy: { type: 'string', enum: ['Honor', 'Ignore'], description: 'NodeAffinityPolicy indicates how we will treat Pod\'s nodeAffinity/nodeSelector when calculating pod topology spread skew. Options are: - Honor: only nodes matching nodeAffinity/nodeSelector are included in the calculations. - Ignore: nodeAffinity/nodeSelector are ignored. All nodes are included in the calculations.\n\nIf this value is nil, the behavior is equivalent to the Honor policy.\n\nPossible enum values:\n - `"Honor"` means use this scheduling directive when calculating pod topology spread skew.\n - `"Ignore"` means ignore this scheduling directive when calculating pod topology spread skew.' },
      nodeTaintsPolicy: { type: 'string', enum: ['Honor', 'Ignore'], description: 'NodeTaintsPolicy indicates how we will treat node taints when calculating pod topology spread skew. Options are: - Honor: nodes without taints, along with tainted nodes for which the incoming pod has a toleration, are included. - Ignore: node taints are ignored. All nodes are included.\n\nIf this value is nil, the behavior is equivalent to the Ignore policy.\n\nPossible enum values:\n - `"Honor"` means use this scheduling directive when calculating pod topology spread skew.\n - `"Ignore"` means ignore this scheduling directive when calculating pod topology spread skew.' },
      topologyKey: { type: 'string', required: true, description: 'TopologyKey is the key of node labels. Nodes that have a label with this key and identical values are considered to be in the same topology. We consider each <key, value> as a "bucket", and try to put balanced number of pods into each bucket. We define a domain as a particular instance of a topology. Also, we define an eligible domain as a domain whose nodes meet the requirements of nodeAffinityPolicy and nodeTaintsPolicy. e.g. If TopologyKey is "kubernetes.io/hostname", each Node is a domain of that topology. And, if TopologyKey is "topology.kubernetes.io/zone", each zone is a domain of that topology. It\'s a required field.' },
      whenUnsatisfiable: { type: 'string', required: true, enum: ['DoNotSchedule', 'ScheduleAnyway'], description: 'WhenUnsatisfiable indicates how to deal with a pod if it doesn\'t satisfy the spread constraint. - DoNotSchedule (default) tells the scheduler not to schedule it. - ScheduleAnyway tells the scheduler to schedule the pod in any location,\n  but giving higher precedence to topologies that would help reduce the\n  skew.\nA constraint is considered "Unsatisfiable" for an incoming pod if and only if every possible node assignment for that pod would violate "MaxSkew" on some topology. For example, in a 3-zone cluster, MaxSkew is set to 1, and pods with the same labelSelector spread as 3/1/1: | zone1 | zone2 | zone3 | | P P P |   P   |   P   | If WhenUnsatisfiable is set to DoNotSchedule, incoming pod can only be scheduled to zone2(zone3) to become 3/2/1(3/1/2) as ActualSkew(2-1) on zone2(zone3) satisfies MaxSkew(1). In other words, the cluster can still be imbalanced, but scheduler won\'t make it *more* imbalanced. It\'s a required field.\n\nPossible enum values:\n - `"DoNotSchedule"` instructs the scheduler not to schedule the pod when constraints are not satisfied.\n - `"ScheduleAnyway"` instructs the scheduler to schedule the pod even if constraints are not satisfied.' },
    },
  },
  PodSchedulingGate: {
    description: 'PodSchedulingGate is associated to a Pod to guard its scheduling.',
    fields: {
      name: { type: 'string', required: true, description: 'Name of the scheduling gate. Each scheduling gate must have a unique name field.' },
    },
  },
  PriorityClass: {
    description: 'PriorityClass defines mapping from a priority class name to the priority integer value. The value can be any valid integer.',
    fields: {
      apiVersion: TYPE_META.apiVersion,
      description: { type: 'string', description: 'description is an arbitrary string that usually provides guidelines on when this priority class should be used.' },
      globalDefault: { type: 'boolean', description: 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.' },
      kind: TYPE_META.kind,
      metadata: { type: 'ObjectMeta', description: 'Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' },
      preemptionPolicy: { type: 'string', enum: ['Never', 'PreemptLowerPriority'], description: 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.\n\nPossible enum values:\n - `"Never"` means that pod never preempts other pods with lower priority.\n - `"PreemptLowerPriority"` means that pod can preempt other pods with lower priority.' },
      value: { type: 'integer', required: true, description: 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.' },
    },
  },
};
