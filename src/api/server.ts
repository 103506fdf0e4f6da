/**
 * A cluster's API: the store with every kind's rules, the namespaces a
 * fresh cluster has (default, kube-system, kube-public, kube-node-lease) and
 * the `kubernetes` Service.
 */
import type { Clock } from '../shared/index.ts';
import { ApiStore } from './store.ts';
import { STRATEGIES } from './strategies.ts';

export const INITIAL_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export function createApiStore(options: { clock: Clock; historyLimit?: number; uid?: () => string }): ApiStore {
  const store = new ApiStore({ ...options, strategies: STRATEGIES });
  for (const name of INITIAL_NAMESPACES) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  // Every cluster has the API server's own Service.
  store.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  });
  return store;
}
