/**
 * `<podplay-lesson course="lessons/my-course/">`: a course's lessons beside
 * a `<podplay-sandbox>`. The step panel sits left of the sandbox on wide
 * screens and above it on narrow ones; each step's checks are evaluated
 * against the cluster whenever its objects change (and every 2 s for
 * command checks), so a step ticks the moment it becomes true. Progress
 * (the lesson, steps done, the commands run per step) is kept in IndexedDB;
 * "Reset this lesson" restores the lesson's starting cluster. `?course=URL`
 * in the page's address loads another course, `?lesson=FILE` a lesson.
 */
import { evaluateChecks, formatProblem, loadCourse, type CourseSource, type Lesson, type LoadedCourse } from '../../lessons/index.ts';
import type { SandboxSession } from '../../cli/index.ts';
import type { CommandDetail, PodplaySandboxElement } from '../sandbox-element.ts';
import { ProgressStore, type Progress } from './progress.ts';
import { StepsView } from './steps-view.ts';
import { LESSON_CSS } from './lesson-styles.ts';

/** Reads a course's files over HTTP, relative to its folder's URL. */
export function httpCourseSource(folder: string): CourseSource {
  const base = new URL(folder.endsWith('/') ? folder : `${folder}/`, location.href);
  return {
    name: base.href,
    async read(path) {
      const url = new URL(path, base);
      let res: Response;
      try {
        res = await fetch(url);
      } catch {
        throw new Error(`${url.href} could not be fetched: is it served, and does its host allow this page's origin (CORS)?`);
      }
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`${url.href}: HTTP ${res.status}`);
      return res.text();
    },
  };
}

const SKELETON = `
<div class="layout" part="layout">
  <aside class="panel" data-testid="lesson-panel">
    <nav class="course" data-testid="course-nav"><span class="course-title" data-testid="course-title"></span>
      <label>Lesson <select data-testid="lesson-select"></select></label></nav>
    <ul class="problems" data-testid="lesson-problems" hidden></ul>
    <div class="steps" data-testid="steps"></div>
    <div class="actions">
      <button type="button" data-action="prev" data-testid="prev">Previous</button>
      <button type="button" data-action="reset" data-testid="reset-lesson">Reset this lesson</button>
      <button type="button" data-action="next" data-testid="next">Next</button>
      <button type="button" data-action="export" data-testid="export-progress">Export progress</button>
    </div>
  </aside>
  <div class="sandbox"><slot></slot></div>
</div>`;

export class PodplayLessonElement extends HTMLElement {
  readonly #root: ShadowRoot;
  #course?: LoadedCourse;
  #index = 0;
  #progress: Progress = { done: {}, commands: [] };
  #store?: ProgressStore;
  #view?: StepsView;
  #sandbox?: PodplaySandboxElement;
  #stopWatch?: () => void;
  #evaluating = false;
  /** Another evaluation asked for during one: of object checks only, or of all. */
  #again: false | 'objects' | 'all' = false;
  /** What the current step's check last saw. */
  #seen?: string;
  /** The course's problems, as shown. */
  #problems: string[] = [];
  /** When each step of the shown lesson ticked on this page (epoch ms). */
  readonly #tickedAt = new Map<number, number>();
  /** Resolves once the course is loaded and its first lesson started. */
  readonly ready: Promise<void>;
  #resolveReady!: () => void;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.innerHTML = `<style>${LESSON_CSS}</style>${SKELETON}`;
    this.ready = new Promise((r) => (this.#resolveReady = r));
  }

  connectedCallback(): void {
    if (this.#course) return;
    void this.#start().catch((err: Error) => this.#showProblems([...this.#problems, `the course could not be loaded: ${err.message}`]));
  }

  disconnectedCallback(): void {
    this.#stopWatch?.();
  }

  /** The lesson shown. */
  get lesson(): Lesson | undefined {
    return this.#course?.lessons[this.#index];
  }

  /** Indexes of the shown lesson's steps that are done. */
  get stepsDone(): number[] {
    return [...(this.#progress.done[this.lesson?.file ?? ''] ?? [])].sort((a, b) => a - b);
  }

  /** The sandbox the lesson runs in. */
  get sandbox(): PodplaySandboxElement | undefined {
    return this.#sandbox;
  }

  async #start(): Promise<void> {
    const params = new URLSearchParams(location.search);
    const url = params.get('course') ?? this.getAttribute('course') ?? '';
    if (!url) throw new Error('give the course folder\'s URL: <podplay-lesson course="lessons/my-course/">, or ?course=URL');
    this.#course = await loadCourse(httpCourseSource(url));
    this.#showProblems(this.#course.problems.map(formatProblem));
    const lessons = this.#course.lessons;
    if (!lessons.length) throw new Error(`${url} has no lesson that could be read`);
    this.#root.querySelector('[data-testid=course-title]')!.textContent = this.#course.course.title;
    const select = this.#root.querySelector<HTMLSelectElement>('[data-testid=lesson-select]')!;
    select.innerHTML = lessons.map((l, i) => `<option value="${i}">${i + 1}. ${l.title.replace(/</g, '&lt;')}</option>`).join('');
    select.addEventListener('change', () => void this.show(Number(select.value)));
    this.#store = new ProgressStore(new URL(url, location.href).href);
    this.#progress = await this.#store.load();
    this.#view = new StepsView(this.#root.querySelector<HTMLElement>('[data-testid=steps]')!, {
      run: (step, block) => void this.#runBlock(step, block),
      markDone: (step) => void this.#markDone(step),
    });
    this.#root.querySelector('.actions')!.addEventListener('click', (e) => {
      const action = (e.target as HTMLElement).closest<HTMLElement>('button')?.dataset.action;
      if (action === 'prev') void this.show(this.#index - 1);
      else if (action === 'next') void this.show(this.#index + 1);
      else if (action === 'reset') void this.resetLesson();
      else if (action === 'export') this.#export();
    });
    const wanted = params.get('lesson') ?? this.#progress.current;
    const at = Math.max(0, lessons.findIndex((l) => l.file === wanted));
    await this.show(at);
    this.#resolveReady();
  }

  #showProblems(lines: string[]): void {
    this.#problems = lines;
    const list = this.#root.querySelector<HTMLElement>('[data-testid=lesson-problems]')!;
    list.hidden = !lines.length;
    list.innerHTML = '';
    for (const l of lines) list.append(Object.assign(document.createElement('li'), { textContent: l }));
  }

  /** Shows lesson `index`: a sandbox with its settings, its files and setup (unless its cluster was kept), its steps. */
  async show(index: number): Promise<void> {
    const lessons = this.#course!.lessons;
    if (index < 0 || index >= lessons.length) return;
    this.#index = index;
    this.#seen = undefined;
    this.#tickedAt.clear();
    const lesson = lessons[index]!;
    this.#root.querySelector<HTMLSelectElement>('[data-testid=lesson-select]')!.value = String(index);
    this.#view!.show(lesson);
    this.#progress.current = lesson.file;
    await this.#store!.save(this.#progress);
    await this.#mountSandbox(lesson);
    await this.#evaluate(true);
  }

  async #mountSandbox(lesson: Lesson): Promise<void> {
    this.#stopWatch?.();
    this.#sandbox?.remove();
    const settings = { ...this.#course!.course.sandbox, ...lesson.sandbox };
    const el = document.createElement('podplay-sandbox') as PodplaySandboxElement;
    // Its saved cluster is keyed by the page's path and this id: one per course and lesson.
    const course = new URL(this.#store!.courseKey).pathname.replace(/\/$/, '').split('/').pop() ?? 'course';
    el.id = `lesson-${course}-${lesson.file}`.replace(/[^\w-]+/g, '-');
    el.setAttribute('persist', '');
    el.setAttribute('panels', 'terminal');
    if (settings.nodes) el.setAttribute('nodes', String(settings.nodes));
    if (settings.nodeCpu) el.setAttribute('node-cpu', settings.nodeCpu);
    if (settings.nodeMemory) el.setAttribute('node-memory', settings.nodeMemory);
    if (settings.speed) el.setAttribute('speed', String(settings.speed));
    this.append(el);
    this.#sandbox = el;
    await el.ready;
    const session = el.session!;
    // A lesson's first visit (nothing kept for this sandbox) starts from its files and setup.
    if (session.restored.kind !== 'restored') await this.#prepare(session, lesson);
    const onCommand = (e: Event) => {
      this.#record((e as CustomEvent<CommandDetail>).detail);
      void this.#evaluate(true);
    };
    el.addEventListener('podplay-command', onCommand);
    // Object checks on every change of the cluster's objects; command checks (which run a command) after a command and every 2 s.
    const unsubscribe = session.onChange(() => void this.#evaluate(false));
    const timer = setInterval(() => void this.#evaluate(true), 2000);
    this.#stopWatch = () => {
      unsubscribe();
      clearInterval(timer);
      el.removeEventListener('podplay-command', onCommand);
    };
  }

  async #prepare(session: SandboxSession, lesson: Lesson): Promise<void> {
    const enc = new TextEncoder();
    for (const [path, text] of Object.entries(lesson.files)) await session.files.write(path, enc.encode(text));
    for (const c of lesson.setup) await session.exec(c.line, { stdin: c.stdin });
  }

  /** Back to the lesson's start: a clean cluster, its files and setup, its steps not done. */
  async resetLesson(): Promise<void> {
    const lesson = this.lesson!;
    await this.#sandbox!.reset();
    await this.#prepare(this.#sandbox!.session!, lesson);
    this.#progress.done[lesson.file] = [];
    this.#seen = undefined;
    this.#tickedAt.clear();
    await this.#store!.save(this.#progress);
    await this.#evaluate(true);
  }

  async #runBlock(step: number, block: number): Promise<void> {
    for (const c of this.lesson!.steps[step]!.runs[block]!.commands) {
      // A here-document is typed as it is pasted: the command, its lines, the end marker.
      await this.#sandbox!.type(c.stdin === undefined ? c.line : `${c.line} <<EOF\n${c.stdin}EOF`);
    }
  }

  async #markDone(step: number): Promise<void> {
    const done = new Set(this.#progress.done[this.lesson!.file] ?? []);
    done.add(step);
    this.#progress.done[this.lesson!.file] = [...done];
    await this.#store!.save(this.#progress);
    await this.#evaluate(true);
  }

  /** Keeps a command the learner ran with its step: the one that was current when the command started. */
  #record(detail: CommandDetail): void {
    if (detail.source !== 'terminal') return;
    const lesson = this.lesson!;
    const done = new Set(this.#progress.done[lesson.file] ?? []);
    // Steps done before this page's ticks (an earlier visit) count as done from the start.
    const doneWhenStarted = (i: number) => done.has(i) && (this.#tickedAt.get(i) ?? 0) <= detail.startedAt;
    const step = lesson.steps.findIndex((_, i) => !doneWhenStarted(i));
    this.#progress.commands.push({ lesson: lesson.file, step: step < 0 ? lesson.steps.length - 1 : step, line: detail.line, exitCode: detail.exitCode, at: new Date().toISOString() });
    void this.#store!.save(this.#progress);
  }

  /**
   * Evaluates the current step's checks, one evaluation at a time (a change
   * during one asks for another). `commands`: command checks may run too;
   * without it a step that has one waits for the next command or tick.
   */
  async #evaluate(commands: boolean): Promise<void> {
    if (this.#evaluating) {
      if (commands || !this.#again) this.#again = commands ? 'all' : 'objects';
      return;
    }
    this.#evaluating = true;
    try {
      let allow = commands;
      for (;;) {
        await this.#evaluateOnce(allow);
        if (!this.#again) break;
        allow = this.#again === 'all';
        this.#again = false;
      }
    } finally {
      this.#evaluating = false;
    }
  }

  async #evaluateOnce(commands: boolean): Promise<void> {
    const lesson = this.lesson;
    const session = this.#sandbox?.session;
    if (!lesson || !session) return;
    const done = new Set(this.#progress.done[lesson.file] ?? []);
    let seen: string | undefined = this.#seen;
    for (let i = 0; i < lesson.steps.length; i++) {
      if (done.has(i)) continue;
      const step = lesson.steps[i]!;
      if (!step.checks.length) break;
      if (!commands && step.checks.some((c) => c.type === 'command')) break;
      const r = await evaluateChecks({ api: session.cluster.api, exec: (line) => session.exec(line) }, step.checks);
      if (!r.passed) {
        seen = r.seen;
        break;
      }
      seen = undefined;
      this.#tickedAt.set(i, Date.now());
      done.add(i);
      this.#progress.done[lesson.file] = [...done];
      await this.#store!.save(this.#progress);
      this.dispatchEvent(new CustomEvent('podplay-step-done', { detail: { lesson: lesson.file, step: i }, bubbles: true, composed: true }));
    }
    this.#seen = seen;
    this.#view!.setStates(done, seen);
  }

  /** A file the learner can hand in: the course, each lesson's steps done, and the commands run per step. */
  #export(): void {
    const course = this.#course!;
    const report = {
      course: course.course.title,
      exported: new Date().toISOString(),
      lessons: course.lessons.map((l) => ({ file: l.file, title: l.title, steps: l.steps.map((s, i) => ({ title: s.title, done: (this.#progress.done[l.file] ?? []).includes(i) })) })),
      commands: this.#progress.commands,
    };
    const url = URL.createObjectURL(new Blob([JSON.stringify(report, null, 2) + '\n'], { type: 'application/json' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `podplay-progress-${course.course.title.replace(/\W+/g, '-').toLowerCase()}.json` });
    this.#root.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

export function defineLessonElement(name = 'podplay-lesson'): void {
  if (!customElements.get(name)) customElements.define(name, PodplayLessonElement);
}
