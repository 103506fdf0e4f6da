/**
 * A course as podplay reads it: a folder of Markdown lessons
 * (`NN-slug.md`) and an optional `course.yaml`. The format is documented
 * in docs/lessons.md; these are its parsed shapes.
 */

/** A problem in a course's files: which file, which line (1-based; 0 when it is the file as a whole), and what to do. */
export interface LessonProblem {
  file: string;
  line: number;
  message: string;
}

/** The `<podplay-sandbox>` attributes a course or lesson sets (course.yaml `sandbox:`, a lesson's front matter `sandbox:`). */
export interface SandboxSettings {
  nodes?: number;
  nodeCpu?: string;
  nodeMemory?: string;
  /** Cluster seconds per real second. */
  speed?: number;
}

/** How a value is compared: exactly one of these is set. */
export interface Comparison {
  equals?: string | number | boolean;
  notEquals?: string | number | boolean;
  atLeast?: number;
  atMost?: number;
  contains?: string;
  matches?: string;
  exists?: boolean;
}

/** A check that runs a kubectl or docker command and tests its exit status and output. */
export interface CommandCheck extends Comparison {
  type: 'command';
  /** The command line, as typed in the terminal. */
  run: string;
  /** The exit status it must end with (default 0). */
  exitCode: number;
  /** Passes when the command fails (any exit status but 0), as `! cmd` in a shell; over exitCode. */
  fails?: boolean;
  /** Seconds the verifier waits for it to pass after the solution. */
  timeout: number;
  line: number;
}

/**
 * A check over API objects: the object `name` (or those `selector`
 * matches) of `kind`, the value at `path` compared, or their number.
 */
export interface ObjectCheck extends Comparison {
  type: 'object';
  kind: string;
  name?: string;
  namespace: string;
  /** A label selector (`app=web,tier!=cache`). */
  selector?: string;
  /** A field path into each object (`status.readyReplicas`, `spec.containers[0].image`). */
  path?: string;
  /** How many objects must pass (with `selector`, or neither name nor selector); a number means exactly. */
  count?: number | Pick<Comparison, 'atLeast' | 'atMost'>;
  timeout: number;
  line: number;
}

export type Check = CommandCheck | ObjectCheck;

/** One command line as the terminal takes it, with a here-document's text as its standard input. */
export interface Command {
  line: string;
  stdin?: string;
}

/** A code block the learner can run: its commands (continuation lines joined, here-documents kept with their command). */
export interface RunBlock {
  /** The block's text, as shown and as the Run button types it. */
  text: string;
  commands: Command[];
  line: number;
}

/** One step: a `##` heading and what follows it up to the next. */
export interface Step {
  title: string;
  /** The step's prose and code, rendered to HTML (checks, hints and the solution left out). */
  html: string;
  runs: RunBlock[];
  checks: Check[];
  /** Markdown of each hint, revealed one at a time. */
  hints: string[];
  /** The hints rendered to HTML. */
  hintsHtml: string[];
  /** The commands that pass the step (what the verifier runs). */
  solution: Command[];
  line: number;
}

export interface Lesson {
  /** The file's name in the course (`04-pods.md`). */
  file: string;
  title: string;
  /** Minutes the lesson takes, as the author says. */
  minutes?: number;
  sandbox: SandboxSettings;
  /** Files put in the workspace when the lesson starts (path → text). */
  files: Record<string, string>;
  /** Commands run when the lesson starts or is reset, before the learner's first step. */
  setup: Command[];
  /** The prose before the first step, as HTML. */
  intro: string;
  steps: Step[];
}

export interface Course {
  title: string;
  /** Lesson file names in order. */
  lessons: string[];
  sandbox: SandboxSettings;
}

/** Seconds a check may take to pass after the solution, unless it says. */
export const DEFAULT_CHECK_TIMEOUT = 60;
