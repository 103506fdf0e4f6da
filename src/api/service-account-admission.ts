/**
 * The ServiceAccount admission plugin, for a pod being created: its service
 * account (`default` unless it names one) must exist, and unless
 * automountServiceAccountToken is false (the pod's setting, else the service
 * account's) every container gets the projected volume
 * `kube-api-access-<suffix>` at /var/run/secrets/kubernetes.io/serviceaccount:
 * a token for the service account (`token`), the cluster CA (`ca.crt`, from
 * the kube-root-ca.crt ConfigMap) and the pod's namespace (`namespace`).
 */
import { apiErrors } from './errors.ts';
import type { KubeObject } from './meta.ts';
import type { ApiStore } from './store.ts';
import type { PodSpec } from './types.ts';

export const SERVICE_ACCOUNT_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

type Spec = PodSpec & {
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  volumes?: Array<{ name: string; [k: string]: unknown }>;
  initContainers?: Array<{ volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }> }>;
};

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Five characters from the pod's uid, as generateName's suffixes look. */
function suffixOf(uid: string): string {
  let h = 2166136261;
  for (const ch of uid) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += ALPHABET[h % ALPHABET.length];
    h = Math.imul(h ^ (i + 1), 2654435761) >>> 0;
  }
  return out;
}

export function admitServiceAccount(pod: KubeObject, api: ApiStore): void {
  const spec = pod.spec as Spec;
  const ns = pod.metadata.namespace ?? 'default';
  const name = spec.serviceAccountName || spec.serviceAccount || 'default';
  spec.serviceAccountName = name;
  spec.serviceAccount = name;
  const sa = api.tryGet('ServiceAccount', ns, name);
  // The default service account is made by a controller just after its namespace: a pod in the same breath is not refused for it.
  if (!sa && name !== 'default') {
    throw apiErrors.forbidden('pods', pod.metadata.name ?? '', `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`);
  }
  const automount = spec.automountServiceAccountToken ?? (sa?.automountServiceAccountToken as boolean | undefined) ?? true;
  if (!automount) return;
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])] as Array<{ volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }> }>;
  if (containers.every((c) => c.volumeMounts?.some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT))) return;
  const volume = `kube-api-access-${suffixOf(pod.metadata.uid ?? pod.metadata.name ?? '')}`;
  (spec.volumes ??= []).push({
    name: volume,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  });
  for (const c of containers) {
    if (c.volumeMounts?.some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT)) continue;
    (c.volumeMounts ??= []).push({ name: volume, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT });
  }
}
