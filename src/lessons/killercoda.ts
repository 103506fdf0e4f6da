/**
 * A Killercoda scenario folder read as a one-lesson course: `index.json`
 * (title; details.intro.text and .background; details.steps with title,
 * text and verify; details.finish.text), its Markdown with `{{exec}}` and
 * `{{copy}}` markers, and its `verify.sh` scripts. A verify script becomes
 * the step's checks, one per command line: podplay runs them in its
 * terminal's shell, which takes simple commands and pipes; `! cmd` and
 * `if cmd; then exit 1; fi` pass when cmd fails. Anything else in a script
 * (loops, variables, `&&`) is reported with its line, and the step keeps
 * the checks it could read. docs/lessons.md says what is supported.
 */
import type { CourseSource, LoadedCourse } from './load.ts';
import { parseLesson } from './parse.ts';
import type { LessonProblem } from './types.ts';

interface ScenarioText {
  text?: string;
  background?: string;
  foreground?: string;
}
interface Scenario {
  title?: string;
  details?: { intro?: ScenarioText; steps?: Array<ScenarioText & { title?: string; verify?: string }>; finish?: ScenarioText };
}

/** The lesson file name the scenario becomes. */
const LESSON_FILE = 'index.json';

/** Killercoda's action markers after code: `cmd`{{exec}} and fenced blocks followed by {{exec}} run; {{copy}} copies. */
function convertText(md: string): string {
  return (
    md
      .replace(/```([^\n`]*)\n([\s\S]*?)```\{\{exec(?: [^}]*)?\}\}/g, (_, _info: string, body: string) => '```sh\n' + body + '```')
      // An inline `cmd`{{exec}} becomes a runnable block of its own after its paragraph's line.
      .replace(/^(.*?)`([^`\n]+)`\{\{exec(?: [^}]*)?\}\}(.*)$/gm, (_, before: string, cmd: string, after: string) => `${before}\`${cmd}\`${after}\n\n\`\`\`sh\n${cmd}\n\`\`\`\n`)
      .replace(/\{\{(?:exec|copy)(?: [^}]*)?\}\}/g, '')
  );
}

/** A verify script's lines as check entries: `{ run, fails? }`, or the problem with a line the shell cannot run. */
export function verifyChecks(script: string, file: string, problems: LessonProblem[]): Array<{ run: string; fails?: boolean }> {
  const out: Array<{ run: string; fails?: boolean }> = [];
  script.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || /^set -[a-z]+$/.test(line) || line === 'exit 0') return;
    const negatedIf = /^if\s+(.+?);\s*then\s+exit\s+1;?\s*fi$/.exec(line);
    const bang = /^!\s+(.+)$/.exec(line);
    const command = negatedIf?.[1] ?? bang?.[1] ?? line;
    if (/&&|\|\||;|\$\(|`|\$\{?[A-Za-z_]|^(if|for|while|until|case|function)\b|^\w+=/.test(command)) {
      problems.push({ file, line: i + 1, message: `\`${line}\` is not supported in a verify script here: podplay runs each line in its terminal's shell (simple commands and pipes; \`! cmd\` and \`if cmd; then exit 1; fi\` pass when cmd fails)` });
      return;
    }
    out.push(negatedIf || bang ? { run: command, fails: true } : { run: command });
  });
  return out;
}

/** Reads a Killercoda scenario (its index.json already read) as a course of one lesson. */
export async function loadKillercoda(source: CourseSource, indexText: string): Promise<LoadedCourse> {
  const problems: LessonProblem[] = [];
  let scenario: Scenario;
  try {
    scenario = JSON.parse(indexText) as Scenario;
  } catch (err) {
    problems.push({ file: LESSON_FILE, line: 0, message: `not JSON: ${(err as Error).message}` });
    return { course: { title: source.name, lessons: [], sandbox: {} }, lessons: [], problems };
  }
  const title = scenario.title ?? source.name;
  const read = async (path: string | undefined, what: string): Promise<string> => {
    if (!path) return '';
    const text = await source.read(path).catch(() => undefined);
    if (text === undefined) problems.push({ file: LESSON_FILE, line: 0, message: `${what} names ${path}, which ${source.name} does not have` });
    return text ?? '';
  };
  const md: string[] = [`# ${title.replace(/\n/g, ' ')}`, '', convertText(await read(scenario.details?.intro?.text, 'details.intro.text'))];
  const setup = scenario.details?.intro?.background;
  const setupLines = setup ? verifyChecks(await read(setup, 'details.intro.background'), setup, problems).filter((c) => !c.fails).map((c) => c.run) : [];
  const steps = scenario.details?.steps ?? [];
  if (!steps.length) problems.push({ file: LESSON_FILE, line: 0, message: 'details.steps is empty: the scenario has no steps' });
  for (const [i, step] of steps.entries()) {
    md.push('', `## ${(step.title ?? `Step ${i + 1}`).replace(/\n/g, ' ')}`, '', convertText(await read(step.text, `details.steps[${i}].text`)));
    if (step.verify) {
      const checks = verifyChecks(await read(step.verify, `details.steps[${i}].verify`), step.verify, problems);
      if (checks.length) md.push('', '```check', JSON.stringify(checks), '```');
    }
  }
  const finish = await read(scenario.details?.finish?.text, 'details.finish.text');
  if (finish.trim()) md.push('', convertText(finish));
  const front = setupLines.length ? `---\nsetup: ${JSON.stringify(setupLines)}\n---\n` : '';
  const lesson = parseLesson(LESSON_FILE, front + md.join('\n') + '\n');
  problems.push(...lesson.problems);
  return { course: { title, lessons: [LESSON_FILE], sandbox: {} }, lessons: [lesson.value], problems };
}
