/**
 * Two small controllers of kube-controller-manager that every namespace
 * relies on: the service-account controller (a `default` ServiceAccount in
 * each namespace, made again if deleted) and the root-CA publisher (the
 * `kube-root-ca.crt` ConfigMap holding the cluster CA's certificate as
 * `ca.crt`, put back if it is changed or deleted).
 */
import type { ApiStore, KubeObject } from '../api/index.ts';
import type { Disposable } from '../shared/index.ts';
import { WorkQueue } from './queue.ts';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export class ServiceAccountsController implements Disposable {
  readonly #queue: WorkQueue;
  readonly #watches: Disposable[] = [];

  /**
   * `caCertificate`: the PEM the root-CA publisher writes (or its promise:
   * the ConfigMaps come when it resolves); without it only the service
   * accounts are kept.
   */
  constructor(api: ApiStore, ca?: string | Promise<string>) {
    let caCertificate = typeof ca === 'string' ? ca : undefined;
    this.#queue = new WorkQueue(api.clock, (ns) => {
      const namespace = api.tryGet('Namespace', undefined, ns);
      if (!namespace || namespace.metadata.deletionTimestamp) return;
      if (!api.tryGet('ServiceAccount', ns, 'default')) create(api, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
      if (caCertificate === undefined) return;
      const cm = api.tryGet('ConfigMap', ns, ROOT_CA_CONFIGMAP);
      const want = { 'ca.crt': caCertificate };
      if (!cm) create(api, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace: ns, annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION } }, data: want });
      else if ((cm.data as Record<string, string> | undefined)?.['ca.crt'] !== caCertificate) api.update({ ...cm, data: want });
    });
    const all = () => {
      for (const name of api.list('Namespace').items.map((n) => n.metadata.name!)) this.#queue.add(name);
    };
    all();
    if (ca && typeof ca !== 'string') {
      void ca.then((pem) => {
        caCertificate = pem;
        if (!this.#disposed) all();
      });
    }
    this.#watches.push(api.watch('Namespace', {}, (e) => e.type !== 'DELETED' && this.#queue.add(e.object.metadata.name!)));
    this.#watches.push(api.watch('ServiceAccount', { fieldSelector: 'metadata.name=default' }, (e) => e.type === 'DELETED' && this.#queue.add(e.object.metadata.namespace!)));
    this.#watches.push(api.watch('ConfigMap', { fieldSelector: `metadata.name=${ROOT_CA_CONFIGMAP}` }, (e) => this.#queue.add(e.object.metadata.namespace!)));
  }

  #disposed = false;

  dispose(): void {
    this.#disposed = true;
    this.#queue.dispose();
    for (const w of this.#watches) w.dispose();
  }
}

function create(api: ApiStore, o: KubeObject): void {
  try {
    api.create(o);
  } catch (err) {
    if ((err as { reason?: string }).reason !== 'AlreadyExists') throw err;
  }
}
