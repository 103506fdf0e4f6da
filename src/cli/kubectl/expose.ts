/**
 * kubectl expose: a Service in front of a Deployment, ReplicaSet, Pod or
 * Service, selecting what it selects, on the port given or found in its
 * containers: `service/web exposed`.
 */
import type { KubeObject } from '../../api/index.ts';
import { UsageError } from '../flags.ts';
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { OUTPUT_FLAG, namespaceOf } from './common.ts';
import { DRY_RUN, createObject } from './create.ts';
import { templateSpec } from './modify.ts';
import { parseResourceArgs } from './resources.ts';

/** The labels a Service must select to reach what `o` runs. */
function selectorOf(o: KubeObject): Record<string, string> {
  if (o.kind === 'Pod') return { ...o.metadata.labels };
  if (o.kind === 'Service') return { ...((o.spec as { selector?: Record<string, string> }).selector ?? {}) };
  const selector = (o.spec as { selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } }).selector;
  if (selector?.matchExpressions?.length) throw new CommandError(`error: couldn't convert expressions - "${JSON.stringify(selector.matchExpressions)}" to map-based selector format`);
  return { ...selector?.matchLabels };
}

async function run(inv: Invocation): Promise<number> {
  const selections = parseResourceArgs(inv.args, false);
  if (selections.length !== 1 || selections[0]!.names.length !== 1) throw new UsageError('You must provide one or more resources by argument or filename.');
  const { info, names } = selections[0]!;
  if (!['Deployment', 'ReplicaSet', 'Pod', 'Service'].includes(info.kind)) throw new CommandError(`error: cannot expose a ${info.kind}`);
  const target = inv.env.cluster.api.get(info.kind, namespaceOf(inv), names[0]!);
  const selector = selectorOf(target);
  if (!Object.keys(selector).length) throw new CommandError(`error: couldn't retrieve selectors via --selector flag or introspection: the ${info.kind.toLowerCase()} has no selector`);
  let port = inv.flags.port as string;
  if (!port) {
    const found = templateSpec(target)?.containers.flatMap((c) => c.ports ?? [])[0]?.containerPort ?? (target.kind === 'Service' ? (target.spec as { ports?: Array<{ port: number }> }).ports?.[0]?.port : undefined);
    if (found === undefined) throw new CommandError("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples");
    port = String(found);
  }
  if (!/^\d+$/.test(port)) throw new UsageError(`invalid argument "${port}" for "--port" flag`);
  const targetPort = (inv.flags['target-port'] as string) || port;
  const type = inv.flags.type as string;
  if (type && !['ClusterIP', 'NodePort', 'LoadBalancer'].includes(type)) throw new CommandError(`error: unsupported service type: ${type}`);
  return createObject(
    inv,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: (inv.flags.name as string) || target.metadata.name, namespace: namespaceOf(inv), labels: { ...target.metadata.labels } },
      spec: {
        ports: [{ port: Number(port), protocol: (inv.flags.protocol as string) || 'TCP', targetPort: /^\d+$/.test(targetPort) ? Number(targetPort) : targetPort }],
        selector,
        ...(type ? { type } : {}),
      },
      status: { loadBalancer: {} },
    },
    'exposed',
  );
}

export const exposeCommand: Command = {
  name: 'expose',
  group: 'Basic Commands (Beginner):',
  short: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service',
  use: 'expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type]',
  examples: `  # Create a service for a pod valid-pod, which serves on port 444 with the name "frontend"
  kubectl expose pod valid-pod --port=444 --name=frontend

  # Create a service for an nginx deployment, which serves on port 80 and connects to the containers on port 8000
  kubectl expose deployment nginx --port=80 --target-port=8000`,
  flags: [
    DRY_RUN,
    { name: 'name', type: 'string', help: 'The name for the newly created object.' },
    OUTPUT_FLAG,
    { name: 'port', type: 'string', help: 'The port that the service should serve on. Copied from the resource being exposed, if unspecified' },
    { name: 'protocol', type: 'string', help: "The network protocol for the service to be created. Default is 'TCP'." },
    { name: 'target-port', type: 'string', help: 'Name or number for the port on the container that the service should direct traffic to. Optional.' },
    { name: 'type', type: 'string', help: "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.", values: ['ClusterIP', 'NodePort', 'LoadBalancer'] },
  ],
  run,
};
