/**
 * Who a request is, as the API server's authenticators decide it: a bearer
 * token that is a service-account token of this cluster (signed by its key,
 * not expired, its service account — and the pod it is bound to — still
 * there with the same uid) is `system:serviceaccount:NS:NAME` in the groups
 * `system:serviceaccounts`, `system:serviceaccounts:NS` and
 * `system:authenticated`; no token is `system:anonymous`; any other token
 * is refused (401). Also holds the cluster's certificates.
 */
import type { Clock } from '../../shared/index.ts';
import type { KubeObject } from '../meta.ts';
import type { ApiStore } from '../store.ts';
import { ISSUER, issueToken, keyIdOf, verifyToken } from './tokens.ts';

/** The cluster's CA and API server certificate, PEM (made by src/net/x509.ts). */
export interface ClusterCertificates {
  ca: { certificate: string };
  apiserver: { certificate: string; privateKey: string };
}

export interface User {
  username: string;
  groups: string[];
}

export const ANONYMOUS: User = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

/** The names the API server's certificate is for (the kubernetes Service's). */
export const APISERVER_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];

export function serviceAccountUser(namespace: string, name: string): User {
  return { username: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'] };
}

export class ClusterAuth {
  readonly certificates: ClusterCertificates;
  readonly #signing: CryptoKeyPair;
  readonly #kid: string;

  private constructor(certificates: ClusterCertificates, signing: CryptoKeyPair, kid: string) {
    this.certificates = certificates;
    this.#signing = signing;
    this.#kid = kid;
  }

  static async create(certificates: ClusterCertificates): Promise<ClusterAuth> {
    const signing = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    return new ClusterAuth(certificates, signing, await keyIdOf(signing.publicKey));
  }

  /** The CA certificate (PEM): ca.crt in every service-account volume and kube-root-ca.crt ConfigMap. */
  get caCertificate(): string {
    return this.certificates.ca.certificate;
  }

  /**
   * A token for `pod`'s service account, as the kubelet requests one for the
   * pod's projected volume; undefined while the service account does not exist.
   */
  async tokenFor(api: ApiStore, clock: Clock, pod: KubeObject, options: { audiences?: string[]; expirationSeconds?: number; node?: KubeObject } = {}): Promise<string | undefined> {
    const ns = pod.metadata.namespace ?? 'default';
    const name = (pod.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName || 'default';
    const sa = api.tryGet('ServiceAccount', ns, name);
    if (!sa) return undefined;
    const node = options.node;
    const { token } = await issueToken(
      this.#signing,
      this.#kid,
      {
        namespace: ns,
        serviceAccount: { name, uid: sa.metadata.uid! },
        pod: { name: pod.metadata.name!, uid: pod.metadata.uid! },
        ...(node ? { node: { name: node.metadata.name!, uid: node.metadata.uid! } } : {}),
      },
      { audiences: options.audiences, expirationSeconds: options.expirationSeconds, now: clock.now() },
    );
    return token;
  }

  /** The request's user from its Authorization header; undefined for a token the API server refuses (401). */
  async authenticate(api: ApiStore, clock: Clock, authorization: string | undefined): Promise<User | undefined> {
    if (!authorization) return ANONYMOUS;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) return undefined;
    const claims = await verifyToken(this.#signing.publicKey, m[1]!, clock.now());
    // A token for another audience (a projected token with `audience: vault`) is not the API server's.
    if (!claims || !claims.aud?.includes(ISSUER)) return undefined;
    const k = claims['kubernetes.io'];
    const sa = api.tryGet('ServiceAccount', k.namespace, k.serviceaccount.name);
    if (!sa || sa.metadata.uid !== k.serviceaccount.uid) return undefined;
    if (k.pod) {
      const pod = api.tryGet('Pod', k.namespace, k.pod.name);
      if (!pod || pod.metadata.uid !== k.pod.uid) return undefined;
    }
    return serviceAccountUser(k.namespace, k.serviceaccount.name);
  }
}
