/**
 * Lessons (`npm run bench -- lessons`):
 *  - check evaluation under churn, in Node: 200 pods of a Deployment
 *    created, moved through Pending → Running, relabelled and deleted in
 *    the API store one change at a time (each change's watch event
 *    delivered before the next), ROUNDS times, with a step's checks evaluated on every
 *    watch event as the lesson page does (an object check by name, a count
 *    over a selector with a field compared) against the same churn with no
 *    checks, interleaved: ms per watch event, and the share of the churn's
 *    time the checks take;
 *  - in Chromium, the lesson page's "Reset this lesson" to ready (a clean
 *    cluster, the lesson's files and setup, its first check evaluated), p50
 *    of RESETS, on lesson.html.
 * Figures, not assertions.
 */
import type { Browser } from '@playwright/test';
import { createApiStore, type ApiStore, type KubeObject } from '../src/api/index.ts';
import { evaluateObjectCheck, type ObjectCheck } from '../src/lessons/index.ts';
import { SystemClock } from '../src/shared/index.ts';
import { ms, pct } from './figures.ts';
import { vitePreview } from './serve.ts';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const PODS = Number(process.env.BENCH_LESSON_PODS ?? 200);
const ROUNDS = Number(process.env.BENCH_LESSON_ROUNDS ?? 10);
const RESETS = Number(process.env.BENCH_LESSON_RESETS ?? 5);
const PORT = 4182;
const PROJECT = fileURLToPath(new URL('../', import.meta.url));

const CHECKS: ObjectCheck[] = [
  { type: 'object', kind: 'Deployment', name: 'web', namespace: 'default', path: 'status.readyReplicas', equals: PODS, timeout: 60, line: 1 },
  { type: 'object', kind: 'Pod', namespace: 'default', selector: 'app=web', path: 'status.phase', equals: 'Running', count: { atLeast: PODS }, timeout: 60, line: 2 },
];

const pod = (i: number): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'hello', image: 'podplay/hello' }] } }) as KubeObject;

/** One churn of PODS pods: create, Running, relabel, delete (watch events are delivered in microtasks, awaited after each); ms of wall time, events seen, ms spent in checks. */
async function churn(api: ApiStore, withChecks: boolean): Promise<{ wallMs: number; events: number; checkMs: number }> {
  let events = 0;
  let checkMs = 0;
  const watch = api.watch('Pod', { namespace: 'default' }, () => {
    events++;
    if (!withChecks) return;
    const t = performance.now();
    for (const c of CHECKS) evaluateObjectCheck(api, c);
    checkMs += performance.now() - t;
  });
  // Delivery is queued as a microtask during the change: awaiting one lets it run first.
  const settle = () => Promise.resolve();
  const t0 = performance.now();
  for (let i = 0; i < PODS; i++) {
    api.create(pod(i));
    await settle();
  }
  for (let i = 0; i < PODS; i++) {
    api.mutate('Pod', 'default', `web-${i}`, (p: KubeObject & { status?: { phase?: string } }) => void (p.status = { ...p.status, phase: 'Running' }), true);
    await settle();
  }
  for (let i = 0; i < PODS; i++) {
    api.mutate('Pod', 'default', `web-${i}`, (p: KubeObject) => void (p.metadata.labels = { ...p.metadata.labels, tier: 'front' }));
    await settle();
  }
  for (let i = 0; i < PODS; i++) {
    api.delete('Pod', 'default', `web-${i}`, { gracePeriodSeconds: 0 });
    await settle();
  }
  const wallMs = performance.now() - t0;
  watch.dispose();
  return { wallMs, events, checkMs };
}

async function printChurn(): Promise<void> {
  const api = createApiStore({ clock: new SystemClock() });
  api.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: PODS, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'hello', image: 'podplay/hello' }] } } } } as KubeObject);
  await churn(api, true);
  const wi: number[] = [];
  const wo: number[] = [];
  const perEvent: number[] = [];
  let events = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const a = await churn(api, true);
    wi.push(a.wallMs);
    perEvent.push(a.checkMs / a.events);
    events = a.events;
    wo.push((await churn(api, false)).wallMs);
  }
  const w = pct(wi, 50);
  const b = pct(wo, 50);
  console.log(`Lesson checks under churn, Node ${process.version}: ${PODS} pods created, set Running, relabelled and deleted (${events} watch events a round), ${ROUNDS} rounds each way, interleaved; two object checks evaluated on every event`);
  console.log('');
  console.log('| measure | p50 | p95 |');
  console.log('|---|---|---|');
  console.log(`| checks per watch event | ${pct(perEvent, 50).toFixed(3)} ms | ${pct(perEvent, 95).toFixed(3)} ms |`);
  console.log(`| a round with checks | ${ms(w)} | ${ms(pct(wi, 95))} |`);
  console.log(`| the same round without | ${ms(b)} | ${ms(pct(wo, 95))} |`);
  console.log(`| ratio | ${(w / b).toFixed(2)}× | |`);
  console.log(`| the checks' share of a round with them | ${((1 - b / w) * 100).toFixed(0)}% | |`);
  console.log('');
}

async function printReset(browser: Browser): Promise<void> {
  const server = await vitePreview(join(PROJECT, 'dist'), PORT);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/lesson.html?lesson=04-pods.md`);
    await page.waitForFunction(() => (document.getElementById('lesson') as unknown as { ready?: Promise<void> })?.ready, undefined, { timeout: 120_000 });
    await page.evaluate(() => (document.getElementById('lesson') as unknown as { ready: Promise<void> }).ready);
    const times: number[] = [];
    for (let i = 0; i < RESETS; i++) {
      await page.evaluate(() => (document.getElementById('lesson') as unknown as { sandbox: { exec(l: string): Promise<unknown> } }).sandbox.exec('kubectl run hello --image=podplay/hello'));
      times.push(await page.evaluate(async () => {
        const t0 = performance.now();
        await (document.getElementById('lesson') as unknown as { resetLesson(): Promise<void> }).resetLesson();
        return performance.now() - t0;
      }));
    }
    console.log(`Lesson page (lesson.html, Chromium ${browser.version()}): "Reset this lesson" to ready — a clean 3-node cluster, the lesson's files and setup, its first check evaluated — after a pod was made, ${RESETS} times: p50 ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))}`);
    console.log('');
  } finally {
    await context.close();
    server.close();
  }
}

export async function printLessonsBench(browser?: Browser): Promise<void> {
  await printChurn();
  if (browser) await printReset(browser);
}
