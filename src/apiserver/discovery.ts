/**
 * Discovery, as the API server answers it: `/api` (the core group's
 * versions), `/apis` (every group), `/api/v1` and `/apis/GROUP/VERSION`
 * (each group version's resources with their verbs, short names,
 * categories and subresources), and `/version`.
 */
import { KINDS, type KindInfo } from '../api/index.ts';

/** The API server's version (kube-apiserver 1.35, as the kubelet reports). */
export const SERVER_VERSION = {
  major: '1',
  minor: '35',
  emulationMajor: '1',
  emulationMinor: '35',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '34',
  gitVersion: 'v1.35.0',
  gitCommit: '66452049f3d692768c39c797b21b793dce80314e',
  gitTreeState: 'clean',
  buildDate: '2025-12-17T12:32:06Z',
  goVersion: 'go1.25.5',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const IN_ALL = new Set(['Pod', 'Service', 'DaemonSet', 'Deployment', 'ReplicaSet', 'Job']);
const SCALABLE = new Set(['Deployment', 'ReplicaSet']);

export function groupVersion(info: KindInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

export function apiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroupList(): object {
  const groups = [...new Set(KINDS.filter((k) => k.group).map((k) => k.group))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((name) => {
      const gv = { groupVersion: `${name}/v1`, version: 'v1' };
      return { name, versions: [gv], preferredVersion: gv };
    }),
  };
}

export function apiGroup(name: string): object | undefined {
  if (!KINDS.some((k) => k.group === name)) return undefined;
  const gv = { groupVersion: `${name}/v1`, version: 'v1' };
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: [gv], preferredVersion: gv };
}

/** The resources of one group version, or undefined when podplay serves none there. */
export function apiResourceList(group: string, version: string): object | undefined {
  const kinds = KINDS.filter((k) => k.group === group && k.version === version);
  if (!kinds.length) return undefined;
  const resources: object[] = [];
  for (const k of kinds) {
    resources.push({
      name: k.resource,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: k.kind === 'Namespace' ? VERBS.filter((v) => v !== 'deletecollection') : VERBS,
      ...(k.shortNames.length ? { shortNames: k.shortNames } : {}),
      ...(IN_ALL.has(k.kind) ? { categories: ['all'] } : {}),
    });
    if (k.hasStatus) resources.push({ name: `${k.resource}/status`, singularName: '', namespaced: k.namespaced, kind: k.kind, verbs: ['get', 'patch', 'update'] });
    if (SCALABLE.has(k.kind)) resources.push({ name: `${k.resource}/scale`, singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    if (k.kind === 'Pod') resources.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
