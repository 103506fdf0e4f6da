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
  ensureClusterServices(store);
  return store;
}

/**
 * The Services every cluster has: the API server's own (`kubernetes`) and
 * the cluster DNS's (`kube-dns`, at the kubelet's clusterDNS address).
 * Created when missing (also in a cluster restored from an older save).
 */
export function ensureClusterServices(store: ApiStore): void {
  if (!store.tryGet('Service', 'default', 'kubernetes')) {
    store.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
    });
  }
  if (!store.tryGet('Service', 'kube-system', 'kube-dns') && store.tryGet('Namespace', undefined, 'kube-system')) {
    store.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' } },
      spec: {
        clusterIP: '10.96.0.10',
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      },
    });
  }
}
