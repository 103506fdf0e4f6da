/**
 * The author's verifier (`podplay lessons verify <course-dir>`): every
 * lesson on a fresh cluster — its setup, then for each step its checks
 * before the solution (they must fail: a check an untouched cluster passes
 * teaches nothing), the solution's commands, and the checks again until they
 * pass or their timeout ends.
 */
import type { ApiStore } from '../api/index.ts';
import { evaluateChecks } from './evaluate.ts';
import type { LoadedCourse } from './load.ts';
import { formatProblem } from './parse.ts';
import type { Command, Lesson, SandboxSettings, Step } from './types.ts';

/** A lesson's cluster, as the verifier drives it. */
export interface LessonRun {
  api: ApiStore;
  exec(line: string, options?: { stdin?: string; signal?: AbortSignal }): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  dispose(): Promise<void>;
}

/** Starts a fresh cluster for a lesson: the course's and lesson's sandbox settings, the lesson's files in the workspace. */
export type StartLesson = (lesson: Lesson, sandbox: SandboxSettings) => Promise<LessonRun>;

export interface VerifyRow {
  lesson: string;
  step: string;
  passed: boolean;
  seconds: number;
  /** Why it failed. */
  detail?: string;
}

/** How long one command of a setup or solution may run (a command that follows, -w or -f, never ends). */
const COMMAND_LIMIT_MS = 180_000;
const POLL_MS = 250;

/** Runs commands in turn; with `checkExit`, one that exits non-zero stops them (setup must work). */
async function runCommands(run: LessonRun, commands: readonly Command[], checkExit: boolean): Promise<string | undefined> {
  for (const c of commands) {
    const signal = AbortSignal.timeout(COMMAND_LIMIT_MS);
    const r = await run.exec(c.line, { stdin: c.stdin, signal });
    if (signal.aborted) return `\`${c.line}\` did not end within ${COMMAND_LIMIT_MS / 1000} s (a command that follows, with -w or -f, does not belong in a solution)`;
    if (checkExit && r.exitCode !== 0) return `\`${c.line}\` exited ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}`;
  }
  return undefined;
}

/** What the verifier runs for a step: its solution, else the commands of its runnable blocks. */
export function solutionOf(step: Step): Command[] {
  return step.solution.length ? step.solution : step.runs.flatMap((r) => r.commands);
}

async function verifyStep(run: LessonRun, lesson: Lesson, step: Step): Promise<VerifyRow> {
  const t0 = performance.now();
  const row = (passed: boolean, detail?: string): VerifyRow => ({ lesson: lesson.file, step: step.title, passed, seconds: (performance.now() - t0) / 1000, ...(detail ? { detail } : {}) });
  const target = { api: run.api, exec: (line: string) => run.exec(line) };
  if (step.checks.length) {
    const before = await evaluateChecks(target, step.checks);
    if (before.passed) return row(false, 'its checks pass before the solution runs: they do not test what the step teaches');
  }
  // Solutions may show failures on purpose (a crashing container): their exit statuses are not checked.
  const failed = await runCommands(run, solutionOf(step), false);
  if (failed) return row(false, failed);
  if (!step.checks.length) return row(true);
  const deadline = performance.now() + Math.max(...step.checks.map((c) => c.timeout)) * 1000;
  for (;;) {
    const r = await evaluateChecks(target, step.checks);
    if (r.passed) return row(true);
    if (performance.now() >= deadline) return row(false, `its checks did not pass within ${Math.round((deadline - t0) / 1000)} s: ${r.seen ?? ''}`.trim());
    await new Promise((res) => setTimeout(res, POLL_MS));
  }
}

/** Verifies every lesson of a loaded course; a course's parse problems are rows that fail too. */
export async function verifyCourse(loaded: LoadedCourse, start: StartLesson, onRow?: (row: VerifyRow) => void): Promise<VerifyRow[]> {
  const rows: VerifyRow[] = [];
  const add = (r: VerifyRow) => {
    rows.push(r);
    onRow?.(r);
  };
  for (const p of loaded.problems) add({ lesson: p.file, step: '(file)', passed: false, seconds: 0, detail: formatProblem(p) });
  const broken = new Set(loaded.problems.map((p) => p.file));
  for (const lesson of loaded.lessons) {
    if (broken.has(lesson.file)) continue;
    const t0 = performance.now();
    const run = await start(lesson, { ...loaded.course.sandbox, ...lesson.sandbox });
    try {
      const failed = await runCommands(run, lesson.setup, true);
      if (failed) {
        add({ lesson: lesson.file, step: '(setup)', passed: false, seconds: (performance.now() - t0) / 1000, detail: failed });
        continue;
      }
      for (const step of lesson.steps) add(await verifyStep(run, lesson, step));
    } finally {
      await run.dispose();
    }
  }
  return rows;
}

/** The verifier's table: LESSON, STEP, RESULT, SECONDS, then each failure's reason. */
export function formatRows(rows: readonly VerifyRow[]): string {
  const cells = [['LESSON', 'STEP', 'RESULT', 'SECONDS'], ...rows.map((r) => [r.lesson, r.step, r.passed ? 'passed' : 'FAILED', r.seconds.toFixed(1)])];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const table = cells.map((c) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]! + 3))).join('')).join('\n');
  const failures = rows.filter((r) => !r.passed && r.detail).map((r) => `${r.lesson} › ${r.step}: ${r.detail}`);
  const passed = rows.filter((r) => r.passed).length;
  return `${table}\n${failures.length ? `\n${failures.join('\n')}\n` : ''}\n${passed} of ${rows.length} passed\n`;
}
