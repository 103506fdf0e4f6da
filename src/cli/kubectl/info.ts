/**
 * What kubectl tells about the cluster itself: version, cluster-info and
 * api-resources (the kinds podplay's API serves, as discovery lists them).
 */
import { KINDS, apiVersionOf } from '../../api/index.ts';
import { KUBELET_VERSION } from '../../sandbox/index.ts';
import { UsageError } from '../flags.ts';
import type { Command } from '../program.ts';
import { formatTable } from '../table.ts';
import { toJson, toYaml } from './output.ts';

/** The version podplay's kubectl and API server report (the kubelets' too). */
export const KUBERNETES_VERSION = KUBELET_VERSION;

function versionInfo() {
  const [major, minor] = KUBERNETES_VERSION.slice(1).split('.');
  return { major, minor, gitVersion: KUBERNETES_VERSION, gitCommit: 'podplay', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'wasm', compiler: 'podplay', platform: 'wasip1/wasm' };
}

export const versionCommand: Command = {
  name: 'version',
  group: 'Other Commands:',
  short: 'Print the client and server version information',
  use: 'version [flags]',
  long: 'Print the client and server version information for the current context.',
  examples: '  # Print the client and server versions for the current context\n  kubectl version',
  flags: [
    { name: 'client', type: 'bool', help: 'If true, shows client version only (no server required).' },
    { name: 'output', short: 'o', type: 'string', help: "One of 'yaml' or 'json'.", values: ['yaml', 'json'] },
  ],
  run(inv) {
    const output = inv.flags.output as string;
    const client = inv.flags.client as boolean;
    if (output && output !== 'yaml' && output !== 'json') throw new UsageError(`--output must be 'yaml' or 'json'`);
    if (output) {
      const data = { clientVersion: versionInfo(), ...(client ? {} : { serverVersion: versionInfo() }) };
      inv.io.out(output === 'json' ? toJson(data) : toYaml(data));
      return;
    }
    inv.io.out(`Client Version: ${KUBERNETES_VERSION}\n${client ? '' : `Server Version: ${KUBERNETES_VERSION}\n`}`);
  },
};

export const clusterInfoCommand: Command = {
  name: 'cluster-info',
  group: 'Cluster Management Commands:',
  short: 'Display cluster information',
  use: 'cluster-info [flags]',
  long: "Display addresses of the control plane and services with label kubernetes.io/cluster-service=true. To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.",
  run(inv) {
    const nodes = inv.env.cluster.api.list('Node').items.map((n) => n.metadata.name);
    inv.io.out(
      `Kubernetes control plane is running at https://kubernetes.default.svc\n` +
        `Nodes (node workers in this page): ${nodes.join(', ') || '<none>'}\n\n` +
        `To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
    );
  },
};

const VERBS: Record<string, string> = {
  Event: 'create,delete,deletecollection,get,list,patch,update,watch',
  Namespace: 'create,delete,get,list,patch,update,watch',
  Node: 'create,delete,deletecollection,get,list,patch,update,watch',
};
const DEFAULT_VERBS = 'create,delete,deletecollection,get,list,patch,update,watch';

export const apiResourcesCommand: Command = {
  name: 'api-resources',
  group: 'Other Commands:',
  short: 'Print the supported API resources on the server',
  use: 'api-resources [flags]',
  examples: `  # Print the supported API resources
  kubectl api-resources

  # Print the supported API resources with more information
  kubectl api-resources -o wide

  # Print the supported namespaced resources
  kubectl api-resources --namespaced=true`,
  flags: [
    { name: 'api-group', type: 'string', help: 'Limit to resources in the specified API group.' },
    { name: 'namespaced', type: 'bool', default: true, help: 'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.' },
    { name: 'no-headers', type: 'bool', help: "When using the default or custom-column output format, don't print headers (default print headers)." },
    { name: 'output', short: 'o', type: 'string', help: 'Output format. One of: (wide, name).', values: ['wide', 'name'] },
  ],
  run(inv) {
    const output = inv.flags.output as string;
    if (output && output !== 'wide' && output !== 'name') throw new UsageError(`--output ${output} is not available`);
    const group = inv.given.has('api-group') ? (inv.flags['api-group'] as string) : undefined;
    const kinds = KINDS.filter((k) => (group === undefined || k.group === group) && (!inv.given.has('namespaced') || k.namespaced === inv.flags.namespaced)).sort(
      (a, b) => (a.group === b.group ? (a.resource < b.resource ? -1 : 1) : a.group === '' ? -1 : b.group === '' ? 1 : a.group < b.group ? -1 : 1),
    );
    if (output === 'name') {
      inv.io.out(kinds.map((k) => `${k.resource}${k.group ? `.${k.group}` : ''}\n`).join(''));
      return;
    }
    const header = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(output === 'wide' ? ['VERBS', 'CATEGORIES'] : [])];
    const rows = kinds.map((k) => [
      k.resource,
      k.shortNames.join(','),
      apiVersionOf(k),
      String(k.namespaced),
      k.kind,
      ...(output === 'wide' ? [`[${(VERBS[k.kind] ?? DEFAULT_VERBS).split(',').join(' ')}]`, ['Pod', 'Service', 'Deployment', 'ReplicaSet', 'DaemonSet', 'Job'].includes(k.kind) ? '[all]' : ''] : []),
    ]);
    inv.io.out(formatTable(inv.flags['no-headers'] ? rows : [header, ...rows]));
  },
};
