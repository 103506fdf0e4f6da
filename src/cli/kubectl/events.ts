/**
 * kubectl events: the namespace's events oldest first, LAST SEEN with
 * `(x3 over 5m)` for repeats, OBJECT as `Kind/name`; `--for`, `--types`,
 * `-A`, and `-w` (each new or repeated event until Ctrl-C).
 */
import type { KubeObject } from '../../api/index.ts';
import { age } from '../duration.ts';
import { CommandError } from '../io.ts';
import type { Command, Invocation } from '../program.ts';
import { columnWidths, formatRows, formatTable } from '../table.ts';
import { ALL_NAMESPACES_FLAG, namespaceOf, now } from './common.ts';
import { resourceType } from './resources.ts';

const first = (e: KubeObject) => (e.firstTimestamp as string | undefined) ?? (e.eventTime as string | undefined);
const last = (e: KubeObject) => (e.lastTimestamp as string | undefined) ?? first(e);

/** kubectl events' LAST SEEN: `45s`, or `12s (x4 over 3m)` for a repeated event. */
export function eventInterval(e: KubeObject, at: number): string {
  const count = Number(e.count ?? 1);
  return count > 1 ? `${age(last(e), at)} (x${count} over ${age(first(e), at)})` : age(first(e), at);
}

function row(e: KubeObject, at: number, all: boolean): string[] {
  const o = e.involvedObject as { kind: string; name: string };
  return [...(all ? [e.metadata.namespace ?? ''] : []), eventInterval(e, at), String(e.type ?? ''), String(e.reason ?? ''), `${o.kind}/${o.name}`, String(e.message ?? '').trim()];
}

export const eventsCommand: Command = {
  name: 'events',
  group: 'Troubleshooting and Debugging Commands:',
  short: 'List events',
  use: 'events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning]',
  long: 'Display events.\n\n Prints a table of the most important information about events. You can request events for a namespace, for all namespace, or filtered to only those pertaining to a specified resource.',
  examples: `  # List recent events in the default namespace
  kubectl events

  # List recent events in all namespaces
  kubectl events --all-namespaces

  # List recent events for the specified pod, then wait for more events and list them as they arrive
  kubectl events --for pod/web-pod-13je7 --watch

  # List recent only events of type 'Warning' or 'Normal'
  kubectl events --types=Warning,Normal`,
  flags: [
    ALL_NAMESPACES_FLAG,
    { name: 'for', type: 'string', help: 'Filter events to only those pertaining to the specified resource.' },
    { name: 'no-headers', type: 'bool', help: "When using the default output format, don't print headers." },
    { name: 'types', type: 'strings', help: 'Output only events of given types.' },
    { name: 'watch', short: 'w', type: 'bool', help: 'After listing the requested events, watch for more events.' },
  ],
  async run(inv: Invocation) {
    const api = inv.env.cluster.api;
    const all = inv.flags['all-namespaces'] as boolean;
    const types = (inv.flags.types as string[]).flatMap((t) => t.split(',')).filter(Boolean).map((t) => t.toLowerCase());
    for (const t of types) if (t !== 'normal' && t !== 'warning') throw new CommandError(`error: valid --types are Normal or Warning`);
    let forKind: string | undefined;
    let forName: string | undefined;
    const target = inv.flags.for as string;
    if (target) {
      const slash = target.indexOf('/');
      forKind = resourceType(slash < 0 ? 'pod' : target.slice(0, slash)).kind;
      forName = slash < 0 ? target : target.slice(slash + 1);
    }
    const wanted = (e: KubeObject) => {
      const o = e.involvedObject as { kind: string; name: string };
      return (!types.length || types.includes(String(e.type).toLowerCase())) && (!forKind || (o.kind === forKind && o.name === forName));
    };
    const ns = all ? undefined : namespaceOf(inv);
    const events = api
      .list('Event', { namespace: ns })
      .items.filter(wanted)
      .sort((a, b) => Date.parse(last(a) ?? '') - Date.parse(last(b) ?? ''));
    const header = [...(all ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
    const rows = [...(inv.flags['no-headers'] ? [] : [header]), ...events.map((e) => row(e, now(inv), all))];
    if (events.length) inv.io.out(formatTable(rows));
    else if (!inv.flags.watch) inv.io.err(ns ? `No events found in ${ns} namespace.\n` : 'No events found.\n');
    if (!inv.flags.watch) return;
    let widths = columnWidths(rows);
    if (!events.length && !inv.flags['no-headers']) {
      inv.io.out(formatTable([header]));
      widths = columnWidths([header]);
    }
    await new Promise<void>((resolve) => {
      const w = api.watch('Event', { namespace: ns, resourceVersion: api.resourceVersion }, (e) => {
        if (e.type !== 'DELETED' && wanted(e.object)) inv.io.out(formatRows([row(e.object, now(inv), all)], widths));
      });
      const stop = () => {
        w.dispose();
        resolve();
      };
      if (inv.io.signal.aborted) stop();
      else inv.io.signal.addEventListener('abort', stop, { once: true });
    });
  },
};
