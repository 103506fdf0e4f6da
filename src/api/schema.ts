/**
 * The fields each kind has, for strict decoding: a manifest with a field the
 * API does not know (`imagePullPolicyy`, `spec.replica`) is refused as the
 * API server refuses it (`strict decoding error: unknown field
 * "spec.replica"`). Every field of the real v1 types is listed down to the
 * levels where typos are common; deeper structures (affinity, security
 * contexts, volume sources…) are taken as they are.
 */

/**
 * A typed leaf: the JSON type the API's Go field has, and the Go struct it is
 * in (for the decoder's message). `map` leaves are maps of that type.
 */
export class Leaf {
  constructor(
    readonly type: 'string' | 'int32' | 'bool',
    readonly go: string,
    readonly map = false,
  ) {}
}

/** `true`: any value; a Leaf: a scalar of a type; a nested schema: an object with those fields; `[schema]`: a list of them. */
export type Schema = true | Leaf | { [field: string]: Schema } | [Schema];

const ANY = true as const;
const list = (s: Schema): Schema => [s];
const fields = (names: string, extra: Record<string, Schema> = {}): Record<string, Schema> => ({
  ...Object.fromEntries(names.split(/\s+/).filter(Boolean).map((n) => [n, ANY])),
  ...extra,
});

const objectMeta = fields('name generateName namespace uid resourceVersion generation creationTimestamp deletionTimestamp deletionGracePeriodSeconds ownerReferences finalizers managedFields selfLink', {
  labels: new Leaf('string', 'ObjectMeta', true),
  annotations: new Leaf('string', 'ObjectMeta', true),
});

const probe = fields('exec httpGet tcpSocket grpc initialDelaySeconds timeoutSeconds periodSeconds successThreshold failureThreshold terminationGracePeriodSeconds');

const container = fields(
  'name image workingDir envFrom imagePullPolicy lifecycle resizePolicy restartPolicy restartPolicyRules securityContext stdin stdinOnce terminationMessagePath terminationMessagePolicy tty volumeDevices',
  {
    command: list(new Leaf('string', 'Container')),
    args: list(new Leaf('string', 'Container')),
    env: list(fields('name valueFrom', { value: new Leaf('string', 'EnvVar') })),
    ports: list(fields('name hostPort hostIP protocol', { containerPort: new Leaf('int32', 'ContainerPort') })),
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
  Deployment: top(fields('selector strategy minReadySeconds revisionHistoryLimit paused progressDeadlineSeconds', { template, replicas: new Leaf('int32', 'DeploymentSpec') })),
  ReplicaSet: top(fields('selector minReadySeconds', { template, replicas: new Leaf('int32', 'ReplicaSetSpec') })),
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
  ConfigMap: fields('apiVersion kind binaryData immutable', { metadata: objectMeta, data: new Leaf('string', 'ConfigMap', true) }),
  Secret: fields('apiVersion kind data stringData type immutable', { metadata: objectMeta }),
  PriorityClass: fields('apiVersion kind value globalDefault description preemptionPolicy', { metadata: objectMeta }),
  Event: fields(
    'apiVersion kind involvedObject reason message source firstTimestamp lastTimestamp count type eventTime series action related reportingComponent reportingInstance',
    { metadata: objectMeta },
  ),
};

/** The paths of fields `value` has that `schema` does not know (`spec.containers[0].imagee`). */
export function unknownFields(value: unknown, schema: Schema, path = ''): string[] {
  if (schema === true || schema instanceof Leaf || value === null || typeof value !== 'object') return [];
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

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v === 'object' ? 'object' : typeof v);
const fits = (v: unknown, type: Leaf['type']) => v === null || (type === 'string' ? typeof v === 'string' : type === 'bool' ? typeof v === 'boolean' : Number.isInteger(v));

/**
 * The first value whose JSON type its Go field cannot take, worded as Go's
 * decoder words it: `json: cannot unmarshal number into Go struct field
 * EnvVar.spec.containers.env.value of type string` (the path without list
 * indexes).
 */
export function typeError(value: unknown, schema: Schema, path = ''): string | undefined {
  if (schema === true || value === undefined) return undefined;
  if (schema instanceof Leaf) {
    const values = schema.map ? (value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.values(value) : [value]) : [value];
    const bad = values.find((v) => !fits(v, schema.type));
    return bad === undefined ? undefined : `json: cannot unmarshal ${jsonType(bad)} into Go struct field ${schema.go}.${path} of type ${schema.type}`;
  }
  if (Array.isArray(schema)) return Array.isArray(value) ? value.map((v) => typeError(v, schema[0], path)).find(Boolean) : undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const sub = schema[k];
    const found = sub && typeError(v, sub, path ? `${path}.${k}` : k);
    if (found) return found;
  }
  return undefined;
}
