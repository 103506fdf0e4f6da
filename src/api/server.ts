/**
 * A cluster's API: the store with every kind's rules, the namespaces a
 * fresh cluster has (default, kube-system, kube-public, kube-node-lease) and
 * the `kubernetes` Service.
 */
import type { Clock } from '../shared/index.ts';
import { ApiStore } from './store.ts';
import { STRATEGIES } from './strategies.ts';
import { ensureBootstrapPolicy } from './rbac/index.ts';

export const INITIAL_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
/** The API server's address in the cluster network (the control plane's, as kubeadm's advertise address) and port. */
export const APISERVER_IP = '10.0.0.1';
export const APISERVER_PORT = 6443;

export function createApiStore(options: { clock: Clock; historyLimit?: number; uid?: () => string }): ApiStore {
  const store = new ApiStore({ ...options, strategies: STRATEGIES });
  for (const name of INITIAL_NAMESPACES) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  ensureClusterServices(store);
  ensureBootstrapPolicy(store);
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
  // The API server keeps its own endpoints (its endpoint reconciler): the control plane's address, port 6443.
  if (!store.tryGet('Endpoints', 'default', 'kubernetes')) {
    store.create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: APISERVER_IP }], ports: [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }] }],
    });
  }
  if (!store.tryGet('EndpointSlice', 'default', 'kubernetes')) {
    store.create({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [APISERVER_IP], conditions: { ready: true } }],
      ports: [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }],
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
