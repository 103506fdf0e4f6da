/**
 * What the Deployment controller, its rolling update and kubectl rollout
 * share: the annotations, the pod-template-hash, template equality and the
 * int-or-percent arithmetic of maxSurge and maxUnavailable.
 *
 * The pod-template-hash is FNV-32a over the template (as upstream), but of
 * podplay's canonical JSON of it rather than Go's printout of the struct, so
 * the hash has the real one's form, not its value.
 */
import type { ReplicaSet } from '../api/index.ts';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const TEMPLATE_HASH = 'pod-template-hash';

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
}

/** controller.ComputeHash's form: FNV-32a, then rand.SafeEncodeString of the decimal. */
export function templateHash(template: unknown, collisionCount = 0): string {
  let h = 0x811c9dc5;
  const bytes = new TextEncoder().encode(canonical(template) + (collisionCount ? `#${collisionCount}` : ''));
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...String(h)].map((c) => alphabet[c.charCodeAt(0) % alphabet.length]).join('');
}

/** Templates equal but for the pod-template-hash label (EqualIgnoreHash). */
export function sameTemplate(a: unknown, b: unknown): boolean {
  const strip = (t: unknown) => {
    const c = structuredClone(t) as { metadata?: { labels?: Record<string, string> } };
    if (c?.metadata?.labels) {
      delete c.metadata.labels[TEMPLATE_HASH];
      if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
    }
    return canonical(c);
  };
  return strip(a) === strip(b);
}

export const revisionOf = (rs: ReplicaSet) => Number(rs.metadata.annotations?.[REVISION] ?? 0);

/** maxSurge / maxUnavailable of a count: an int, or a percentage rounded up (surge) or down (unavailable). */
export function resolveIntOrPercent(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const pct = Number(v.replace('%', ''));
  return roundUp ? Math.ceil((pct * total) / 100) : Math.floor((pct * total) / 100);
}

const SKIPPED = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, 'deprecated.deployment.rollback.to']);

/** The Deployment's annotations a ReplicaSet carries (kubernetes.io/change-cause and the like). */
export function copiedAnnotations(annotations: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations ?? {}).filter(([k]) => !SKIPPED.has(k)));
}

