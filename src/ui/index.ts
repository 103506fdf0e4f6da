export { PodplaySandboxElement, defineSandboxElement, type CommandDetail } from './sandbox-element.ts';
export { createSandbox, type CreateSandboxOptions } from './create-sandbox.ts';
export { ensureIsolation, type Isolation, type IsolationCase } from './isolation.ts';
export { parseAttributes, ATTRIBUTES, type SandboxConfig, type AttributeProblem, type Panel, type Theme } from './attributes.ts';
export { PodplayLessonElement, defineLessonElement, httpCourseSource } from './lessons/lesson-element.ts';
