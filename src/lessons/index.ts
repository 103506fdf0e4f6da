export type { Course, Lesson, Step, Check, CommandCheck, ObjectCheck, Comparison, Command, RunBlock, LessonProblem, SandboxSettings } from './types.ts';
export { DEFAULT_CHECK_TIMEOUT } from './types.ts';
export { parseLesson, parseCourse, formatProblem } from './parse.ts';
export { splitCommands } from './commands.ts';
export { loadCourse, problemLines, type CourseSource, type LoadedCourse } from './load.ts';
export { evaluateCheck, evaluateChecks, evaluateObjectCheck, compare, valueAt, type CheckResult, type CheckTarget } from './evaluate.ts';
export { verifyCourse, formatRows, solutionOf, type LessonRun, type StartLesson, type VerifyRow } from './verify.ts';
export { loadKillercoda, verifyChecks } from './killercoda.ts';
