/**
 * What the kubelet hands the runtime for one container of a pod: the
 * command, args and working directory, the environment (values, ConfigMap
 * and Secret keys, envFrom, the downward API), the volumes (emptyDir,
 * configMap, secret, downwardAPI, projected: the service account's) and the memory limit. A reference that
 * cannot be resolved is the kubelet's CreateContainerConfigError, worded as
 * the kubelet words it.
 */
import { metadataField, value, type ApiStore, type Container, type KubeObject, type Pod } from '../api/index.ts';
import type { ContainerSpec, VolumeMount, VolumeSource } from '../runtime/index.ts';

export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
}

/** A volume that cannot be set up (its ConfigMap or Secret is missing): the kubelet's FailedMount. */
export class MountError extends Error {
  readonly reason = 'FailedMount';
}

function decodeBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The downward API's fields (fieldRef.fieldPath). */
export function podField(pod: Pod, path: string): string {
  const meta = metadataField(pod, path);
  if (meta !== undefined) return meta;
  switch (path) {
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    default:
      throw new ContainerConfigError(`unsupported fieldPath: ${path}`);
  }
}

function lookup(api: ApiStore, kind: 'ConfigMap' | 'Secret', namespace: string, name: string, optional: boolean | undefined): KubeObject | undefined {
  const o = api.tryGet(kind, namespace, name);
  if (!o && !optional) throw new ContainerConfigError(`${kind.toLowerCase()} ${JSON.stringify(name)} not found`);
  return o;
}

function keysOf(o: KubeObject): Record<string, string> {
  if (o.kind === 'Secret') return Object.fromEntries(Object.entries((o.data as Record<string, string>) ?? {}).map(([k, v]) => [k, new TextDecoder().decode(decodeBase64(v))]));
  return { ...((o.data as Record<string, string>) ?? {}) };
}

/**
 * The variables the kubelet gives every container for the `kubernetes`
 * Service (the API server's), as Docker-links-style service environment.
 */
function masterServiceEnv(api: ApiStore): Record<string, string> {
  const svc = api.tryGet('Service', 'default', 'kubernetes');
  const spec = svc?.spec as { clusterIP?: string; ports?: Array<{ port: number; protocol?: string }> } | undefined;
  const ip = spec?.clusterIP;
  const port = spec?.ports?.[0]?.port;
  if (!ip || !port) return {};
  const proto = (spec.ports![0]!.protocol ?? 'TCP').toLowerCase();
  return {
    KUBERNETES_SERVICE_HOST: ip,
    KUBERNETES_SERVICE_PORT: String(port),
    KUBERNETES_SERVICE_PORT_HTTPS: String(port),
    KUBERNETES_PORT: `${proto}://${ip}:${port}`,
    [`KUBERNETES_PORT_${port}_${proto.toUpperCase()}`]: `${proto}://${ip}:${port}`,
    [`KUBERNETES_PORT_${port}_${proto.toUpperCase()}_PROTO`]: proto,
    [`KUBERNETES_PORT_${port}_${proto.toUpperCase()}_PORT`]: String(port),
    [`KUBERNETES_PORT_${port}_${proto.toUpperCase()}_ADDR`]: ip,
  };
}

function environment(api: ApiStore, pod: Pod, c: Container): Record<string, string> {
  const ns = pod.metadata.namespace ?? 'default';
  const env: Record<string, string> = masterServiceEnv(api);
  for (const from of c.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const o = lookup(api, from.configMapRef ? 'ConfigMap' : 'Secret', ns, ref.name, ref.optional);
    if (o) for (const [k, v] of Object.entries(keysOf(o))) env[`${from.prefix ?? ''}${k}`] = v;
  }
  for (const e of c.env ?? []) {
    // $(VAR) refers to a variable defined before it.
    const expand = (v: unknown) => String(v).replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string) => env[name] ?? m).replace(/\$\$\(/g, '$(');
    if (e.value !== undefined) env[e.name] = expand(e.value);
    else if (e.valueFrom?.configMapKeyRef || e.valueFrom?.secretKeyRef) {
      const ref = (e.valueFrom.configMapKeyRef ?? e.valueFrom.secretKeyRef)!;
      const kind = e.valueFrom.configMapKeyRef ? 'ConfigMap' : 'Secret';
      const o = lookup(api, kind, ns, ref.name, ref.optional);
      if (!o) continue;
      const data = keysOf(o);
      if (!(ref.key in data)) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name}`);
      }
      env[e.name] = data[ref.key]!;
    } else if (e.valueFrom?.fieldRef) env[e.name] = podField(pod, e.valueFrom.fieldRef.fieldPath);
    else if (e.valueFrom?.resourceFieldRef) {
      const r = e.valueFrom.resourceFieldRef;
      const q = c.resources?.limits?.[r.resource.replace(/^(limits|requests)\./, '')];
      env[e.name] = q === undefined ? '0' : String(value(q));
    } else env[e.name] = '';
  }
  return env;
}

/** What the kubelet fetched for a pod before making its containers: its service-account token (for projected volumes). */
export interface PodCredentials {
  token?: string;
  /** False for a kubelet with no token source (a test harness without an API server): the token file is left out. */
  tokens?: boolean;
}

type Projection = {
  serviceAccountToken?: { path: string; expirationSeconds?: number; audience?: string };
  configMap?: { name: string; items?: Array<{ key: string; path: string }>; optional?: boolean };
  secret?: { name: string; items?: Array<{ key: string; path: string }>; optional?: boolean };
  downwardAPI?: { items: Array<{ path: string; fieldRef?: { fieldPath: string } }> };
};

/** A projected volume's files: each source's, in order (the service-account volume is one). */
function projectedFiles(api: ApiStore, pod: Pod, name: string, sources: Projection[], credentials: PodCredentials): Record<string, string | Uint8Array> {
  const ns = pod.metadata.namespace ?? 'default';
  const files: Record<string, string | Uint8Array> = {};
  for (const src of sources) {
    if (src.serviceAccountToken) {
      if (credentials.tokens === false) continue;
      if (credentials.token === undefined) throw new MountError(`MountVolume.SetUp failed for volume ${JSON.stringify(name)} : failed to fetch token: serviceaccounts ${JSON.stringify(pod.spec.serviceAccountName ?? 'default')} not found`);
      files[src.serviceAccountToken.path] = credentials.token;
    } else if (src.configMap || src.secret) {
      const [kind, ref] = src.configMap ? (['ConfigMap', src.configMap] as const) : (['Secret', src.secret!] as const);
      const o = api.tryGet(kind, ns, ref.name);
      if (!o && !ref.optional) throw new MountError(`MountVolume.SetUp failed for volume ${JSON.stringify(name)} : ${kind.toLowerCase()} ${JSON.stringify(ref.name)} not found`);
      const data = o ? keysOf(o) : {};
      if (ref.items) for (const it of ref.items) files[it.path] = data[it.key] ?? '';
      else Object.assign(files, data);
    } else if (src.downwardAPI) {
      for (const it of src.downwardAPI.items) if (it.fieldRef) files[it.path] = podField(pod, it.fieldRef.fieldPath);
    }
  }
  return files;
}

function volumeSource(api: ApiStore, pod: Pod, name: string, credentials: PodCredentials): VolumeSource {
  const v = pod.spec.volumes?.find((x) => x.name === name);
  if (!v) throw new ContainerConfigError(`volume ${JSON.stringify(name)} not found`);
  if (v.emptyDir) return { kind: 'emptyDir', name, scope: pod.metadata.uid! };
  const ns = pod.metadata.namespace ?? 'default';
  const files: Record<string, string | Uint8Array> = {};
  if (v.configMap || v.secret) {
    const [kind, source, optional] = v.configMap ? (['ConfigMap', v.configMap.name, v.configMap.optional] as const) : (['Secret', v.secret!.secretName, v.secret!.optional] as const);
    const o = api.tryGet(kind, ns, source);
    if (!o && !optional) throw new MountError(`MountVolume.SetUp failed for volume ${JSON.stringify(name)} : ${kind.toLowerCase()} ${JSON.stringify(source)} not found`);
    const data = o ? keysOf(o) : {};
    const items = (v.configMap ?? v.secret)!.items;
    if (items) for (const it of items) files[it.path] = data[it.key] ?? '';
    else Object.assign(files, data);
    const mode = (v.configMap ?? v.secret)!.defaultMode;
    return { kind: 'files', files, mode: mode ?? 0o644 };
  }
  if (v.downwardAPI) {
    for (const it of v.downwardAPI.items) if (it.fieldRef) files[it.path] = podField(pod, it.fieldRef.fieldPath);
    return { kind: 'files', files };
  }
  const projected = (v as { projected?: { sources?: Projection[]; defaultMode?: number } }).projected;
  if (projected) return { kind: 'files', files: projectedFiles(api, pod, name, projected.sources ?? [], credentials), mode: projected.defaultMode ?? 0o644 };
  throw new ContainerConfigError(`volume ${JSON.stringify(name)}: only emptyDir, configMap, secret, downwardAPI and projected volumes are supported by podplay`);
}

/** The runtime's spec for container `c` of `pod`, as run number `run` (its id is unique on the node). */
export function containerSpecFor(api: ApiStore, pod: Pod, c: Container, image: string, id: string, credentials: PodCredentials = {}): ContainerSpec {
  const mounts: VolumeMount[] = (c.volumeMounts ?? []).map((m) => ({ path: m.mountPath, volume: volumeSource(api, pod, m.name, credentials), readOnly: m.readOnly }));
  const spec: ContainerSpec = {
    id,
    image,
    env: environment(api, pod, c),
    hostname: pod.spec.hostname ?? pod.metadata.name,
    mounts,
  };
  if (c.command) spec.command = c.command;
  if (c.args) spec.args = c.args;
  if (c.workingDir) spec.workingDir = c.workingDir;
  if (c.stdin) spec.interactive = true;
  const memory = c.resources?.limits?.memory;
  if (memory !== undefined) spec.memoryLimit = value(memory);
  return spec;
}
