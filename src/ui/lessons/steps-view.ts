/**
 * A lesson's step panel: the introduction, then each step with its state
 * (done, current, to come), its prose with Run and Copy on runnable blocks,
 * hints revealed one at a time, the solution behind a disclosure, and a
 * Done button for a step that has no check.
 */
import type { Lesson, Step } from '../../lessons/index.ts';

export interface StepsViewEvents {
  /** Run: the block's commands typed into the terminal. */
  run(step: number, block: number): void;
  /** A step without checks marked done by the learner. */
  markDone(step: number): void;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function stepHtml(step: Step, i: number): string {
  const hints = step.hints.length ? `<div class="hints" data-testid="hints"><button type="button" class="hint-next" data-step="${i}">Show a hint (${step.hints.length})</button><ol class="hint-list"></ol></div>` : '';
  const solution = step.solution.length ? `<details class="solution"><summary>Solution</summary><pre><code>${escape(step.solution.map((c) => c.line + (c.stdin !== undefined ? ` <<EOF\n${c.stdin}EOF` : '')).join('\n'))}</code></pre></details>` : '';
  const done = step.checks.length ? '' : `<button type="button" class="mark-done" data-step="${i}">Done</button>`;
  return `<section class="step" data-testid="step" data-step="${i}" data-state="todo">
<h2><span class="mark" aria-hidden="true"></span><span class="title">${escape(step.title)}</span><span class="state" data-testid="step-state"></span></h2>
<div class="prose">${step.html}</div>${hints}${solution}${done}<p class="seen" data-testid="step-seen" hidden></p></section>`;
}

export class StepsView {
  readonly #root: HTMLElement;
  #lesson?: Lesson;

  constructor(root: HTMLElement, events: StepsViewEvents) {
    this.#root = root;
    root.addEventListener('click', (e) => {
      const target = e.target as HTMLElement;
      const button = target.closest('button');
      if (!button) return;
      const section = button.closest<HTMLElement>('section.step');
      const step = Number(section?.dataset.step);
      if (button.classList.contains('run')) events.run(step, Number(button.dataset.block));
      else if (button.classList.contains('copy')) void navigator.clipboard?.writeText(this.#lesson!.steps[step]!.runs[Number(button.dataset.block)]!.text).catch(() => undefined);
      else if (button.classList.contains('hint-next')) this.#revealHint(section!, step);
      else if (button.classList.contains('mark-done')) events.markDone(step);
    });
  }

  show(lesson: Lesson): void {
    this.#lesson = lesson;
    this.#root.innerHTML = `<h1 data-testid="lesson-title">${escape(lesson.title)}</h1>${lesson.minutes ? `<p class="minutes">About ${lesson.minutes} minutes</p>` : ''}<div class="prose intro">${lesson.intro}</div>${lesson.steps.map(stepHtml).join('')}`;
    // Run and Copy beside each runnable block (the parser marks them data-run).
    for (const code of this.#root.querySelectorAll<HTMLElement>('code[data-run]')) {
      const pre = code.parentElement!;
      const bar = document.createElement('div');
      bar.className = 'code-actions';
      bar.innerHTML = `<button type="button" class="run" data-testid="run" data-block="${code.dataset.run}">Run</button><button type="button" class="copy" data-block="${code.dataset.run}">Copy</button>`;
      pre.after(bar);
    }
  }

  #revealHint(section: HTMLElement, step: number): void {
    const hints = this.#lesson!.steps[step]!.hintsHtml;
    const list = section.querySelector('.hint-list')!;
    const n = list.children.length;
    if (n >= hints.length) return;
    const li = document.createElement('li');
    li.dataset.testid = 'hint';
    // The lesson parser renders Markdown with raw HTML off: the hint's HTML is its Markdown's.
    li.innerHTML = hints[n]!;
    list.append(li);
    const button = section.querySelector<HTMLButtonElement>('.hint-next')!;
    if (n + 1 >= hints.length) button.disabled = true;
    else button.textContent = `Another hint (${hints.length - n - 1} left)`;
  }

  /** Marks each step done, current (the first not done) or to come; `seen` says what the current step's check saw. */
  setStates(done: ReadonlySet<number>, seen?: string): void {
    const sections = [...this.#root.querySelectorAll<HTMLElement>('section.step')];
    const current = sections.findIndex((_, i) => !done.has(i));
    sections.forEach((s, i) => {
      const state = done.has(i) ? 'done' : i === current ? 'current' : 'todo';
      s.dataset.state = state;
      s.querySelector('.state')!.textContent = state === 'done' ? ' — done' : state === 'current' ? ' — now' : '';
      const seenEl = s.querySelector<HTMLElement>('.seen')!;
      seenEl.hidden = !(state === 'current' && seen);
      seenEl.textContent = state === 'current' && seen ? `Not yet: ${seen}` : '';
    });
  }
}
