/**
 * Whether a toleration tolerates a taint (v1helper's ToleratesTaint): the
 * same effect (or any, when the toleration names none), the same key (or
 * any, with operator Exists and no key), and for Equal the same value.
 */
import type { Taint, Toleration } from './types.ts';

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if ((t.operator ?? 'Equal') === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}
