/**
 * The kubelet's httpGet and tcpSocket probes, made from the node's address
 * into the cluster network as the kubelet's prober makes them: an HTTP GET
 * with `User-Agent: kube-probe/<version>` and an Accept of any type (the probe's
 * httpHeaders override them), success for a status from 200 to 399; a TCP
 * connection that opens. Failures read as the kubelet reports them.
 */
import type { ClusterNetwork } from './cluster-network.ts';
import { errnoText } from './errors.ts';
import { httpRequest, HttpError } from './http-client.ts';

/** The kubelet reads at most this much of a probe's answer (pkg/probe/http: maxRespBodyLength). */
const MAX_BODY = 10 * 1024;

export interface HttpProbe {
  host: string;
  port: number;
  path: string;
  scheme?: string;
  headers?: Array<{ name: string; value: string }>;
  timeoutMs: number;
}

export type ProbeResult = { ok: true; output: string } | { ok: false; output: string };

export class Probes {
  readonly #network: ClusterNetwork;
  readonly #source: string;
  readonly #userAgent: string;

  constructor(network: ClusterNetwork, nodeIP: string, kubeletVersion: string) {
    this.#network = network;
    this.#source = nodeIP;
    this.#userAgent = `kube-probe/${kubeletVersion.replace(/^v/, '').split('.').slice(0, 2).join('.')}`;
  }

  #port(): number {
    return 32768 + Math.floor(Math.random() * 28232);
  }

  async http(p: HttpProbe): Promise<ProbeResult> {
    if ((p.scheme ?? 'HTTP').toUpperCase() === 'HTTPS') return { ok: false, output: `Get "https://${p.host}:${p.port}${p.path}": podplay's probes speak plain HTTP (scheme HTTPS is not available)` };
    const headers: Array<[string, string]> = [['User-Agent', this.#userAgent], ['Accept', '*/*']];
    for (const h of p.headers ?? []) {
      const i = headers.findIndex(([k]) => k.toLowerCase() === h.name.toLowerCase());
      if (i >= 0) headers.splice(i, 1);
      headers.push([h.name, h.value]);
    }
    const host = headers.find(([k]) => k.toLowerCase() === 'host')?.[1];
    try {
      const r = await httpRequest(this.#network, { ip: this.#source, port: this.#port() }, { address: { ip: p.host, port: p.port }, host, path: p.path || '/', headers: headers.filter(([k]) => k.toLowerCase() !== 'host'), timeoutMs: p.timeoutMs, maxBody: MAX_BODY });
      const body = new TextDecoder().decode(r.body);
      if (r.statusCode >= 200 && r.statusCode < 400) return { ok: true, output: body };
      return { ok: false, output: `HTTP probe failed with statuscode: ${r.statusCode}` };
    } catch (err) {
      if (err instanceof HttpError) return { ok: false, output: err.message };
      throw err;
    }
  }

  async tcp(p: { host: string; port: number; timeoutMs: number }): Promise<ProbeResult> {
    const target = `${p.host}:${p.port}`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), p.timeoutMs)));
    const quiet = { data: () => undefined, end: () => undefined, close: () => undefined, pause: () => undefined, resume: () => undefined };
    const dialing = this.#network.dial('stream', { ip: p.host, port: p.port }, { ip: this.#source, port: this.#port() }, quiet);
    const r = await Promise.race([dialing, timeout]);
    clearTimeout(timer);
    if (r === 'timeout') {
      void dialing.then((d) => 'peer' in d && d.peer.close(0));
      return { ok: false, output: `dial tcp ${target}: i/o timeout` };
    }
    if ('errno' in r) return { ok: false, output: `dial tcp ${target}: connect: ${errnoText(r.errno)}` };
    r.peer.close(0);
    return { ok: true, output: '' };
  }
}
