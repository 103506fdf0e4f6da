/**
 * The API server in the cluster network: the cluster's certificates and
 * service-account signing key, the REST API (src/apiserver) with token
 * authentication and RBAC, served over HTTP at the API server's endpoint
 * (10.0.0.1:6443, which the `kubernetes` Service leads to), and what the
 * kubelets need of it (tokens for pods, the files of the in-cluster client).
 */
import { APISERVER_IP, APISERVER_PORT, authorize, forbiddenMessage, type ApiStore } from '../api/index.ts';
import { APISERVER_NAMES, ClusterAuth } from '../api/auth/index.ts';
import { ApiServer, type ApiResponse } from '../apiserver/index.ts';
import type { PodCredentialSource } from '../controllers/index.ts';
import { createClusterCertificates, httpService, type HttpServerResponse, type PodplayNetwork } from '../net/index.ts';
import type { Clock } from '../shared/index.ts';

export interface RunningApiServer {
  /** Resolves once the certificates and the signing key exist (the API answers from then on). */
  ready: Promise<{ auth: ClusterAuth; server: ApiServer }>;
  /** The cluster CA's certificate (PEM), once made: what kube-root-ca.crt holds. */
  caCertificate: Promise<string>;
  credentials: PodCredentialSource;
}

const encoder = new TextEncoder();

function toHttp(res: ApiResponse): HttpServerResponse {
  const type = res.contentType ?? 'application/json';
  const headers: Array<[string, string]> = [['Content-Type', type], ['Cache-Control', 'no-cache, private']];
  if ('stream' in res) return { status: res.status, headers, stream: (sink) => res.stream(sink) };
  const body = typeof res.body === 'string' ? encoder.encode(res.body) : encoder.encode(JSON.stringify(res.body));
  return { status: res.status, headers, body };
}

/**
 * Starts the API server: its certificates are made in the background (a
 * cluster does not wait for them to start; requests and token requests do).
 */
export function startApiServer(api: ApiStore, clock: Clock, network: PodplayNetwork): RunningApiServer {
  const serverAddress = `${APISERVER_IP}:${APISERVER_PORT}`;
  const certificates = createClusterCertificates({ serviceIP: '10.96.0.1', dnsNames: APISERVER_NAMES });
  const ready = certificates.then(async (certs) => {
    const auth = await ClusterAuth.create(certs);
    const server = new ApiServer({
      api,
      serverAddress,
      authenticate: (header) => auth.authenticate(api, clock, header),
      authorize: (user, info) => {
        const attributes = info.isResource
          ? { verb: info.verb, apiGroup: info.apiGroup, resource: info.resource, subresource: info.subresource, namespace: info.namespace, name: info.name }
          : { verb: info.verb, path: info.path };
        const decision = authorize(api, user, attributes);
        return { allowed: decision.allowed, message: decision.allowed ? '' : forbiddenMessage(user, attributes, decision.reason) };
      },
    });
    return { auth, server };
  });
  network.serve('stream', APISERVER_IP, APISERVER_PORT, httpService(async (req) => toHttp(await (await ready).server.handle(req))));
  const credentials: PodCredentialSource = {
    token: async (pod, options) => (await ready).auth.tokenFor(api, clock, pod, { audiences: options.audience ? [options.audience] : undefined, expirationSeconds: options.expirationSeconds }),
    inClusterFiles: async () => {
      const certs = await certificates;
      return {
        '/etc/podplay/apiserver.crt': certs.apiserver.certificate,
        '/etc/podplay/apiserver.key': certs.apiserver.privateKey,
        '/etc/podplay/apiserver.addr': `${serverAddress}\n`,
      };
    },
  };
  return { ready, caCertificate: certificates.then((c) => c.ca.certificate), credentials };
}
