/**
 * Containers, volumes and pod templates as kubectl describe prints them
 * (describe.go describeContainers, describeVolumes, DescribePodTemplate):
 * shared by pods and by every workload's `Pod Template:`.
 */
import { metadataField, type Container, type ContainerState, type ContainerStatus, type EnvVar, type Pod, type PodTemplateSpec, type Probe, type Volume } from '../../../api/index.ts';
import { printAnnotationsMultiline, printBool, printLabelsMultiline, printTolerationsMultiline, rfc1123z, stringOrNone, selectorString } from './format.ts';
import { canonicalQuantity, milliValue, parseQuantity, wholeValue } from './quantity.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './writer.ts';

/** Resolves a fieldRef env var for a pod (EnvValueRetriever); templates resolve none. */
type EnvResolver = ((e: EnvVar) => string) | undefined;

/** describeContainers: `Containers:` and, per container, its image, state, resources, probes, environment and mounts. */
export function describeContainers(
  w: PrefixWriter,
  label: string,
  containers: Container[],
  statuses: ContainerStatus[] | undefined,
  resolver: EnvResolver,
  space: string,
): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  w.write(LEVEL_0, `${space}${label}:${containers.length ? '' : ' <none>'}\n`);
  for (const c of containers) {
    const status = byName.get(c.name);
    describeBasicInfo(w, c, status, space);
    describeCommand(w, c);
    if (status) describeContainerState(w, status);
    describeResources(w, c.resources, LEVEL_2);
    describeProbes(w, c);
    if (c.envFrom?.length) describeEnvFrom(w, c);
    describeEnv(w, c, resolver);
    describeMounts(w, c);
  }
}

function describeBasicInfo(w: PrefixWriter, c: Container, status: ContainerStatus | undefined, space: string): void {
  w.write(LEVEL_1, `${space ? ' ' : ''}${c.name}:\n`);
  if (status) w.write(LEVEL_2, `Container ID:\t${status.containerID ?? ''}\n`);
  w.write(LEVEL_2, `Image:\t${c.image ?? ''}\n`);
  if (status) w.write(LEVEL_2, `Image ID:\t${status.imageID ?? ''}\n`);
  // `8080/TCP (http)`: a named port shows its name.
  const port = (n: number, p: { name?: string; protocol?: string }) => `${n}/${p.protocol ?? ''}${p.name ? ` (${p.name})` : ''}`;
  const ports = (c.ports ?? []).map((p) => port(p.containerPort, p)).join(', ');
  w.write(LEVEL_2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${stringOrNone(ports)}\n`);
  const hostPorts = (c.ports ?? []).map((p) => port(p.hostPort ?? 0, p)).join(', ');
  w.write(LEVEL_2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${stringOrNone(hostPorts)}\n`);
}

function describeCommand(w: PrefixWriter, c: Container): void {
  if (c.command?.length) {
    w.write(LEVEL_2, 'Command:\n');
    for (const part of c.command) for (const s of part.split('\n')) w.write(LEVEL_3, `${s}\n`);
  }
  if (c.args?.length) {
    w.write(LEVEL_2, 'Args:\n');
    for (const part of c.args) for (const s of part.split('\n')) w.write(LEVEL_3, `${s}\n`);
  }
}

/** describeResources: Limits then Requests, each sorted by resource name. */
export function describeResources(w: PrefixWriter, resources: { limits?: Record<string, string>; requests?: Record<string, string> } | undefined, level: number): void {
  if (!resources) return;
  for (const [title, list] of [['Limits', resources.limits], ['Requests', resources.requests]] as const) {
    const names = Object.keys(list ?? {}).sort();
    if (names.length) w.write(level, `${title}:\n`);
    for (const name of names) w.write(level + 1, `${name}:\t${canonicalQuantity(list![name]!)}\n`);
  }
}

function describeState(w: PrefixWriter, name: string, state: ContainerState | undefined): void {
  if (state?.running) {
    w.write(LEVEL_2, `${name}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(LEVEL_2, `${name}:\tWaiting\n`);
    if (state.waiting.reason) w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated as typeof state.terminated & { signal?: number };
    w.write(LEVEL_2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`);
    w.write(LEVEL_3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else w.write(LEVEL_2, `${name}:\tWaiting\n`);
}

function describeContainerState(w: PrefixWriter, status: ContainerStatus): void {
  describeState(w, 'State', status.state);
  if (status.lastState?.terminated) describeState(w, 'Last State', status.lastState);
  w.write(LEVEL_2, `Ready:\t${printBool(status.ready)}\n`);
  w.write(LEVEL_2, `Restart Count:\t${status.restartCount ?? 0}\n`);
}

/** Go's net.JoinHostPort. */
const joinHostPort = (host: string, port: string) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** DescribeProbe: `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`. */
export function describeProbe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const h = p.httpGet as { scheme?: string; host?: string; port?: number | string; path?: string };
    const port = h.port === undefined ? '' : String(h.port);
    const host = port ? joinHostPort(h.host ?? '', port) : h.host ?? '';
    const scheme = (h.scheme ?? '').toLowerCase();
    let path = h.path ?? '';
    if (path && !path.startsWith('/') && host) path = `/${path}`;
    return `http-get ${scheme ? `${scheme}:` : ''}${host || scheme ? '//' : ''}${host}${path} ${attrs}`;
  }
  if (p.tcpSocket) {
    const t = p.tcpSocket as { host?: string; port?: number | string };
    return `tcp-socket ${t.host ?? ''}:${t.port ?? ''} ${attrs}`;
  }
  if (p.grpc) {
    const g = p.grpc as { port?: number; service?: string };
    return `grpc <pod>:${g.port ?? 0} ${g.service ?? ''} ${attrs}`;
  }
  return `unknown ${attrs}`;
}

function describeProbes(w: PrefixWriter, c: Container): void {
  if (c.livenessProbe) w.write(LEVEL_2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
  if (c.readinessProbe) w.write(LEVEL_2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
  if (c.startupProbe) w.write(LEVEL_2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
}

function describeEnvFrom(w: PrefixWriter, c: Container): void {
  w.write(LEVEL_2, 'Environment Variables from:\n');
  for (const e of c.envFrom ?? []) {
    const [from, ref] = e.configMapRef ? ['ConfigMap', e.configMapRef] : e.secretRef ? ['Secret', e.secretRef] : ['', undefined];
    const optional = ref?.optional === true;
    if (!e.prefix) w.write(LEVEL_3, `${ref?.name ?? ''}\t${from}\tOptional: ${optional}\n`);
    else w.write(LEVEL_3, `${ref?.name ?? ''}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n`);
  }
}

/** resourcehelper.ExtractContainerResourceValue for a resourceFieldRef. */
function containerResourceValue(c: Container, ref: { resource: string; divisor?: string }): string {
  const [kind, name] = ref.resource.split('.') as [string, string | undefined];
  const list = kind === 'limits' ? c.resources?.limits : kind === 'requests' ? c.resources?.requests : undefined;
  if (!list || !name || !['cpu', 'memory', 'ephemeral-storage'].includes(name)) return '';
  const q = parseQuantity(list[name] ?? '0') ?? parseQuantity('0')!;
  const d = parseQuantity(ref.divisor ?? '1');
  const divisor = d && d.nano !== 0n ? d : parseQuantity('1')!;
  return name === 'cpu' ? String(Math.ceil(milliValue(q) / milliValue(divisor))) : String(Math.ceil(wholeValue(q) / wholeValue(divisor)));
}

function describeEnv(w: PrefixWriter, c: Container, resolver: EnvResolver): void {
  w.write(LEVEL_2, `Environment:${c.env?.length ? '' : '\t<none>'}\n`);
  for (const e of c.env ?? []) {
    const from = e.valueFrom;
    if (!from) {
      (e.value ?? '').split('\n').forEach((s, i) => w.write(LEVEL_3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
    } else if (from.fieldRef) {
      w.write(LEVEL_3, `${e.name}:\t${resolver?.(e) ?? ''} (${from.fieldRef.apiVersion ?? 'v1'}:${from.fieldRef.fieldPath})\n`);
    } else if (from.resourceFieldRef) {
      const ref = from.resourceFieldRef;
      let value = containerResourceValue(c, ref);
      if (value === '0' && (ref.resource === 'limits.cpu' || ref.resource === 'limits.memory')) value = 'node allocatable';
      w.write(LEVEL_3, `${e.name}:\t${value} (${ref.resource})\n`);
    } else if (from.secretKeyRef) {
      const r = from.secretKeyRef;
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${r.key}' in secret '${r.name}'>\tOptional: ${r.optional === true}\n`);
    } else if (from.configMapKeyRef) {
      const r = from.configMapKeyRef;
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${r.key}' of config map '${r.name}'>\tOptional: ${r.optional === true}\n`);
    }
  }
}

function describeMounts(w: PrefixWriter, c: Container): void {
  const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
  w.write(LEVEL_2, `Mounts:${mounts.length ? '' : '\t<none>'}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
    w.write(LEVEL_3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
}

/**
 * The pod's field a fieldRef names, for the Environment lines
 * (kubectl's fieldpath.ExtractFieldPathAsString: metadata fields only;
 * others, such as status.podIP, show empty).
 */
export function podFieldResolver(pod: Pod): (e: EnvVar) => string {
  return (e) => metadataField(pod, e.valueFrom?.fieldRef?.fieldPath ?? '') ?? '';
}

/** describeVolumes: each volume with its source, as kubectl words it. */
export function describeVolumes(w: PrefixWriter, volumes: Volume[] | undefined, space: string): void {
  if (!volumes?.length) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(LEVEL_1, `${space ? ' ' : ''}${v.name}:\n`);
    describeVolumeSource(w, v);
  }
}

function describeVolumeSource(w: PrefixWriter, v: Volume): void {
  const src = v as Record<string, any>;
  if (src.hostPath) {
    w.write(LEVEL_2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${src.hostPath.path ?? ''}\n    HostPathType:\t${src.hostPath.type ?? '<none>'}\n`);
  } else if (v.emptyDir) {
    const size = v.emptyDir.sizeLimit !== undefined ? parseQuantity(v.emptyDir.sizeLimit) : undefined;
    const sizeLimit = size && size.nano > 0n ? canonicalQuantity(v.emptyDir.sizeLimit!) : '<unset>';
    w.write(LEVEL_2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${sizeLimit}\n`);
  } else if (v.secret) {
    w.write(LEVEL_2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${v.secret.optional === true}\n`);
  } else if (v.configMap) {
    w.write(LEVEL_2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${v.configMap.optional === true}\n`);
  } else if (src.persistentVolumeClaim) {
    const c = src.persistentVolumeClaim;
    w.write(LEVEL_2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${c.claimName ?? ''}\n    ReadOnly:\t${c.readOnly === true}\n`);
  } else if (v.downwardAPI) {
    w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
    for (const item of v.downwardAPI.items ?? []) {
      const i = item as { path: string; fieldRef?: { fieldPath: string }; resourceFieldRef?: { resource: string } };
      if (i.fieldRef) w.write(LEVEL_3, `${i.fieldRef.fieldPath} -> ${i.path}\n`);
      if (i.resourceFieldRef) w.write(LEVEL_3, `${i.resourceFieldRef.resource} -> ${i.path}\n`);
    }
  } else if (src.projected) {
    w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    for (const s of src.projected.sources ?? []) {
      if (s.secret) w.write(LEVEL_2, `SecretName:\t${s.secret.name ?? ''}\n    Optional:\t${s.secret.optional === true}\n`);
      else if (s.downwardAPI) w.write(LEVEL_2, 'DownwardAPI:\ttrue\n');
      else if (s.configMap) w.write(LEVEL_2, `ConfigMapName:\t${s.configMap.name ?? ''}\n    Optional:\t${s.configMap.optional === true}\n`);
      else if (s.serviceAccountToken) w.write(LEVEL_2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 3607}\n`);
    }
  } else if (src.image) {
    w.write(LEVEL_2, `Type:\tImage (a container image or OCI artifact)\n    Reference:\t${src.image.reference ?? ''}\n    PullPolicy:\t${src.image.pullPolicy ?? ''}\n`);
  } else w.write(LEVEL_1, '<unknown>\n');
}

/** describeTopologySpreadConstraints: `zone:DoNotSchedule when max skew 1 is exceeded for selector app=web`. */
export function describeTopologySpread(w: PrefixWriter, constraints: Array<Record<string, any>> | undefined, space: string): void {
  if (!constraints?.length) return;
  const sorted = [...constraints].sort((a, b) => (a.topologyKey < b.topologyKey ? -1 : a.topologyKey > b.topologyKey ? 1 : 0));
  w.write(LEVEL_0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((c, i) => {
    if (i !== 0) w.write(LEVEL_0, `${space}\t`);
    let s = `${c.topologyKey}:${c.whenUnsatisfiable} when max skew ${c.maxSkew} is exceeded`;
    if (c.labelSelector) s += ` for selector ${selectorString(c.labelSelector) || '<none>'}`;
    w.write(LEVEL_0, `${s}\n`);
  });
}

/** DescribePodTemplate: the `Pod Template:` section of a workload. */
export function describePodTemplate(w: PrefixWriter, template: PodTemplateSpec | undefined): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  if (!template) {
    w.write(LEVEL_1, '<unset>');
    return;
  }
  const meta = template.metadata ?? {};
  const spec = template.spec ?? { containers: [] };
  printLabelsMultiline(w, '  Labels', meta.labels);
  if (Object.keys(meta.annotations ?? {}).length) printAnnotationsMultiline(w, '  Annotations', meta.annotations);
  if (spec.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) describeContainers(w, 'Init Containers', spec.initContainers, undefined, undefined, '  ');
  describeContainers(w, 'Containers', spec.containers ?? [], undefined, undefined, '  ');
  describeVolumes(w, spec.volumes, '  ');
  describeTopologySpread(w, spec.topologySpreadConstraints, '  ');
  if (spec.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, '  Tolerations', spec.tolerations);
}
