/**
 * `kubectl describe` for Services, Namespaces, ConfigMaps, Secrets and
 * PriorityClasses (describe.go), and the generic describer kubectl falls
 * back to for kinds without their own, such as Event.
 */
import { fromLabelSelector, matches, type ApiStore, type KubeObject, type Pod } from '../../../api/index.ts';
import { writeEvents } from './events.ts';
import { formatLabels, printAnnotationsMultiline, printLabelsMultiline, rfc1123z, goValue } from './format.ts';
import { LEVEL_0, LEVEL_1, tabbed, type PrefixWriter } from './writer.ts';

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  nodePort?: number;
}

interface ServiceSpec {
  selector?: Record<string, string>;
  type?: string;
  ipFamilyPolicy?: string;
  ipFamilies?: string[];
  clusterIP?: string;
  clusterIPs?: string[];
  externalIPs?: string[];
  loadBalancerIP?: string;
  externalName?: string;
  ports?: ServicePort[];
  sessionAffinity?: string;
  externalTrafficPolicy?: string;
  internalTrafficPolicy?: string;
  healthCheckNodePort?: number;
  loadBalancerSourceRanges?: string[];
  trafficDistribution?: string;
}

/**
 * The ready endpoints of one service port, as the EndpointSlice controller
 * would publish them (podplay keeps no EndpointSlices): the ready pods the
 * selector picks, at the port's target (a named target is looked up in the
 * pod's container ports). formatEndpointSlices shows three, then `+ N more...`;
 * a Service with a selector always has a slice, so none ready shows empty,
 * and `<none>` is for a Service without one (no slices at all).
 */
function endpoints(pods: Pod[], port: ServicePort, selected: boolean): string {
  if (!selected) return '<none>';
  const list: string[] = [];
  for (const p of pods) {
    let target: number | undefined;
    if (typeof port.targetPort === 'string' && !/^\d+$/.test(port.targetPort)) {
      target = p.spec.containers.flatMap((c) => c.ports ?? []).find((cp) => cp.name === port.targetPort && (cp.protocol ?? 'TCP') === (port.protocol ?? 'TCP'))?.containerPort;
    } else target = Number(port.targetPort ?? port.port);
    if (target !== undefined) list.push(`${p.status!.podIP}:${target}`);
  }
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
}

/** The pods a Service's selector picks that are ready to take traffic. */
function readyPods(api: ApiStore, svc: KubeObject, selector: Record<string, string> | undefined): Pod[] {
  if (!selector || Object.keys(selector).length === 0) return [];
  const sel = fromLabelSelector({ matchLabels: selector });
  return api
    .list<Pod>('Pod', { namespace: svc.metadata.namespace })
    .items.filter(
      (p) =>
        matches(sel, p.metadata.labels) &&
        p.status?.podIP &&
        !p.metadata.deletionTimestamp &&
        p.status.phase !== 'Succeeded' &&
        p.status.phase !== 'Failed' &&
        p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
}

export function describeService(api: ApiStore, svc: KubeObject, events: KubeObject[] | undefined, now: number): string {
  const spec = (svc.spec ?? {}) as ServiceSpec;
  const ingress = ((svc.status as { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string; ipMode?: string }> } } | undefined)?.loadBalancer?.ingress ?? []);
  const pods = readyPods(api, svc, spec.selector);
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${svc.metadata.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${svc.metadata.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', svc.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', svc.metadata.annotations);
    w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
    w.write(LEVEL_0, `Type:\t${spec.type ?? ''}\n`);
    if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
    w.write(LEVEL_0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
    w.write(LEVEL_0, `IP:\t${spec.clusterIP ?? ''}\n`);
    w.write(LEVEL_0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
    if (spec.externalIPs?.length) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
    if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
    if (spec.externalName) w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`);
    if (ingress.length) {
      const list = ingress.map((i) => (i.ip ? `${i.ip}${i.ipMode ? ` (${i.ipMode})` : ''}` : i.hostname ?? '')).join(', ');
      w.write(LEVEL_0, `LoadBalancer Ingress:\t${list}\n`);
    }
    for (const sp of spec.ports ?? []) {
      const name = sp.name || '<unset>';
      const protocol = sp.protocol ?? '';
      w.write(LEVEL_0, `Port:\t${name}\t${sp.port}/${protocol}\n`);
      w.write(LEVEL_0, `TargetPort:\t${sp.targetPort ?? 0}/${protocol}\n`);
      if (sp.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${sp.nodePort}/${protocol}\n`);
      w.write(LEVEL_0, `Endpoints:\t${endpoints(pods, sp, Object.keys(spec.selector ?? {}).length > 0)}\n`);
    }
    w.write(LEVEL_0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
    if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
    if (spec.internalTrafficPolicy) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
    if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
    if (spec.loadBalancerSourceRanges?.length) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
    if (spec.trafficDistribution) w.write(LEVEL_0, `Traffic Distribution:\t${spec.trafficDistribution}\n`);
    if (events) writeEvents(w, events, now);
  });
}

/**
 * describeNamespace. podplay has no ResourceQuota or LimitRange objects:
 * the namespace has none, as kubectl says of a cluster's fresh namespace.
 */
export function describeNamespace(ns: KubeObject): string {
  const status = (ns.status ?? {}) as { phase?: string; conditions?: Array<{ type: string; status: string; lastTransitionTime?: string; reason?: string; message?: string }> };
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${ns.metadata.name ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', ns.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', ns.metadata.annotations);
    w.write(LEVEL_0, `Status:\t${status.phase ?? ''}\n`);
    if (status.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
      for (const c of status.conditions) w.write(LEVEL_1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
    }
    w.write(LEVEL_0, '\n');
    w.write(LEVEL_0, 'No resource quota.\n');
    w.write(LEVEL_0, '\n');
    w.write(LEVEL_0, 'No LimitRange resource.\n');
  });
}

/** Bytes in a base64 value (Secret data, ConfigMap binaryData). */
function decodedLength(b64: string): number {
  const clean = b64.replace(/\s/g, '');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - pad;
}

const sortedKeys = (o: unknown) => Object.keys((o ?? {}) as object).sort();

/** describe ConfigMap. Data keys are sorted (kubectl ranges over a Go map: its order varies from run to run). */
export function describeConfigMap(cm: KubeObject, events: KubeObject[] | undefined, now: number): string {
  const data = (cm.data ?? {}) as Record<string, string>;
  const binary = (cm.binaryData ?? {}) as Record<string, string>;
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${cm.metadata.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${cm.metadata.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', cm.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', cm.metadata.annotations);
    w.write(LEVEL_0, '\nData\n====\n');
    for (const k of sortedKeys(data)) {
      w.write(LEVEL_0, `${k}:\n----\n`);
      w.write(LEVEL_0, `${data[k]}\n`);
      w.write(LEVEL_0, '\n');
    }
    w.write(LEVEL_0, '\nBinaryData\n====\n');
    for (const k of sortedKeys(binary)) w.write(LEVEL_0, `${k}: ${decodedLength(binary[k]!)} bytes\n`);
    w.write(LEVEL_0, '\n');
    if (events) writeEvents(w, events, now);
  });
}

/** describe Secret: sizes, never values (but a service account token's). Keys sorted, as for ConfigMaps. */
export function describeSecret(secret: KubeObject): string {
  const data = (secret.data ?? {}) as Record<string, string>;
  const type = String(secret.type ?? '');
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${secret.metadata.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${secret.metadata.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', secret.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', secret.metadata.annotations);
    w.write(LEVEL_0, `\nType:\t${type}\n`);
    w.write(LEVEL_0, '\nData\n====\n');
    for (const k of sortedKeys(data)) {
      if (k === 'token' && type === 'kubernetes.io/service-account-token') w.write(LEVEL_0, `${k}:\t${atob(data[k]!)}\n`);
      else w.write(LEVEL_0, `${k}:\t${decodedLength(data[k]!)} bytes\n`);
    }
  });
}

export function describePriorityClass(pc: KubeObject, events: KubeObject[] | undefined, now: number): string {
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${pc.metadata.name ?? ''}\n`);
    w.write(LEVEL_0, `Value:\t${goValue(pc.value ?? 0)}\n`);
    w.write(LEVEL_0, `GlobalDefault:\t${pc.globalDefault === true}\n`);
    w.write(LEVEL_0, `PreemptionPolicy:\t${String(pc.preemptionPolicy ?? '')}\n`);
    w.write(LEVEL_0, `Description:\t${String(pc.description ?? '')}\n`);
    w.write(LEVEL_0, `Annotations:\t${formatLabels(pc.metadata.annotations)}\n`);
    if (events) writeEvents(w, events, now);
  });
}

const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);

/** fatih/camelcase.Split: runs of lower, upper, digit and other characters; `HTTPServer` → `HTTP`, `Server`. */
function camelSplit(s: string): string[] {
  const cls = (ch: string) => (/\p{Ll}/u.test(ch) ? 1 : /\p{Lu}/u.test(ch) ? 2 : /\p{Nd}/u.test(ch) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const ch of s) {
    const c = cls(ch);
    if (c === last) runs[runs.length - 1]!.push(ch);
    else runs.push([ch]);
    last = c;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (cls(runs[i]![0]!) === 2 && cls(runs[i + 1]![0]!) === 1) runs[i + 1]!.unshift(runs[i]!.pop()!);
  }
  return runs.filter((r) => r.length).map((r) => r.join(''));
}

/** smartLabelFor: `apiVersion` → `API Version`, `involvedObject` → `Involved Object`. */
function smartLabel(field: string): string {
  if ([...field].some((ch) => !/\p{L}/u.test(ch) && ch !== '-')) return field;
  return camelSplit(field)
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}

const GENERIC_SKIP = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);

/** printUnstructuredContent: every field, sorted, maps and lists as nested sections. */
function printUnstructured(w: PrefixWriter, level: number, content: Record<string, unknown>, prefix: string): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (GENERIC_SKIP.has(path)) continue;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      printUnstructured(w, level + 1, value as Record<string, unknown>, path);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (child && typeof child === 'object' && !Array.isArray(child)) printUnstructured(w, level + 1, child as Record<string, unknown>, path);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else w.write(level, `${smartLabel(field)}:\t${goValue(value)}\n`);
  }
}

/** Fields an Event always has in the API server's JSON (corev1.Event has no omitempty on them). */
function asServed(obj: KubeObject): Record<string, unknown> {
  if (obj.kind !== 'Event') return obj;
  return { eventTime: null, firstTimestamp: null, lastTimestamp: null, reportingComponent: '', reportingInstance: '', source: {}, ...obj };
}

/** The generic describer (kinds without a describer of their own, such as Event). */
export function describeGeneric(obj: KubeObject, events: KubeObject[] | undefined, now: number): string {
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', obj.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', obj.metadata.annotations);
    printUnstructured(w, LEVEL_0, asServed(obj), '');
    if (events) writeEvents(w, events, now);
  });
}
