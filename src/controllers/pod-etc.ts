/**
 * The files a kubelet writes for every container of a pod: /etc/hosts
 * (localhost, and the pod's own name at its IP), /etc/resolv.conf (the
 * cluster's DNS for dnsPolicy ClusterFirst, with Kubernetes' search list and
 * ndots:5, merged with spec.dnsConfig) and /etc/hostname.
 */
import type { Pod } from '../api/index.ts';

/** The kubelet's clusterDNS and clusterDomain settings (kubeadm's and kind's defaults). */
export const CLUSTER_DNS = '10.96.0.10';
export const CLUSTER_DOMAIN = 'cluster.local';

interface DnsSpec {
  hostname?: string;
  subdomain?: string;
  dnsPolicy?: string;
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: Array<{ name: string; value?: string }> };
  hostAliases?: Array<{ ip: string; hostnames?: string[] }>;
}

export function podEtcFiles(pod: Pod, ip: string): Record<string, string> {
  const spec = pod.spec as Pod['spec'] & DnsSpec;
  const ns = pod.metadata.namespace ?? 'default';
  const hostname = spec.hostname ?? pod.metadata.name!;
  const fqdn = spec.subdomain ? `${hostname}.${spec.subdomain}.${ns}.svc.${CLUSTER_DOMAIN}` : '';
  let hosts =
    '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
    `${ip}\t${fqdn ? `${fqdn}\t` : ''}${hostname}\n`;
  if (spec.hostAliases?.length) {
    hosts += '\n# Entries added by HostAliases.\n';
    for (const a of spec.hostAliases) hosts += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  }
  return { '/etc/hosts': hosts, '/etc/resolv.conf': resolvConf(ns, spec), '/etc/hostname': `${hostname}\n` };
}

function resolvConf(ns: string, spec: DnsSpec): string {
  const policy = spec.dnsPolicy ?? 'ClusterFirst';
  let nameservers = policy === 'None' ? [] : [CLUSTER_DNS];
  let searches = policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet' ? [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN] : [];
  const options = new Map<string, string | undefined>(policy === 'None' ? [] : [['ndots', '5']]);
  const c = spec.dnsConfig;
  if (c?.nameservers) nameservers = [...new Set([...nameservers, ...c.nameservers])];
  if (c?.searches) searches = [...new Set([...searches, ...c.searches])];
  for (const o of c?.options ?? []) options.set(o.name, o.value);
  let text = '';
  if (searches.length) text += `search ${searches.join(' ')}\n`;
  for (const n of nameservers.slice(0, 3)) text += `nameserver ${n}\n`;
  if (options.size) text += `options ${[...options].map(([k, v]) => (v === undefined ? k : `${k}:${v}`)).join(' ')}\n`;
  return text;
}
