/**
 * The cluster map panel (`panels="terminal map"`) in Chromium, through the
 * element: chips where `kubectl get pods -o wide` puts the pods, the
 * Pending lane and the scheduler's reasons, a node stopped from the map and
 * its pods recreated elsewhere, scrubbing back before a scale, reduced
 * motion. Each state is written as a screenshot (test artifacts).
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { exec, ready } from './element-helpers.ts';
import { TEST_PAGE } from './helpers.ts';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: hello
        image: podplay/hello
        resources: { requests: { cpu: 100m, memory: 32Mi } }
`;

const HUGE = `apiVersion: v1
kind: Pod
metadata: { name: huge }
spec:
  containers:
  - name: hello
    image: podplay/hello
    resources: { requests: { cpu: "64" } }
`;

/** A page with one map sandbox (speed: cluster seconds per real second). */
async function openMap(page: Page, speed = 1): Promise<void> {
  await page.goto(TEST_PAGE);
  await page.evaluate((s) => {
    document.getElementById('test')!.remove();
    document.body.insertAdjacentHTML('beforeend', `<podplay-sandbox id="map" panels="terminal map" speed="${s}" height="16rem"></podplay-sandbox>`);
  }, speed);
  await ready(page, 'map');
}

const apply = (page: Page, yaml: string) => page.evaluate((y) => (document.getElementById('map') as unknown as { apply(t: string): Promise<{ errors: string[] }> }).apply(y), yaml);

/** The chips the map draws: pod key → { node, phase }. */
function chips(page: Page): Promise<Record<string, { node: string; phase: string; label: string }>> {
  return page.evaluate(() => {
    const root = document.getElementById('map')!.shadowRoot!;
    const out: Record<string, { node: string; phase: string; label: string }> = {};
    for (const b of root.querySelectorAll<HTMLElement>('[data-pod]')) {
      out[b.dataset.pod!] = { node: b.closest<HTMLElement>('[data-node]')?.dataset.node ?? '', phase: b.dataset.phase!, label: b.getAttribute('aria-label')! };
    }
    return out;
  });
}

/** `kubectl get pods -o wide`: pod → node. */
async function wideNodes(page: Page, selector = 'app=web'): Promise<Record<string, string>> {
  const r = await exec(page, 'map', `kubectl get pods -l ${selector} -o wide --no-headers`);
  return Object.fromEntries(r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(/\s+/)).map((c) => [`default/${c[0]}`, c[6]!]));
}

async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  const section = page.locator('#map').getByTestId('map-section');
  await info.attach(name, { body: await section.screenshot({ animations: 'disabled' }), contentType: 'image/png' });
  await section.screenshot({ path: info.outputPath(`${name}.png`), animations: 'disabled' });
}

test('a Deployment of 3 is 3 chips on the nodes kubectl names; a 64-CPU pod waits in the Pending lane, and its explanation shows NodeResourcesFit rejecting every node', async ({ page }, info) => {
  await openMap(page);
  expect((await apply(page, WEB)).errors).toEqual([]);
  await expect.poll(async () => Object.values(await chips(page)).filter((c) => c.phase === 'Running').length, { timeout: 60_000 }).toBe(3);
  const wide = await wideNodes(page);
  const drawn = await chips(page);
  expect(Object.keys(wide).sort()).toEqual(Object.keys(drawn).sort());
  for (const [pod, node] of Object.entries(wide)) {
    expect(drawn[pod]!.node).toBe(node);
    expect(drawn[pod]!.label).toBe(`pod ${pod.slice('default/'.length)} Running on ${node}, Deployment web`);
  }
  // Nodes sit in their zones, with their requests counted.
  const zoneOf = await page.locator('#map [data-zone="zone-a"] [data-node]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.node));
  expect(zoneOf).toEqual(['node-1']);
  await shot(page, info, 'map-deployment-running');
  // The map's styles stay in the map: the element's own bar keeps its height above the terminal.
  const bar = await page.locator('#map').getByTestId('cluster-status').boundingBox();
  const terminal = await page.locator('#map').getByTestId('terminal').boundingBox();
  expect(bar!.height).toBeGreaterThan(15);
  expect(bar!.y + bar!.height).toBeLessThanOrEqual(terminal!.y);

  expect((await apply(page, HUGE)).errors).toEqual([]);
  const lane = page.locator('#map').getByTestId('map-pending');
  await expect(lane.locator('[data-pod="default/huge"]')).toHaveAttribute('data-phase', 'Pending');
  await expect(lane).toContainText('0/3 nodes are available: 3 Insufficient cpu.');
  await shot(page, info, 'map-pending-huge');

  await lane.locator('[data-pod="default/huge"]').click();
  const dialog = page.locator('#map').getByTestId('pod-dialog');
  await expect(dialog).toBeVisible();
  const rows = dialog.locator('[data-explain-node]');
  await expect(rows).toHaveCount(3);
  for (const node of ['node-1', 'node-2', 'node-3']) {
    await expect(dialog.locator(`[data-explain-node="${node}"] .reject[data-plugin="NodeResourcesFit"]`)).toHaveText('NodeResourcesFit: Insufficient cpu');
  }
  await info.attach('map-explain-huge', { body: await dialog.screenshot(), contentType: 'image/png' });
  await dialog.screenshot({ path: info.outputPath('map-explain-huge.png') });
  await dialog.getByRole('button', { name: 'Close' }).click();

  // A running pod's explanation: every node scored, the chosen one is where it runs.
  const [pod, node] = Object.entries(wide)[0]!;
  await page.locator(`#map [data-pod="${pod}"]`).click();
  await expect(dialog.locator('tr.chosen')).toHaveAttribute('data-explain-node', node);
  await expect(dialog.locator('tr.chosen .stack .segment').first()).toBeVisible();
  await dialog.screenshot({ path: info.outputPath('map-explain-running.png') });
  await dialog.getByRole('button', { name: 'Close' }).click();

  // kubectl describe pod's Name line is a link to the same dialog.
  await page.evaluate(() => (document.getElementById('map') as unknown as { type(l: string): Promise<number> }).type('kubectl describe pod huge | head -4'));
  // xterm draws the rows at its next frame: look until the Name line is there.
  const findName = () =>
    page.evaluate(() => {
      const rows = document.getElementById('map')!.shadowRoot!.querySelector('[data-testid=terminal] .xterm-rows')!;
      rows.scrollIntoView();
      const walker = document.createTreeWalker(rows, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const row = (n.parentElement!.closest('.xterm-rows > div') as HTMLElement).textContent!.replace(/\u00a0/g, ' ');
        const i = n.textContent!.indexOf('huge');
        if (!row.startsWith('Name:') || i < 0) continue;
        const range = document.createRange();
        range.setStart(n, i);
        range.setEnd(n, i + 4);
        const r = range.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }
      return undefined;
    });
  await expect.poll(findName).toBeDefined();
  const at = await findName();
  await page.mouse.move(at!.x, at!.y);
  await page.mouse.click(at!.x, at!.y);
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('#pod-dialog-title')).toHaveText('pod/huge');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The terminal prints the same table.
  const text = await exec(page, 'map', `podplay explain pod huge`);
  expect(text.exitCode).toBe(0);
  expect(text.stdout).toContain('NodeResourcesFit');
});

test('stopping a node from the map greys it and its pods come back Running on the other nodes; the command shows in the terminal', async ({ page }, info) => {
  // 60 cluster seconds per real second: the 50 s without a heartbeat and the 300 s toleration pass in seconds.
  await openMap(page, 60);
  expect((await apply(page, WEB)).errors).toEqual([]);
  await expect.poll(async () => Object.values(await chips(page)).filter((c) => c.phase === 'Running').length, { timeout: 60_000 }).toBe(3);
  const before = await chips(page);
  const victim = Object.values(before)[0]!.node;
  const card = page.locator(`#map [data-node="${victim}"]`);
  await card.getByText('Actions').click();
  await card.getByRole('button', { name: 'Stop node' }).click();
  await expect(card).toHaveClass(/down/);
  await shot(page, info, 'map-node-stopped');
  await expect(page.locator('#map [data-testid=terminal] .xterm-rows')).toContainText(`podplay stop node ${victim}`);
  await expect(card).toHaveAttribute('data-status', /NotReady|Unknown/, { timeout: 60_000 });
  await expect
    .poll(async () => {
      const now = Object.values(await chips(page));
      return now.filter((c) => c.phase === 'Running' && c.node !== victim).length;
    }, { timeout: 90_000 })
    .toBe(3);
  // As on a real cluster, the evicted pods stay on the lost node as Terminating until it comes back; the map and kubectl agree on where each pod is.
  const after = await wideNodes(page);
  const drawn = await chips(page);
  for (const [pod, node] of Object.entries(after)) {
    expect(drawn[pod]!.node).toBe(node);
    if (node === victim) expect(['Terminating', 'Unknown']).toContain(drawn[pod]!.phase);
  }
  await shot(page, info, 'map-pods-recreated');
});

test('scrubbing the timeline back before kubectl scale shows the old count, Live returns; reduced motion turns animation off', async ({ page }, info) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openMap(page);
  await page.evaluate(() => {
    const w = window as unknown as { animations: number };
    w.animations = 0;
    const original = Element.prototype.animate;
    Element.prototype.animate = function (...args: Parameters<Element['animate']>) {
      w.animations++;
      return original.apply(this, args);
    };
  });
  const section = page.locator('#map').getByTestId('map-section');
  await expect(section).toHaveAttribute('data-motion', 'off');
  await expect(section.getByTestId('map-motion')).not.toBeChecked();
  expect((await apply(page, WEB)).errors).toEqual([]);
  await expect.poll(async () => Object.values(await chips(page)).filter((c) => c.phase === 'Running').length, { timeout: 60_000 }).toBe(3);
  expect(await page.evaluate(() => (window as unknown as { animations: number }).animations)).toBe(0);

  const range = section.getByTestId('timeline-range');
  const beforeScale = Number(await range.getAttribute('max'));
  expect((await exec(page, 'map', 'kubectl scale deployment/web --replicas=5')).exitCode).toBe(0);
  await expect.poll(async () => Object.keys(await chips(page)).length).toBe(5);
  await shot(page, info, 'map-scaled-to-5');

  // Back to the moment before the scale: three pods, read-only.
  await range.fill(String(beforeScale));
  await expect(section.getByTestId('map-mode')).toHaveText('The past');
  await expect.poll(async () => Object.keys(await chips(page)).length).toBe(3);
  await expect(section.locator('[data-deployment="default/web"]')).toContainText('3/3');
  await expect(section.locator('[data-node] .node-actions button').first()).toBeDisabled();
  await shot(page, info, 'map-scrubbed-back');
  await section.getByTestId('timeline-live').click();
  await expect(section.getByTestId('map-mode')).toHaveText('Live');
  await expect.poll(async () => Object.keys(await chips(page)).length).toBe(5);
  expect(await page.evaluate(() => (window as unknown as { animations: number }).animations)).toBe(0);

  // With motion on, the same kind of change animates.
  await section.getByTestId('map-motion').check();
  await expect(section).toHaveAttribute('data-motion', 'on');
  expect((await exec(page, 'map', 'kubectl scale deployment/web --replicas=6')).exitCode).toBe(0);
  await expect.poll(() => page.evaluate(() => (window as unknown as { animations: number }).animations)).toBeGreaterThan(0);
  await expect.poll(async () => Object.keys(await chips(page)).length).toBe(6);

  // Export, then import the file: the map replays it read-only, ending where it was exported.
  const [download] = await Promise.all([page.waitForEvent('download'), section.getByTestId('timeline-export').click()]);
  const exported = await download.path().then((p) => readFileSync(p, 'utf8'));
  const lines = exported.trimEnd().split('\n');
  expect(JSON.parse(lines[0]!)).toMatchObject({ podplayHistory: 1 });
  expect(lines.some((l) => l.includes('"type":"ADDED","kind":"Deployment"'))).toBe(true);
  const file = (name: string, text: string) => ({ name, mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
  await section.getByTestId('timeline-import').setInputFiles(file('lesson.jsonl', exported));
  await expect(section.getByTestId('map-mode')).toHaveText('Replay: lesson.jsonl');
  await expect(section.getByTestId('timeline-where')).toContainText('Replaying lesson.jsonl (read-only)');
  await expect.poll(async () => Object.keys(await chips(page)).length).toBe(6);
  await range.fill('0');
  await expect.poll(async () => Object.keys(await chips(page)).length).toBe(0);
  await shot(page, info, 'map-replay-start');
  await section.getByTestId('timeline-leave').click();
  await expect(section.getByTestId('map-mode')).toHaveText('Live');

  // A file that is not a history, and one cut short, are refused with the line; the sandbox's own history is untouched.
  await section.getByTestId('timeline-import').setInputFiles(file('notes.txt', 'hello\n'));
  await expect(section.getByTestId('timeline-import-note')).toContainText('notes.txt was not imported: line 1:');
  const cut = lines.slice(0, -3).join('\n') + '\n' + lines.at(-3)!.slice(0, 20);
  await section.getByTestId('timeline-import').setInputFiles(file('cut.jsonl', cut));
  await expect(section.getByTestId('timeline-import-note')).toContainText(`cut.jsonl was not imported: line ${lines.length - 2}:`);
  await expect(section.getByTestId('map-mode')).toHaveText('Live');
  await shot(page, info, 'map-import-refused');

  // Reset: a new cluster, a new history; the map follows it.
  const before = Number(await range.getAttribute('max'));
  await page.locator('#map').getByTestId('reset').click();
  await expect(page.locator('#map').getByTestId('cluster-status')).toContainText('Cluster ready');
  await expect.poll(async () => Object.keys(await chips(page)).length).toBe(0);
  await expect.poll(async () => Number(await range.getAttribute('max'))).toBeLessThan(before);
  await expect(section.getByTestId('map-workloads').locator('li')).toHaveCount(0);
  await expect(section.locator('[data-node]')).toHaveCount(3);
});
