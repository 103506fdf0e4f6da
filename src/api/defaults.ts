/**
 * Server-side defaulting, as the API server and its default admission
 * plugins fill in what a manifest leaves out (core/v1, apps/v1 and batch/v1
 * defaults.go; DefaultTolerationSeconds, Priority and ServiceAccount
 * admission). Each function fills a private copy in place.
 */
import type { KubeObject } from './meta.ts';
import type { Container, PodSpec, PodTemplateSpec, Probe } from './types.ts';

const set = <T extends object, K extends keyof T>(o: T, k: K, v: T[K]) => {
  if (o[k] === undefined) o[k] = v;
};

/** `Always` for `:latest` or no tag (and no digest), `IfNotPresent` otherwise. */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  if (!image || image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  return colon < 0 || last.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  set(p, 'timeoutSeconds', 1);
  set(p, 'periodSeconds', 10);
  set(p, 'successThreshold', 1);
  set(p, 'failureThreshold', 3);
}

function defaultContainer(c: Container): void {
  if (!c || typeof c !== 'object') return;
  set(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  set(c, 'terminationMessagePath', '/dev/termination-log');
  set(c, 'terminationMessagePolicy', 'File');
  c.resources ??= {};
  // Requests default to the limits where only limits are given.
  if (c.resources.limits) {
    c.resources.requests ??= {};
    for (const [k, v] of Object.entries(c.resources.limits)) c.resources.requests[k] ??= v;
  }
  for (const p of c.ports ?? []) set(p, 'protocol', 'TCP');
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

export function defaultPodSpec(spec: PodSpec | undefined): void {
  if (!spec || typeof spec !== 'object') return;
  set(spec, 'restartPolicy', 'Always');
  set(spec, 'terminationGracePeriodSeconds', 30);
  set(spec, 'dnsPolicy', 'ClusterFirst');
  set(spec, 'securityContext', {});
  set(spec, 'schedulerName', 'default-scheduler');
  set(spec, 'enableServiceLinks', true);
  if (Array.isArray(spec.containers)) spec.containers.forEach(defaultContainer);
  spec.initContainers?.forEach(defaultContainer);
}

function defaultTemplate(t: PodTemplateSpec | undefined): void {
  if (!t || typeof t !== 'object') return;
  defaultPodSpec(t.spec);
}

/** What admission adds to a pod the API server creates (not to templates). */
function admitPod(spec: PodSpec): void {
  set(spec, 'serviceAccountName', 'default');
  set(spec, 'priority', 0);
  set(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  const tolerations = (spec.tolerations ??= []);
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const has = tolerations.some((t) => (t.key === key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'));
    if (!has) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
}

export const DEFAULTS: Record<string, (o: KubeObject) => void> = {
  Pod(o) {
    const spec = o.spec as PodSpec | undefined;
    defaultPodSpec(spec);
    if (spec && typeof spec === 'object') admitPod(spec);
  },
  Deployment(o) {
    const spec = (o.spec ??= {}) as Record<string, any>;
    set(spec, 'replicas', 1);
    spec.strategy ??= {};
    set(spec.strategy, 'type', 'RollingUpdate');
    if (spec.strategy.type === 'RollingUpdate') {
      spec.strategy.rollingUpdate ??= {};
      set(spec.strategy.rollingUpdate, 'maxUnavailable', '25%');
      set(spec.strategy.rollingUpdate, 'maxSurge', '25%');
    }
    set(spec, 'revisionHistoryLimit', 10);
    set(spec, 'progressDeadlineSeconds', 600);
    defaultTemplate(spec.template);
  },
  ReplicaSet(o) {
    const spec = (o.spec ??= {}) as Record<string, any>;
    set(spec, 'replicas', 1);
    defaultTemplate(spec.template);
  },
  DaemonSet(o) {
    const spec = (o.spec ??= {}) as Record<string, any>;
    spec.updateStrategy ??= {};
    set(spec.updateStrategy, 'type', 'RollingUpdate');
    if (spec.updateStrategy.type === 'RollingUpdate') {
      spec.updateStrategy.rollingUpdate ??= {};
      set(spec.updateStrategy.rollingUpdate, 'maxUnavailable', 1);
      set(spec.updateStrategy.rollingUpdate, 'maxSurge', 0);
    }
    set(spec, 'revisionHistoryLimit', 10);
    defaultTemplate(spec.template);
  },
  Job(o) {
    const spec = (o.spec ??= {}) as Record<string, any>;
    if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
    set(spec, 'parallelism', 1);
    set(spec, 'backoffLimit', 6);
    set(spec, 'completionMode', 'NonIndexed');
    set(spec, 'suspend', false);
    set(spec, 'manualSelector', false);
    set(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
    // The job's own labels, on its selector and its pods (the registry strategy does this with the job's uid).
    const uid = o.metadata.uid;
    if (uid && !spec.manualSelector && spec.template && typeof spec.template === 'object') {
      const own = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': o.metadata.name!, 'controller-uid': uid, 'job-name': o.metadata.name! };
      spec.template.metadata ??= {};
      spec.template.metadata.labels = { ...spec.template.metadata.labels, ...own };
      spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    }
    if (!o.metadata.labels && spec.template?.metadata?.labels) o.metadata.labels = { ...spec.template.metadata.labels };
    defaultTemplate(spec.template);
  },
  Service(o) {
    const spec = (o.spec ??= {}) as Record<string, any>;
    set(spec, 'type', 'ClusterIP');
    set(spec, 'sessionAffinity', 'None');
    for (const p of spec.ports ?? []) {
      set(p, 'protocol', 'TCP');
      if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
    }
    if (spec.type !== 'ExternalName') {
      set(spec, 'internalTrafficPolicy', 'Cluster');
      set(spec, 'ipFamilies', ['IPv4']);
      set(spec, 'ipFamilyPolicy', 'SingleStack');
    }
  },
  Namespace(o) {
    o.metadata.labels = { ...o.metadata.labels, 'kubernetes.io/metadata.name': o.metadata.name! };
    const spec = (o.spec ??= {}) as Record<string, any>;
    set(spec, 'finalizers', ['kubernetes']);
  },
  Secret(o) {
    set(o, 'type', 'Opaque');
    // stringData is write-only: merged into data, base64-encoded.
    if (o.stringData && typeof o.stringData === 'object') {
      const data = ((o.data as Record<string, string>) ??= {});
      for (const [k, v] of Object.entries(o.stringData as Record<string, string>)) data[k] = base64(String(v));
      delete o.stringData;
    }
  },
  PriorityClass(o) {
    set(o, 'preemptionPolicy', 'PreemptLowerPriority');
  },
};

function base64(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}
