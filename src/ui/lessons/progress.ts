/**
 * A learner's progress in one course, kept in IndexedDB (database
 * `podplay-lessons`, one entry per course URL): the lesson they are on, the
 * steps done in each lesson, and the commands they ran with the step each
 * belongs to — what a classroom export hands in.
 */
import { IdbStore } from '../../sandbox/index.ts';

export interface CommandRecord {
  lesson: string;
  step: number;
  line: string;
  exitCode: number;
  /** ISO time. */
  at: string;
}

export interface Progress {
  /** The lesson file the learner is on. */
  current?: string;
  /** Lesson file → indexes of the steps done. */
  done: Record<string, number[]>;
  commands: CommandRecord[];
}

/** Kept commands per course: the newest are kept past it. */
const MAX_COMMANDS = 2000;

export class ProgressStore {
  readonly #store = new IdbStore('podplay-lessons', 'progress');

  constructor(readonly courseKey: string) {}

  async load(): Promise<Progress> {
    const bytes = await this.#store.get(this.courseKey).catch(() => undefined);
    if (!bytes) return { done: {}, commands: [] };
    try {
      const p = JSON.parse(new TextDecoder().decode(bytes)) as Progress;
      return { current: p.current, done: p.done ?? {}, commands: p.commands ?? [] };
    } catch {
      return { done: {}, commands: [] };
    }
  }

  async save(p: Progress): Promise<void> {
    const kept = p.commands.length > MAX_COMMANDS ? { ...p, commands: p.commands.slice(-MAX_COMMANDS) } : p;
    await this.#store.set(this.courseKey, new TextEncoder().encode(JSON.stringify(kept)));
  }
}
