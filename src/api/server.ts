/**
 * A cluster's API: the store with every kind's rules, and the namespaces a
 * fresh cluster has (default, kube-system, kube-public, kube-node-lease).
 */
import type { Clock } from '../shared/index.ts';
import { ApiStore } from './store.ts';
import { STRATEGIES } from './strategies.ts';

export const INITIAL_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export function createApiStore(options: { clock: Clock; historyLimit?: number; uid?: () => string }): ApiStore {
  const store = new ApiStore({ ...options, strategies: STRATEGIES });
  for (const name of INITIAL_NAMESPACES) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return store;
}
