/**
 * Pod and pod template validation (pkg/apis/core/validation), the part
 * podplay enforces, with the API server's field paths and words.
 */
import { fieldErrors, type FieldError } from '../errors.ts';
import { QUANTITY_FORMAT_ERROR, milliValue, parseQuantity, value } from '../quantity.ts';
import type { Container, PodSpec, Probe, Volume } from '../types.ts';
import { dns1123Label, dns1123Subdomain, nameErrors } from './names.ts';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const VOLUME_SOURCES = ['emptyDir', 'configMap', 'secret', 'downwardAPI', 'hostPath', 'persistentVolumeClaim', 'projected'];
const STANDARD_RESOURCES = ['cpu', 'memory', 'ephemeral-storage', 'pods'];

function isExtendedResource(name: string): boolean {
  return name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.');
}

function resourceErrors(path: string, c: Container): FieldError[] {
  const out: FieldError[] = [];
  const r = c.resources ?? {};
  for (const part of ['limits', 'requests'] as const) {
    for (const [name, q] of Object.entries(r[part] ?? {})) {
      const at = `${path}.resources.${part}[${name}]`;
      if (!STANDARD_RESOURCES.includes(name) && !isExtendedResource(name)) {
        out.push(fieldErrors.invalid(at, name, 'must be a standard resource type or fully qualified'));
        continue;
      }
      const v = parseQuantity(q);
      if (v === undefined) out.push(fieldErrors.invalid(at, q, QUANTITY_FORMAT_ERROR));
      else if (v < 0) out.push(fieldErrors.invalid(at, q, 'must be greater than or equal to 0'));
    }
  }
  for (const [name, q] of Object.entries(r.requests ?? {})) {
    const limit = r.limits?.[name];
    if (limit === undefined || parseQuantity(q) === undefined || parseQuantity(limit) === undefined) continue;
    const over = name === 'cpu' ? milliValue(q) > milliValue(limit) : value(q) > value(limit);
    if (over) out.push(fieldErrors.invalid(`${path}.resources.requests`, q, `must be less than or equal to ${name} limit of ${limit}`));
  }
  return out;
}

function probeErrors(path: string, p: Probe | undefined): FieldError[] {
  if (!p) return [];
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => (p as Record<string, unknown>)[h] !== undefined);
  if (handlers.length === 0) return [fieldErrors.required(path, 'must specify a handler type')];
  if (handlers.length > 1) return [fieldErrors.forbidden(`${path}.${handlers[1]}`, 'may not specify more than 1 handler type')];
  const out: FieldError[] = [];
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const v = p[f];
    if (v !== undefined && v < 0) out.push(fieldErrors.invalid(`${path}.${f}`, v, 'must be greater than or equal to 0'));
  }
  return out;
}

function containerErrors(path: string, c: Container, volumes: Set<string>, names: Set<string>): FieldError[] {
  const out: FieldError[] = [];
  if (!c.name) out.push(fieldErrors.required(`${path}.name`));
  else {
    out.push(...nameErrors(`${path}.name`, c.name, dns1123Label));
    if (names.has(c.name)) out.push(fieldErrors.duplicate(`${path}.name`, c.name));
    names.add(c.name);
  }
  if (!c.image || !String(c.image).trim()) out.push(fieldErrors.required(`${path}.image`));
  if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(c.imagePullPolicy)) out.push(fieldErrors.notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  (c.env ?? []).forEach((e, i) => {
    if (!e.name) out.push(fieldErrors.required(`${path}.env[${i}].name`));
    if (e.value !== undefined && e.valueFrom) out.push(fieldErrors.invalid(`${path}.env[${i}].valueFrom`, '', 'may not be specified when `value` is not empty'));
  });
  (c.ports ?? []).forEach((p, i) => {
    if (!(p.containerPort >= 1 && p.containerPort <= 65535)) out.push(fieldErrors.invalid(`${path}.ports[${i}].containerPort`, p.containerPort, 'must be between 1 and 65535, inclusive'));
  });
  (c.volumeMounts ?? []).forEach((m, i) => {
    if (!m.name) out.push(fieldErrors.required(`${path}.volumeMounts[${i}].name`));
    else if (!volumes.has(m.name)) out.push({ type: 'Not found', field: `${path}.volumeMounts[${i}].name`, badValue: m.name });
    if (!m.mountPath) out.push(fieldErrors.required(`${path}.volumeMounts[${i}].mountPath`));
  });
  out.push(...resourceErrors(path, c));
  out.push(...probeErrors(`${path}.livenessProbe`, c.livenessProbe), ...probeErrors(`${path}.readinessProbe`, c.readinessProbe), ...probeErrors(`${path}.startupProbe`, c.startupProbe));
  return out;
}

function volumeErrors(path: string, volumes: Volume[] | undefined): { errors: FieldError[]; names: Set<string> } {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((v, i) => {
    const at = `${path}[${i}]`;
    if (!v.name) errors.push(fieldErrors.required(`${at}.name`));
    else {
      errors.push(...nameErrors(`${at}.name`, v.name, dns1123Label));
      if (names.has(v.name)) errors.push(fieldErrors.duplicate(`${at}.name`, v.name));
      names.add(v.name);
    }
    const sources = VOLUME_SOURCES.filter((s) => v[s] !== undefined);
    if (sources.length === 0) errors.push(fieldErrors.required(at, 'must specify a volume type'));
    else if (sources.length > 1) errors.push(fieldErrors.forbidden(`${at}.${sources[1]}`, 'may not specify more than 1 volume type'));
    if (v.configMap && !v.configMap.name) errors.push(fieldErrors.required(`${at}.configMap.name`));
    if (v.secret && !v.secret.secretName) errors.push(fieldErrors.required(`${at}.secret.secretName`));
    // Mode bits (validation.ValidatePodVolumes' validateModeBits): 0 to 0777, as an octal manifest writes them.
    for (const [source, mode] of [['configMap', v.configMap?.defaultMode], ['secret', v.secret?.defaultMode]] as const) {
      if (mode !== undefined && (typeof mode !== 'number' || !Number.isInteger(mode) || mode < 0 || mode > 0o777)) {
        errors.push(fieldErrors.invalid(`${at}.${source}.defaultMode`, mode, 'must be a number between 0 and 0777 (octal), both inclusive'));
      }
    }
  });
  return { errors, names };
}

/** Validates a pod spec found at `path` (`spec`, or `spec.template.spec` in a workload). */
export function podSpecErrors(path: string, spec: PodSpec | undefined): FieldError[] {
  if (!spec || typeof spec !== 'object') return [fieldErrors.required(path)];
  const out: FieldError[] = [];
  const { errors, names: volumes } = volumeErrors(`${path}.volumes`, spec.volumes);
  out.push(...errors);
  const names = new Set<string>();
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) out.push(fieldErrors.required(`${path}.containers`));
  else spec.containers.forEach((c, i) => out.push(...containerErrors(`${path}.containers[${i}]`, c, volumes, names)));
  (spec.initContainers ?? []).forEach((c, i) => out.push(...containerErrors(`${path}.initContainers[${i}]`, c, volumes, names)));
  if (spec.restartPolicy !== undefined && !RESTART_POLICIES.includes(spec.restartPolicy)) out.push(fieldErrors.notSupported(`${path}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES));
  if (spec.dnsPolicy !== undefined && !DNS_POLICIES.includes(spec.dnsPolicy)) out.push(fieldErrors.notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES));
  if (spec.terminationGracePeriodSeconds !== undefined && spec.terminationGracePeriodSeconds < 0) {
    out.push(fieldErrors.invalid(`${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  }
  if (spec.activeDeadlineSeconds !== undefined && !(spec.activeDeadlineSeconds > 0)) {
    out.push(fieldErrors.invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  if (spec.nodeName) out.push(...nameErrors(`${path}.nodeName`, spec.nodeName, dns1123Subdomain));
  (spec.tolerations ?? []).forEach((t, i) => {
    if (t.operator === 'Exists' && t.value) out.push(fieldErrors.invalid(`${path}.tolerations[${i}].operator`, t.value, 'value must be empty when `operator` is \'Exists\''));
    if (t.operator !== undefined && !['Exists', 'Equal'].includes(t.operator)) out.push(fieldErrors.notSupported(`${path}.tolerations[${i}].operator`, t.operator, ['Equal', 'Exists']));
    if (!t.key && t.operator !== 'Exists') out.push(fieldErrors.invalid(`${path}.tolerations[${i}].operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
  });
  return out;
}

/**
 * Fields of a pod's spec that may change after creation (ValidatePodUpdate).
 * The API server follows this with a diff of the two specs; podplay leaves
 * the diff out.
 */
export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** A pod update may change only container images, activeDeadlineSeconds, added tolerations and removed scheduling gates (nodeName is set by a binding). */
export function podUpdateErrors(next: PodSpec, prev: PodSpec): FieldError[] {
  const strip = (s: PodSpec) => ({
    ...s,
    containers: (s.containers ?? []).map((c) => ({ ...c, image: '' })),
    initContainers: (s.initContainers ?? []).map((c) => ({ ...c, image: '' })),
    activeDeadlineSeconds: undefined,
    tolerations: undefined,
    schedulingGates: undefined,
  });
  const out: FieldError[] = [];
  if (JSON.stringify(strip(next)) !== JSON.stringify(strip(prev))) out.push(fieldErrors.forbidden('spec', POD_UPDATE_FORBIDDEN));
  const had = JSON.stringify(prev.tolerations ?? []);
  const kept = (next.tolerations ?? []).slice(0, (prev.tolerations ?? []).length);
  if (JSON.stringify(kept) !== had) out.push(fieldErrors.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  // Scheduling gates may only be removed.
  const gates = new Set((prev.schedulingGates ?? []).map((g) => g.name));
  const added = (next.schedulingGates ?? []).find((g) => !gates.has(g.name));
  if (added) out.push(fieldErrors.forbidden('spec.schedulingGates', `only deletion is allowed, but found new scheduling gate '${added.name}'`));
  return out.slice(0, 1);
}
