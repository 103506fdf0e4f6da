/**
 * Loads a course from where it is kept: a folder in Node, a static host's
 * URL in the page. A course folder holds `NN-slug.md` lessons, an optional
 * `course.yaml` (title, lessons in order, sandbox) and `files/` for code
 * blocks that show a file by name. Over HTTP a folder cannot be listed, so
 * a course served by URL names its lessons in course.yaml. A Killercoda
 * scenario folder (index.json, no course.yaml) loads as a one-lesson course.
 */
import { formatProblem, parseCourse, parseLesson } from './parse.ts';
import type { Course, Lesson, LessonProblem } from './types.ts';

/** Where a course's files are read from: text by path within the course, or undefined when there is none. */
export interface CourseSource {
  /** A name for messages (the folder or the URL). */
  name: string;
  read(path: string): Promise<string | undefined>;
  /** The course folder's file names, where it can be listed (Node); absent over HTTP. */
  list?(): Promise<string[]>;
}

export interface LoadedCourse {
  course: Course;
  lessons: Lesson[];
  /** Everything wrong in the course's files; lessons with problems still load as far as they can. */
  problems: LessonProblem[];
}

const FILE_BLOCK = /^\s*(?:`{3,}|~{3,})[^\n]*\bfile=["']?([^\s"'`]+)/gm;

/** Reads course.yaml and every lesson; a missing or broken file is a problem, not a failure of the whole course. */
export async function loadCourse(source: CourseSource): Promise<LoadedCourse> {
  const problems: LessonProblem[] = [];
  const courseText = await source.read('course.yaml');
  if (courseText === undefined) {
    // A Killercoda scenario folder: index.json and its steps.
    const index = await source.read('index.json').catch(() => undefined);
    if (index !== undefined) return (await import('./killercoda.ts')).loadKillercoda(source, index);
  }
  const parsed = courseText === undefined ? { value: {}, problems: [] } : parseCourse(courseText);
  problems.push(...parsed.problems);
  let files = parsed.value.lessons;
  if (!files) {
    if (!source.list) {
      problems.push({ file: 'course.yaml', line: 0, message: `${source.name} has no course.yaml listing its lessons (lessons: [01-intro.md, …]); a course served over HTTP needs one` });
      files = [];
    } else files = (await source.list()).filter((f) => /^\d+[-_].*\.md$/.test(f)).sort();
  }
  const course: Course = { title: parsed.value.title ?? source.name, lessons: files, sandbox: parsed.value.sandbox ?? {} };
  const lessons: Lesson[] = [];
  for (const file of files) {
    const text = await source.read(file).catch((err: Error) => {
      problems.push({ file, line: 0, message: `could not be read: ${err.message}` });
      return undefined;
    });
    if (text === undefined) {
      if (!problems.some((p) => p.file === file)) problems.push({ file, line: 0, message: `course.yaml lists ${file}, but ${source.name} has no such file` });
      continue;
    }
    const courseFiles: Record<string, string> = {};
    for (const m of text.matchAll(FILE_BLOCK)) {
      const name = m[1]!;
      const body = await source.read(`files/${name}`).catch(() => undefined);
      if (body !== undefined) courseFiles[name] = body;
    }
    const lesson = parseLesson(file, text, courseFiles);
    problems.push(...lesson.problems);
    lessons.push(lesson.value);
  }
  if (!files.length && !problems.length) problems.push({ file: 'course.yaml', line: 0, message: `${source.name} has no lessons (files named NN-slug.md)` });
  return { course, lessons, problems };
}

/** A course's problems as lines (`file:line: message`). */
export function problemLines(problems: readonly LessonProblem[]): string[] {
  return problems.map(formatProblem);
}
