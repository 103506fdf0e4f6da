/**
 * kubectl get: tables as kubectl prints them (-o wide, -A, --show-labels,
 * -L, --no-headers), the other -o formats, -l and --field-selector, -f, and
 * -w (the table, then a row for each change until Ctrl-C).
 */
import { isApiError, kubectlKind, type KubeObject } from '../../api/index.ts';
import { UsageError } from '../flags.ts';
import type { Command, Invocation } from '../program.ts';
import { columnWidths, formatRows, formatTable } from '../table.ts';
import { ALL_NAMESPACES_FLAG, FILENAME_FLAG, OUTPUT_FLAG, SELECTOR_FLAG, namespaceOf, now, objectsFromFiles } from './common.ts';
import { parseOutput, printObjects } from './output.ts';
import { tableHeader, tableRow, tableRows, type TableOptions } from './printers/index.ts';
import { parseResourceArgs, resourceType, resourceWords, type ResourceSelection } from './resources.ts';
import { sortObjects } from './sort.ts';
import { kubectlMessage } from './style.ts';

const NO_TYPE = `You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.

error: Required resource not specified.
Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).
See 'kubectl get -h' for help and examples
`;

/** "No resources found in default namespace." and its cluster-wide forms. */
export function noResources(namespace: string | undefined): string {
  return namespace ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n';
}

interface Found {
  selection: ResourceSelection;
  objects: KubeObject[];
}

/** The objects a selection names, or lists; a missing name's NotFound is kept for after the output, as kubectl prints it. */
function fetch(inv: Invocation, selections: ResourceSelection[], errors: string[]): Found[] {
  const api = inv.env.cluster.api;
  const all = inv.flags['all-namespaces'] as boolean;
  const namespace = namespaceOf(inv);
  return selections.map((selection) => {
    const { info, names } = selection;
    if (names.length) {
      const objects: KubeObject[] = [];
      for (const name of names) {
        try {
          objects.push(api.get(info.kind, info.namespaced ? namespace : undefined, name));
        } catch (err) {
          if (!isApiError(err, 'NotFound')) throw err;
          if (!inv.flags['ignore-not-found']) errors.push(kubectlMessage(err) + '\n');
        }
      }
      return { selection, objects };
    }
    const items = api.list(info.kind, {
      namespace: info.namespaced && !all ? namespace : undefined,
      labelSelector: (inv.flags.selector as string) || undefined,
      fieldSelector: (inv.flags['field-selector'] as string) || undefined,
    }).items;
    return { selection, objects: items };
  });
}

function tableOptions(inv: Invocation, withKind: string | undefined, wide: boolean, namespaced: boolean): TableOptions {
  return {
    wide,
    // Cluster-scoped kinds have no NAMESPACE column, even with -A.
    withNamespace: (inv.flags['all-namespaces'] as boolean) && namespaced,
    showLabels: inv.flags['show-labels'] as boolean,
    labelColumns: (inv.flags['label-columns'] as string[]).flatMap((l) => l.split(',')).filter(Boolean),
    withKind,
    noHeaders: inv.flags['no-headers'] as boolean,
  };
}

const kindPrefix = (s: ResourceSelection) => kubectlKind(s.info);

async function run(inv: Invocation): Promise<number> {
  const output = inv.flags.output as string;
  const fromFiles = await objectsFromFiles(inv);
  if (!inv.args.length && !fromFiles.length) {
    inv.io.err(NO_TYPE);
    return 1;
  }
  const format = output && output !== 'wide' ? parseOutput(output) : undefined;
  const errors: string[] = [];
  let selections: ResourceSelection[];
  if (fromFiles.length) {
    selections = [];
    for (const o of fromFiles) {
      const info = resourceType(o.kind);
      const same = selections.find((s) => s.info === info);
      if (same) same.names.push(o.metadata.name!);
      else selections.push({ info, names: [o.metadata.name!] });
    }
  } else selections = parseResourceArgs(inv.args);
  // The API server's deprecation warning, which kubectl prints as it comes (Kubernetes 1.33+).
  if (selections.some((s) => s.info.kind === 'Endpoints')) inv.io.err('Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n');
  const watching = (inv.flags.watch as boolean) || (inv.flags['watch-only'] as boolean);
  if (watching && selections.length > 1) throw new UsageError('you may only specify a single resource type');
  const sortBy = inv.flags['sort-by'] as string;
  const found = fetch(inv, selections, errors).map((f) => (sortBy ? { ...f, objects: sortObjects(f.objects, sortBy) } : f));
  const listedAt = inv.env.cluster.api.resourceVersion;
  const finish = () => {
    for (const e of errors) inv.io.err(e);
    return errors.length ? 1 : 0;
  };
  if (watching && errors.length) return finish();
  const readFile = async (p: string) => new TextDecoder().decode(await inv.env.files.read(p));
  const noHeaders = inv.flags['no-headers'] as boolean;
  if (format) {
    const items = found.flatMap((f) => f.objects);
    const single = selections.length === 1 && selections[0]!.names.length === 1 && !inv.args[0]?.includes(',');
    if (watching) {
      // Each object on its own, as kubectl's watch prints them (YAML documents separated by ---).
      if (!inv.flags['watch-only']) for (const [i, o] of items.entries()) inv.io.out((i && format.format === 'yaml' ? '---\n' : '') + (await printObjects([asEvent(inv, 'ADDED', o)], format, true, readFile, noHeaders)));
      await watch(inv, selections[0]!, format, [], listedAt, items.length > 0);
      return finish();
    }
    // kubectl's printGeneric: a missing single object prints nothing; otherwise even an empty list is printed.
    if (!(single && !items.length)) inv.io.out(await printObjects(items, format, single, readFile, noHeaders));
    return finish();
  }
  const wide = output === 'wide';
  const multi = found.length > 1 || (inv.flags['show-kind'] as boolean) || inv.args[0] === 'all' || (fromFiles.length > 0 && found.length > 1);
  let printed = false;
  let widths: number[] = [];
  for (const f of found) {
    if (!f.objects.length || inv.flags['watch-only']) continue;
    const options = tableOptions(inv, multi ? kindPrefix(f.selection) : undefined, wide, f.selection.info.namespaced);
    const rows = withEvents(inv, tableRows(f.selection.info.kind, f.objects, now(inv), options), () => 'ADDED', options.noHeaders ?? false);
    if (printed && !noHeaders) inv.io.out('\n');
    inv.io.out(formatTable(rows));
    widths = columnWidths(rows);
    printed = true;
  }
  // --ignore-not-found: nothing at all is said of nothing found.
  if (!printed && !errors.length && !watching && !inv.flags['ignore-not-found']) inv.io.err(noResources(namespaceFor(inv, selections)));
  if (watching) await watch(inv, selections[0]!, undefined, widths, listedAt, printed);
  return finish();
}

function namespaceFor(inv: Invocation, selections: ResourceSelection[]): string | undefined {
  if (inv.flags['all-namespaces'] || selections.every((s) => !s.info.namespaced)) return undefined;
  return namespaceOf(inv);
}

/**
 * --output-watch-events: each row gets the watch event's type in a first
 * EVENT column (the first listing's rows are ADDED), each object in an -o
 * format becomes a metav1.WatchEvent ({type, object}), as kubectl prints them.
 */
function withEvents(inv: Invocation, rows: string[][], type: () => string, noHeader: boolean): string[][] {
  if (!inv.flags['output-watch-events'] || !((inv.flags.watch as boolean) || (inv.flags['watch-only'] as boolean))) return rows;
  return rows.map((r, i) => [i === 0 && !noHeader ? 'EVENT' : type(), ...r]);
}

function asEvent(inv: Invocation, type: string, object: KubeObject): KubeObject {
  return inv.flags['output-watch-events'] ? ({ type, object } as unknown as KubeObject) : object;
}

/** -w: each change as a row under the first table's columns (or in the -o format), until Ctrl-C. */
async function watch(inv: Invocation, selection: ResourceSelection, format: { format: string; arg?: string } | undefined, widths: number[], from: string, printedBefore: boolean): Promise<void> {
  const api = inv.env.cluster.api;
  const { info, names } = selection;
  const all = inv.flags['all-namespaces'] as boolean;
  const options = tableOptions(inv, undefined, inv.flags.output === 'wide', info.namespaced);
  let printed = printedBefore;
  if (!widths.length) {
    const header = withEvents(inv, [tableHeader(info.kind, options)], () => '', false)[0]!;
    if (!format && !options.noHeaders) {
      inv.io.out(formatTable([header]));
      widths = columnWidths([header]);
    }
  }
  const fieldSelectors = [(inv.flags['field-selector'] as string) || '', names.length === 1 ? `metadata.name=${names[0]}` : ''].filter(Boolean).join(',');
  await new Promise<void>((resolve) => {
    const w = api.watch(
      info.kind,
      {
        namespace: info.namespaced && !all ? namespaceOf(inv) : undefined,
        labelSelector: (inv.flags.selector as string) || undefined,
        fieldSelector: fieldSelectors || undefined,
        resourceVersion: from,
      },
      (e) => {
        if (names.length > 1 && !names.includes(e.object.metadata.name!)) return;
        if (!format) {
          inv.io.out(formatRows(withEvents(inv, [tableRow(e.object, now(inv), { ...options, noHeaders: true })], () => e.type, true), widths));
          return;
        }
        const separator = printed && format.format === 'yaml' ? '---\n' : '';
        printed = true;
        printObjects([asEvent(inv, e.type, e.object)], format, true, async () => '').then(
          (t) => inv.io.out(separator + t),
          (err: Error) => inv.io.err(kubectlMessage(err) + '\n'),
        );
      },
    );
    const stop = () => {
      w.dispose();
      resolve();
    };
    if (inv.io.signal.aborted) stop();
    else inv.io.signal.addEventListener('abort', stop, { once: true });
  });
}

export const get: Command = {
  name: 'get',
  group: 'Basic Commands (Intermediate):',
  short: 'Display one or many resources',
  use: 'get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]',
  long: 'Display one or many resources.\n\n Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag. If the desired resource type is namespaced you will only see results in the current namespace if you don\'t specify any namespace.',
  examples: `  # List all pods in ps output format
  kubectl get pods

  # List all pods in ps output format with more information (such as node name)
  kubectl get pods -o wide

  # List deployments in JSON output format, in the "v1" version of the "apps" API group
  kubectl get deployments.v1.apps -o json

  # List a single pod in JSON output format
  kubectl get -o json pod web-pod-13je7

  # List resource information in custom columns
  kubectl get pod test-pod -o custom-columns=CONTAINER:.spec.containers[0].name,IMAGE:.spec.containers[0].image

  # List all pods, services and deployments
  kubectl get pods,services,deployments`,
  flags: [
    ALL_NAMESPACES_FLAG,
    { name: 'field-selector', type: 'string', help: "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type." },
    FILENAME_FLAG,
    { name: 'ignore-not-found', type: 'bool', help: 'If set to true, suppresses NotFound error for specific objects that do not exist. Using this flag with commands that query for collections of resources has no effect when no resources are found.' },
    { name: 'label-columns', short: 'L', type: 'strings', help: 'Accepts a comma separated list of labels that are going to be presented as columns.' },
    { name: 'no-headers', type: 'bool', help: 'When using the default or custom-column output format, don\'t print headers (default print headers).' },
    OUTPUT_FLAG,
    SELECTOR_FLAG,
    { name: 'show-kind', type: 'bool', help: 'If present, list the resource type for the requested object(s).' },
    { name: 'sort-by', type: 'string', help: "If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string.", values: ['.metadata.name', '.metadata.creationTimestamp', '.lastTimestamp'] },
    { name: 'show-labels', type: 'bool', help: 'When printing, show all labels as the last column (default hide labels column)' },
    { name: 'watch', short: 'w', type: 'bool', help: 'After listing/getting the requested object, watch for changes.' },
    { name: 'watch-only', type: 'bool', help: 'Watch for changes to the requested object(s), without listing/getting first.' },
    { name: 'output-watch-events', type: 'bool', help: 'Output watch event objects when --watch or --watch-only is used. Existing objects are output as initial ADDED events.' },
  ],
  run,
  complete: (env, args) => (args.length === 0 ? [...resourceWords(), 'all'] : []),
};

