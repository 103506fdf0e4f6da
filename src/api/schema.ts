/**
 * The fields each kind has, for strict decoding: a manifest with a field the
 * API does not know (`imagePullPolicyy`, `spec.replica`) is refused as the
 * API server refuses it (`strict decoding error: unknown field
 * "spec.replica"`). Every field of the real v1 types is listed down to the
 * levels where typos are common; deeper structures (affinity, security
 * contexts, volume sources…) are taken as they are.
 */

/** `true`: any value; a nested schema: an object with those fields; `[schema]`: a list of them; `{ '*': schema }`: a map. */
export type Schema = true | { [field: string]: Schema } | [Schema];

const ANY = true as const;
const list = (s: Schema): Schema => [s];
const fields = (names: string, extra: Record<string, Schema> = {}): Record<string, Schema> => ({
  ...Object.fromEntries(names.split(/\s+/).filter(Boolean).map((n) => [n, ANY])),
  ...extra,
});

const objectMeta = fields(
  'name generateName namespace uid resourceVersion generation creationTimestamp deletionTimestamp deletionGracePeriodSeconds labels annotations ownerReferences finalizers managedFields selfLink',
);

const probe = fields('exec httpGet tcpSocket grpc initialDelaySeconds timeoutSeconds periodSeconds successThreshold failureThreshold terminationGracePeriodSeconds');

const container = fields(
  'name image command args workingDir envFrom imagePullPolicy lifecycle resizePolicy restartPolicy restartPolicyRules securityContext stdin stdinOnce terminationMessagePath terminationMessagePolicy tty volumeDevices',
  {
    env: list(fields('name value valueFrom')),
    ports: list(fields('name containerPort hostPort hostIP protocol')),
    resources: fields('limits requests claims'),
    volumeMounts: list(fields('name mountPath readOnly recursiveReadOnly subPath subPathExpr mountPropagation')),
    livenessProbe: probe,
    readinessProbe: probe,
    startupProbe: probe,
  },
);

const podSpec = fields(
  'activeDeadlineSeconds affinity automountServiceAccountToken dnsConfig dnsPolicy enableServiceLinks ephemeralContainers hostAliases hostIPC hostNetwork hostPID hostUsers hostname hostnameOverride imagePullSecrets nodeName nodeSelector os overhead preemptionPolicy priority priorityClassName readinessGates resourceClaims resources restartPolicy runtimeClassName schedulerName schedulingGates securityContext serviceAccount serviceAccountName setHostnameAsFQDN shareProcessNamespace subdomain terminationGracePeriodSeconds topologySpreadConstraints',
  {
    containers: list(container),
    initContainers: list(container),
    tolerations: list(fields('key operator value effect tolerationSeconds')),
    volumes: list(
      fields(
        'name emptyDir configMap secret downwardAPI hostPath persistentVolumeClaim projected nfs csi ephemeral image awsElasticBlockStore azureDisk azureFile cephfs cinder fc flexVolume flocker gcePersistentDisk gitRepo glusterfs iscsi photonPersistentDisk portworxVolume quobyte rbd scaleIO storageos vsphereVolume',
      ),
    ),
  },
);

const template = { metadata: objectMeta, spec: podSpec };
const top = (spec: Schema, extra = 'status'): Record<string, Schema> => fields(`apiVersion kind ${extra}`, { metadata: objectMeta, spec });

export const SCHEMAS: Record<string, Schema> = {
  Pod: top(podSpec),
  Deployment: top(fields('replicas selector strategy minReadySeconds revisionHistoryLimit paused progressDeadlineSeconds', { template })),
  ReplicaSet: top(fields('replicas selector minReadySeconds', { template })),
  DaemonSet: top(fields('selector updateStrategy minReadySeconds revisionHistoryLimit', { template })),
  Job: top(
    fields(
      'parallelism completions activeDeadlineSeconds podFailurePolicy successPolicy backoffLimit backoffLimitPerIndex maxFailedIndexes selector manualSelector ttlSecondsAfterFinished completionMode suspend podReplacementPolicy managedBy',
      { template },
    ),
  ),
  Service: top(
    fields(
      'selector clusterIP clusterIPs type externalIPs sessionAffinity loadBalancerIP loadBalancerSourceRanges externalName externalTrafficPolicy healthCheckNodePort publishNotReadyAddresses sessionAffinityConfig ipFamilies ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy trafficDistribution',
      { ports: list(fields('name protocol appProtocol port targetPort nodePort')) },
    ),
  ),
  Node: top(fields('podCIDR podCIDRs providerID unschedulable taints configSource externalID')),
  Namespace: top(fields('finalizers')),
  ConfigMap: fields('apiVersion kind data binaryData immutable', { metadata: objectMeta }),
  Secret: fields('apiVersion kind data stringData type immutable', { metadata: objectMeta }),
  PriorityClass: fields('apiVersion kind value globalDefault description preemptionPolicy', { metadata: objectMeta }),
  Event: fields(
    'apiVersion kind involvedObject reason message source firstTimestamp lastTimestamp count type eventTime series action related reportingComponent reportingInstance',
    { metadata: objectMeta },
  ),
};

/** The paths of fields `value` has that `schema` does not know (`spec.containers[0].imagee`). */
export function unknownFields(value: unknown, schema: Schema, path = ''): string[] {
  if (schema === true || value === null || typeof value !== 'object') return [];
  if (Array.isArray(schema)) {
    return Array.isArray(value) ? value.flatMap((v, i) => unknownFields(v, schema[0], `${path}[${i}]`)) : [];
  }
  if (Array.isArray(value)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const at = path ? `${path}.${k}` : k;
    const sub = schema[k];
    if (sub === undefined) out.push(at);
    else out.push(...unknownFields(v, sub, at));
  }
  return out;
}
