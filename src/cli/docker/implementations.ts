/**
 * What the docker commands do, one function per command, `(inv, self) =>
 * exit code`, `self` being the command as invoked (its usage line for
 * argument errors). Loaded when a docker command first runs (./commands.ts).
 */
export { load, save } from './archive.ts';
export { build, builderPrune } from './build.ts';
export { commit, diff } from './commit.ts';
export { exec, kill, logs, ps, rm, stop, top } from './containers.ts';
export { history, images, rmi } from './images.ts';
export { inspect, inspectContainers, inspectImages } from './inspect.ts';
export { pull } from './pull.ts';
export { login, logout, push, tag } from './push.ts';
export { run } from './run.ts';
export { df } from './system.ts';
