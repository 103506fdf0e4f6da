/**
 * `docker system df` (formatter/disk_usage.go): images, containers, local
 * volumes and build cache with their totals, active counts, sizes and what
 * could be reclaimed. podplay has no volumes or build cache for docker, and
 * a container's writable layer is not measured (0B).
 */
import type { Command, Invocation } from '../program.ts';
import { DOCKER_TABLE, formatTable } from '../table.ts';
import { dockerEngine } from './engine.ts';
import { checkArgs } from './style.ts';
import { humanSize } from './units.ts';

/** RECLAIMABLE: the size, with its share of the total when there is a total. */
const reclaimable = (n: number, total: number) => (total > 0 ? `${humanSize(n)} (${Math.trunc((n * 100) / total)}%)` : humanSize(n));

export async function df(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 0, 0);
  const sb = await inv.env.sandbox();
  const engine = dockerEngine(sb);
  const [summaries, states] = await Promise.all([sb.images(), engine.states()]);
  // One entry per image (not per tag); every blob counted once.
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const blobs = new Map<string, number>();
  for (const s of byId.values()) {
    const { image } = await sb.ensureImage(s.ref);
    blobs.set(image.descriptor.digest, image.descriptor.size);
    for (const d of [image.manifest.config, ...image.manifest.layers]) blobs.set(d.digest, d.size);
  }
  const total = [...blobs.values()].reduce((a, b) => a + b, 0);
  const active = [...byId.values()].filter((s) => engine.usingImage(s.id).length > 0);
  // docker: what the active images use alone stays; the rest could go.
  const used = active.reduce((a, s) => a + s.size - s.sharedSize, 0);
  const containers = engine.list();
  const running = containers.filter((c) => states.get(c.id)?.state === 'running').length;
  const rows = [
    ['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'],
    ['Images', String(byId.size), String(active.length), humanSize(total), reclaimable(total - used, total)],
    ['Containers', String(containers.length), String(running), humanSize(0), reclaimable(0, 0)],
    ['Local Volumes', '0', '0', humanSize(0), reclaimable(0, 0)],
    ['Build Cache', '0', '0', humanSize(0), humanSize(0)],
  ];
  inv.io.out(formatTable(rows, DOCKER_TABLE));
  return 0;
}
