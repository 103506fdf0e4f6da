/**
 * `podplay lessons verify <course-dir>` on Node: loads the course folder,
 * runs every lesson on a fresh cluster of node workers (images under
 * $PODPLAY_HOME, the lesson's files as the workspace) and prints the
 * verifier's table; exit status 1 when any step or file fails.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createSession } from './cli/index.ts';
import { fileFetch } from './cli/node-files.ts';
import { layoutUrl, podplayHome } from './cli/node-main.ts';
import { formatRows, loadCourse, verifyCourse, type CourseSource, type LessonRun } from './lessons/index.ts';

const USAGE = `Usage: podplay lessons verify COURSE_DIR

Runs every lesson of the course in COURSE_DIR on a fresh cluster: its setup,
then each step's checks (which must fail first), its solution, and its checks
again until they pass. Exit status 1 when any step or lesson file fails.`;

function folderSource(dir: string): CourseSource {
  const root = resolve(dir);
  return {
    name: dir,
    read: (path) => readFile(join(root, path), 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err))),
    list: () => readdir(root),
  };
}

export async function lessonsMain(argv: string[]): Promise<number> {
  const [sub, dir, ...extra] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (sub !== 'verify' || !dir || extra.length) {
    process.stderr.write(`${sub && sub !== 'verify' ? `podplay lessons: unknown command "${sub}"\n` : ''}${USAGE}\n`);
    return 1;
  }
  const loaded = await loadCourse(folderSource(dir));
  process.stdout.write(`Verifying "${loaded.course.title}": ${loaded.lessons.length} lesson${loaded.lessons.length === 1 ? '' : 's'}\n\n`);
  const home = podplayHome();
  const rows = await verifyCourse(
    loaded,
    async (lesson, sandbox): Promise<LessonRun> => {
      const session = await createSession({ store: { kind: 'directory', root: home }, layoutUrl: layoutUrl(), fetch: fileFetch, files: { ...lesson.files }, ...sandbox });
      return { api: session.cluster.api, exec: (line, options) => session.exec(line, options), dispose: () => session.dispose() };
    },
    (row) => process.stderr.write(`${row.passed ? 'ok  ' : 'FAIL'} ${row.lesson} › ${row.step} (${row.seconds.toFixed(1)} s)\n`),
  );
  process.stdout.write('\n' + formatRows(rows));
  return rows.length && rows.every((r) => r.passed) ? 0 : 1;
}
