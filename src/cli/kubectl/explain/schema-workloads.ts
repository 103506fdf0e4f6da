/** Deployment, ReplicaSet, DaemonSet and Job (apps/v1, batch/v1). */
import type { TypeDoc } from './schema.ts';
import { TYPE_META } from './schema-meta.ts';

export const WORKLOAD_TYPES: Record<string, TypeDoc> = {
  PodTemplateSpec: {
    description: 'PodTemplateSpec describes the data a pod should have when created from a template',
    fields: {
      metadata: { type: 'ObjectMeta', description: 'Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' },
      spec: { type: 'PodSpec', description: 'Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' },
    },
  },
  Deployment: {
    description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
    fields: {
      apiVersion: TYPE_META.apiVersion,
      kind: TYPE_META.kind,
      metadata: { type: 'ObjectMeta', description: 'Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' },
      spec: { type: 'DeploymentSpec', description: 'Specification of the desired behavior of the Deployment.' },
      status: { type: 'DeploymentStatus', description: 'Most recently observed status of the Deployment.' },
    },
  },
  DeploymentSpec: {
    description: 'DeploymentSpec is the specification of the desired behavior of the Deployment.',
    fields: {
      minReadySeconds: { type: 'integer', description: 'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)' },
      paused: { type: 'boolean', description: 'Indicates that the deployment is paused.' },
      progressDeadlineSeconds: { type: 'integer', description: 'The maximum time in seconds for a deployment to make progress before it is considered to be failed. The deployment controller will continue to process failed deployments and a condition with a ProgressDeadlineExceeded reason will be surfaced in the deployment status. Note that progress will not be estimated during the time a deployment is paused. Defaults to 600s.' },
      replicas: { type: 'integer', description: 'Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.' },
      revisionHistoryLimit: { type: 'integer', description: 'The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.' },
      selector: { type: 'LabelSelector', required: true, description: 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template\'s labels.' },
      strategy: { type: 'DeploymentStrategy', description: 'The deployment strategy to use to replace existing pods with new ones.' },
      template: { type: 'PodTemplateSpec', required: true, description: 'Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is "Always".' },
    },
  },
  DeploymentStrategy: {
    description: 'DeploymentStrategy describes how to replace existing pods with new ones.',
    fields: {
      rollingUpdate: { type: 'RollingUpdateDeployment', description: 'Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.' },
      type: { type: 'string', enum: ['Recreate', 'RollingUpdate'], description: 'Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.\n\nPossible enum values:\n - `"Recreate"` Kill all existing pods before creating new ones.\n - `"RollingUpdate"` Replace the old ReplicaSets by new one using rolling update i.e gradually scale down the old ReplicaSets and scale up the new one.' },
    },
  },
  RollingUpdateDeployment: {
    description: 'Spec to control the desired behavior of rolling update.',
    fields: {
      maxSurge: { type: 'IntOrString', description: 'The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Absolute number is calculated from percentage by rounding up. Defaults to 25%. Example: when this is set to 30%, the new ReplicaSet can be scaled up immediately when the rolling update starts, such that the total number of old and new pods do not exceed 130% of desired pods. Once old pods have been killed, new ReplicaSet can be scaled up further, ensuring that total number of pods running at any time during the update is at most 130% of desired pods.' },
      maxUnavailable: { type: 'IntOrString', description: 'The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Absolute number is calculated from percentage by rounding down. This can not be 0 if MaxSurge is 0. Defaults to 25%. Example: when this is set to 30%, the old ReplicaSet can be scaled down to 70% of desired pods immediately when the rolling update starts. Once new pods are ready, old ReplicaSet can be scaled down further, followed by scaling up the new ReplicaSet, ensuring that the total number of pods available at all times during the update is at least 70% of desired pods.' },
    },
  },
  DeploymentStatus: {
    description: 'DeploymentStatus is the most recently observed status of the Deployment.',
    fields: {
      availableReplicas: { type: 'integer', description: 'Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.' },
      collisionCount: { type: 'integer', description: 'Count of hash collisions for the Deployment. The Deployment controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ReplicaSet.' },
      conditions: { type: '[]DeploymentCondition', description: 'Represents the latest available observations of a deployment\'s current state.' },
      observedGeneration: { type: 'integer', description: 'The generation observed by the deployment controller.' },
      readyReplicas: { type: 'integer', description: 'Total number of non-terminating pods targeted by this Deployment with a Ready Condition.' },
      replicas: { type: 'integer', description: 'Total number of non-terminating pods targeted by this deployment (their labels match the selector).' },
      unavailableReplicas: { type: 'integer', description: 'Total number of unavailable pods targeted by this deployment. This is the total number of pods that are still required for the deployment to have 100% available capacity. They may either be pods that are running but not yet available or pods that still have not been created.' },
      updatedReplicas: { type: 'integer', description: 'Total number of non-terminating pods targeted by this deployment that have the desired template spec.' },
    },
  },
  DeploymentCondition: {
    description: 'DeploymentCondition describes the state of a deployment at a certain point.',
    fields: {
      lastTransitionTime: { type: 'Time', description: 'Last time the condition transitioned from one status to another.' },
      lastUpdateTime: { type: 'Time', description: 'The last time this condition was updated.' },
      message: { type: 'string', description: 'A human readable message indicating details about the transition.' },
      reason: { type: 'string', description: 'The reason for the condition\'s last transition.' },
      status: { type: 'string', required: true, description: 'Status of the condition, one of True, False, Unknown.' },
      type: { type: 'string', required: true, description: 'Type of deployment condition.' },
    },
  },
  ReplicaSet: {
    description: 'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
    fields: {
      apiVersion: TYPE_META.apiVersion,
      kind: TYPE_META.kind,
      metadata: { type: 'ObjectMeta', description: 'If the Labels of a ReplicaSet are empty, they are defaulted to be the same as the Pod(s) that the ReplicaSet manages. Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' },
      spec: { type: 'ReplicaSetSpec', description: 'Spec defines the specification of the desired behavior of the ReplicaSet. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' },
      status: { type: 'ReplicaSetStatus', description: 'Status is the most recently observed status of the ReplicaSet. This data may be out of date by some window of time. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' },
    },
  },
  ReplicaSetSpec: {
    description: 'ReplicaSetSpec is the specification of a ReplicaSet.',
    fields: {
      minReadySeconds: { type: 'integer', description: 'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)' },
      replicas: { type: 'integer', description: 'Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset' },
      selector: { type: 'LabelSelector', required: true, description: 'Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template\'s labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors' },
      template: { type: 'PodTemplateSpec', description: 'Template is the object that describes the pod that will be created if insufficient replicas are detected. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#pod-template' },
    },
  },
  ReplicaSetStatus: {
    description: 'ReplicaSetStatus represents the current status of a ReplicaSet.',
    fields: {
      availableReplicas: { type: 'integer', description: 'The number of available non-terminating pods (ready for at least minReadySeconds) for this replica set.' },
      fullyLabeledReplicas: { type: 'integer', description: 'The number of non-terminating pods that have labels matching the labels of the pod template of the replicaset.' },
      observedGeneration: { type: 'integer', description: 'ObservedGeneration reflects the generation of the most recently observed ReplicaSet.' },
      readyReplicas: { type: 'integer', description: 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.' },
      replicas: { type: 'integer', required: true, description: 'Replicas is the most recently observed number of non-terminating pods. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset' },
    },
  },
  DaemonSet: {
    description: 'DaemonSet represents the configuration of a daemon set.',
    fields: {
      apiVersion: TYPE_META.apiVersion,
      kind: TYPE_META.kind,
      metadata: { type: 'ObjectMeta', description: 'Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' },
      spec: { type: 'DaemonSetSpec', description: 'The desired behavior of this daemon set. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' },
      status: { type: 'DaemonSetStatus', description: 'The current status of this daemon set. This data may be out of date by some window of time. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' },
    },
  },
  DaemonSetSpec: {
    description: 'DaemonSetSpec is the specification of a daemon set.',
    fields: {
      minReadySeconds: { type: 'integer', description: 'The minimum number of seconds for which a newly created DaemonSet pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready).' },
      revisionHistoryLimit: { type: 'integer', description: 'The number of old history to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.' },
      selector: { type: 'LabelSelector', required: true, description: 'A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template\'s labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors' },
      template: { type: 'PodTemplateSpec', required: true, description: 'An object that describes the pod that will be created. The DaemonSet will create exactly one copy of this pod on every node that matches the template\'s node selector (or on every node if no node selector is specified). The only allowed template.spec.restartPolicy value is "Always". More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#pod-template' },
      updateStrategy: { type: 'DaemonSetUpdateStrategy', description: 'An update strategy to replace existing DaemonSet pods with new pods.' },
    },
  },
  DaemonSetUpdateStrategy: {
    description: 'DaemonSetUpdateStrategy is a struct used to control the update strategy for a DaemonSet.',
    fields: {
      rollingUpdate: { type: 'RollingUpdateDaemonSet', description: 'Rolling update config params. Present only if type = "RollingUpdate".' },
      type: { type: 'string', enum: ['OnDelete', 'RollingUpdate'], description: 'Type of daemon set update. Can be "RollingUpdate" or "OnDelete". Default is RollingUpdate.\n\nPossible enum values:\n - `"OnDelete"` Replace the old daemons only when it\'s killed\n - `"RollingUpdate"` Replace the old daemons by new ones using rolling update i.e replace them on each node one after the other.' },
    },
  },
  RollingUpdateDaemonSet: {
    description: 'Spec to control the desired behavior of daemon set rolling update.',
    fields: {
      maxSurge: { type: 'IntOrString', description: 'The maximum number of nodes with an existing available DaemonSet pod that can have an updated DaemonSet pod during during an update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Absolute number is calculated from percentage by rounding up to a minimum of 1. Default value is 0. Example: when this is set to 30%, at most 30% of the total number of nodes that should be running the daemon pod (i.e. status.desiredNumberScheduled) can have their a new pod created before the old pod is marked as deleted. The update starts by launching new pods on 30% of nodes. Once an updated pod is available (Ready for at least minReadySeconds) the old DaemonSet pod on that node is marked deleted. If the old pod becomes unavailable for any reason (Ready transitions to false, is evicted, or is drained) an updated pod is immediately created on that node without considering surge limits. Allowing surge implies the possibility that the resources consumed by the daemonset on any given node can double if the readiness check fails, and so resource intensive daemonsets should take into account that they may cause evictions during disruption.' },
      maxUnavailable: { type: 'IntOrString', description: 'The maximum number of DaemonSet pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of total number of DaemonSet pods at the start of the update (ex: 10%). Absolute number is calculated from percentage by rounding up. This cannot be 0 if MaxSurge is 0 Default value is 1. Example: when this is set to 30%, at most 30% of the total number of nodes that should be running the daemon pod (i.e. status.desiredNumberScheduled) can have their pods stopped for an update at any given time. The update starts by stopping at most 30% of those DaemonSet pods and then brings up new DaemonSet pods in their place. Once the new pods are available, it then proceeds onto other DaemonSet pods, thus ensuring that at least 70% of original number of DaemonSet pods are available at all times during the update.' },
    },
  },
  DaemonSetStatus: {
    description: 'DaemonSetStatus represents the current status of a daemon set.',
    fields: {
      currentNumberScheduled: { type: 'integer', required: true, description: 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/' },
      desiredNumberScheduled: { type: 'integer', required: true, description: 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/' },
      numberAvailable: { type: 'integer', description: 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)' },
      numberMisscheduled: { type: 'integer', required: true, description: 'The number of nodes that are running the daemon pod, but are not supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/' },
      numberReady: { type: 'integer', required: true, description: 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.' },
      numberUnavailable: { type: 'integer', description: 'The number of nodes that should be running the daemon pod and have none of the daemon pod running and available (ready for at least spec.minReadySeconds)' },
      observedGeneration: { type: 'integer', description: 'The most recent generation observed by the daemon set controller.' },
      updatedNumberScheduled: { type: 'integer', description: 'The total number of nodes that are running updated daemon pod' },
    },
  },
  Job: {
    description: 'Job represents the configuration of a single job.',
    fields: {
      apiVersion: TYPE_META.apiVersion,
      kind: TYPE_META.kind,
      metadata: { type: 'ObjectMeta', description: 'Standard object\'s metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' },
      spec: { type: 'JobSpec', description: 'Specification of the desired behavior of a job. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' },
      status: { type: 'JobStatus', description: 'Current status of a job. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' },
    },
  },
  JobSpec: {
    description: 'JobSpec describes how the job execution will look like.',
    fields: {
      activeDeadlineSeconds: { type: 'integer', description: 'Specifies the duration in seconds relative to the startTime that the job may be continuously active before the system tries to terminate it; value must be positive integer. If a Job is suspended (at creation or through an update), this timer will effectively be stopped and reset when the Job is resumed again.' },
      backoffLimit: { type: 'integer', description: 'Specifies the number of retries before marking this job failed. Defaults to 6, unless backoffLimitPerIndex (only Indexed Job) is specified. When backoffLimitPerIndex is specified, backoffLimit defaults to 2147483647.' },
      completionMode: { type: 'string', enum: ['Indexed', 'NonIndexed'], description: 'completionMode specifies how Pod completions are tracked. It can be `NonIndexed` (default) or `Indexed`.\n\n`NonIndexed` means that the Job is considered complete when there have been .spec.completions successfully completed Pods. Each Pod completion is homologous to each other.\n\n`Indexed` means that the Pods of a Job get an associated completion index from 0 to (.spec.completions - 1), available in the annotation batch.kubernetes.io/job-completion-index. The Job is considered complete when there is one successfully completed Pod for each index. When value is `Indexed`, .spec.completions must be specified and `.spec.parallelism` must be less than or equal to 10^5. In addition, The Pod name takes the form `$(job-name)-$(index)-$(random-string)`, the Pod hostname takes the form `$(job-name)-$(index)`.\n\nMore completion modes can be added in the future. If the Job controller observes a mode that it doesn\'t recognize, which is possible during upgrades due to version skew, the controller skips updates for the Job.\n\nPossible enum values:\n - `"Indexed"` is a Job completion mode. In this mode, the Pods of a Job get an associated completion index from 0 to (.spec.completions - 1). The Job is considered complete when a Pod completes for each completion index.\n - `"NonIndexed"` is a Job completion mode. In this mode, the Job is considered complete when there have been .spec.completions successfully completed Pods. Pod completions are homologous to each other.' },
      completions: { type: 'integer', description: 'Specifies the desired number of successfully finished pods the job should be run with.  Setting to null means that the success of any pod signals the success of all pods, and allows parallelism to have any positive value.  Setting to 1 means that parallelism is limited to 1 and the success of that pod signals the success of the job. More info: https://kubernetes.io/docs/concepts/workloads/controllers/jobs-run-to-completion/' },
      manualSelector: { type: 'boolean', description: 'manualSelector controls generation of pod labels and pod selectors. Leave `manualSelector` unset unless you are certain what you are doing. When false or unset, the system pick labels unique to this job and appends those labels to the pod template.  When true, the user is responsible for picking unique labels and specifying the selector.  Failure to pick a unique label may cause this and other jobs to not function correctly.  However, You may see `manualSelector=true` in jobs that were created with the old `extensions/v1beta1` API. More info: https://kubernetes.io/docs/concepts/workloads/controllers/jobs-run-to-completion/#specifying-your-own-pod-selector' },
      parallelism: { type: 'integer', description: 'Specifies the maximum desired number of pods the job should run at any given time. The actual number of pods running in steady state will be less than this number when ((.spec.completions - .status.successful) < .spec.parallelism), i.e. when the work left to do is less than max parallelism. More info: https://kubernetes.io/docs/concepts/workloads/controllers/jobs-run-to-completion/' },
      podReplacementPolicy: { type: 'string', enum: ['Failed', 'TerminatingOrFailed'], description: 'podReplacementPolicy specifies when to create replacement Pods. Possible values are: - TerminatingOrFailed means that we recreate pods\n  when they are terminating (has a metadata.deletionTimestamp) or failed.\n- Failed means to wait until a previously created Pod is fully terminated (has phase\n  Failed or Succeeded) before creating a replacement Pod.\n\nWhen using podFailurePolicy, Failed is the the only allowed value. TerminatingOrFailed and Failed are allowed values when podFailurePolicy is not in use.\n\nPossible enum values:\n - `"Failed"` means to wait until a previously created Pod is fully terminated (has phase Failed or Succeeded) before creating a replacement Pod.\n - `"TerminatingOrFailed"` means that we recreate pods when they are terminating (has a metadata.deletionTimestamp) or failed.' },
      selector: { type: 'LabelSelector', description: 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors' },
      suspend: { type: 'boolean', description: 'suspend specifies whether the Job controller should create Pods or not. If a Job is created with suspend set to true, no Pods are created by the Job controller. If a Job is suspended after creation (i.e. the flag goes from false to true), the Job controller will delete all active Pods associated with this Job. Users must design their workload to gracefully handle this. Suspending a Job will reset the StartTime field of the Job, effectively resetting the ActiveDeadlineSeconds timer too. Defaults to false.' },
      template: { type: 'PodTemplateSpec', required: true, description: 'Describes the pod that will be created when executing a job. The only allowed template.spec.restartPolicy values are "Never" or "OnFailure". More info: https://kubernetes.io/docs/concepts/workloads/controllers/jobs-run-to-completion/' },
      ttlSecondsAfterFinished: { type: 'integer', description: 'ttlSecondsAfterFinished limits the lifetime of a Job that has finished execution (either Complete or Failed). If this field is set, ttlSecondsAfterFinished after the Job finishes, it is eligible to be automatically deleted. When the Job is being deleted, its lifecycle guarantees (e.g. finalizers) will be honored. If this field is unset, the Job won\'t be automatically deleted. If this field is set to zero, the Job becomes eligible to be deleted immediately after it finishes.' },
    },
  },
  JobStatus: {
    description: 'JobStatus represents the current state of a Job.',
    fields: {
      active: { type: 'integer', description: 'The number of pending and running pods which are not terminating (without a deletionTimestamp). The value is zero for finished jobs.' },
      completedIndexes: { type: 'string', description: 'completedIndexes holds the completed indexes when .spec.completionMode = "Indexed" in a text format. The indexes are represented as decimal integers separated by commas. The numbers are listed in increasing order. Three or more consecutive numbers are compressed and represented by the first and last element of the series, separated by a hyphen. For example, if the completed indexes are 1, 3, 4, 5 and 7, they are represented as "1,3-5,7".' },
      completionTime: { type: 'Time', description: 'Represents time when the job was completed. It is not guaranteed to be set in happens-before order across separate operations. It is represented in RFC3339 form and is in UTC. The completion time is set when the job finishes successfully, and only then. The value cannot be updated or removed. The value indicates the same or later point in time as the startTime field.' },
      conditions: { type: '[]JobCondition', description: 'The latest available observations of an object\'s current state. When a Job fails, one of the conditions will have type "Failed" and status true. When a Job is suspended, one of the conditions will have type "Suspended" and status true; when the Job is resumed, the status of this condition will become false. When a Job is completed, one of the conditions will have type "Complete" and status true.\n\nA job is considered finished when it is in a terminal condition, either "Complete" or "Failed". A Job cannot have both the "Complete" and "Failed" conditions. Additionally, it cannot be in the "Complete" and "FailureTarget" conditions. The "Complete", "Failed" and "FailureTarget" conditions cannot be disabled.\n\nMore info: https://kubernetes.io/docs/concepts/workloads/controllers/jobs-run-to-completion/' },
      failed: { type: 'integer', description: 'The number of pods which reached phase Failed. The value increases monotonically.' },
      ready: { type: 'integer', description: 'The number of active pods which have a Ready condition and are not terminating (without a deletionTimestamp).' },
      startTime: { type: 'Time', description: 'Represents time when the job controller started processing a job. When a Job is created in the suspended state, this field is not set until the first time it is resumed. This field is reset every time a Job is resumed from suspension. It is represented in RFC3339 form and is in UTC.\n\nOnce set, the field can only be removed when the job is suspended. The field cannot be modified while the job is unsuspended or finished.' },
      succeeded: { type: 'integer', description: 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.' },
      terminating: { type: 'integer', description: 'The number of pods which are terminating (in phase Pending or Running and have a deletionTimestamp).\n\nThis field is beta-level. The job controller populates the field when the feature gate JobPodReplacementPolicy is enabled (enabled by default).' },
      uncountedTerminatedPods: { type: 'UncountedTerminatedPods', description: 'uncountedTerminatedPods holds the UIDs of Pods that have terminated but the job controller hasn\'t yet accounted for in the status counters.\n\nThe job controller creates pods with a finalizer. When a pod terminates (succeeded or failed), the controller does three steps to account for it in the job status:\n\n1. Add the pod UID to the arrays in this field. 2. Remove the pod finalizer. 3. Remove the pod UID from the arrays while increasing the corresponding\n    counter.\n\nOld jobs might not be tracked using this field, in which case the field remains null. The structure is empty for finished jobs.' },
    },
  },
  UncountedTerminatedPods: {
    description: 'UncountedTerminatedPods holds UIDs of Pods that have terminated but haven\'t been accounted in Job status counters.',
    fields: {
      failed: { type: '[]string', description: 'failed holds UIDs of failed Pods.' },
      succeeded: { type: '[]string', description: 'succeeded holds UIDs of succeeded Pods.' },
    },
  },
  JobCondition: {
    description: 'JobCondition describes current state of a job.',
    fields: {
      lastProbeTime: { type: 'Time', description: 'Last time the condition was checked.' },
      lastTransitionTime: { type: 'Time', description: 'Last time the condition transit from one status to another.' },
      message: { type: 'string', description: 'Human readable message indicating details about last transition.' },
      reason: { type: 'string', description: '(brief) reason for the condition\'s last transition.' },
      status: { type: 'string', required: true, description: 'Status of the condition, one of True, False, Unknown.' },
      type: { type: 'string', required: true, description: 'Type of job condition, Complete or Failed.' },
    },
  },
};
