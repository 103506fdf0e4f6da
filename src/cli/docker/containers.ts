/**
 * The container commands besides run: `ps`, `logs`, `stop`, `kill`, `rm`
 * and `exec`, printing what docker/cli prints (formatter/container.go for
 * ps, one line per container named for stop/kill/rm, the daemon's errors).
 */
import { SIGNALS, parseSignal } from '../../shared/index.ts';
import { parseGoDuration } from '../duration.ts';
import { CommandError } from '../io.ts';
import { streamExec } from '../exec-stream.ts';
import type { Command, Invocation } from '../program.ts';
import { DOCKER_TABLE, formatTable } from '../table.ts';
import { daemonError, dockerEngine } from './engine.ts';
import { formatWith } from './format.ts';
import { outputWriter, removeContainer } from './run.ts';
import { commandText, isRunning, statusText } from './state.ts';
import { checkArgs, eachArg } from './style.ts';
import { ellipsis, goQuote, rfc3339NanoFixed, since } from './units.ts';

/** How docker ps shows the image: the name as given, in its familiar form. */
const familiar = (name: string) => name.replace(/^docker\.io\//, '').replace(/^library\//, '');

export async function ps(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 0, 0);
  const engine = dockerEngine(await inv.env.sandbox());
  const states = await engine.states();
  const now = engine.now();
  const trunc = !inv.flags['no-trunc'];
  let list = engine.list();
  const last = inv.flags.latest ? 1 : (inv.flags.last as number);
  if (last >= 0) list = list.slice(0, last);
  else if (!inv.flags.all) list = list.filter((c) => isRunning(states.get(c.id)));
  const id = (full: string) => (trunc ? full.slice(0, 12) : full);
  if (inv.flags.quiet) {
    inv.io.out(list.map((c) => `${id(c.id)}\n`).join(''));
    return 0;
  }
  const fields = list.map((c) => {
    const command = commandText(c);
    // The API gives Created in whole seconds.
    const created = Math.floor(c.created / 1000) * 1000;
    const state = states.get(c.id);
    return {
      ID: id(c.id),
      Image: familiar(c.config.Image),
      Command: goQuote(trunc ? ellipsis(command, 20) : command),
      CreatedAt: new Date(created).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000 UTC'),
      RunningFor: since(created, now),
      Ports: '',
      State: isRunning(state) ? 'running' : state?.state ?? 'created',
      Status: statusText(state, now),
      Names: c.name,
      Labels: '',
    };
  });
  const format = inv.flags.format as string;
  if (format === 'json') inv.io.out(fields.map((f) => JSON.stringify(f) + '\n').join(''));
  else if (format && format !== 'table') inv.io.out(formatWith(format, fields));
  else {
    const rows = fields.map((f) => [f.ID, f.Image, f.Command, f.RunningFor, f.Status, f.Ports, f.Names]);
    inv.io.out(formatTable([['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'], ...rows], DOCKER_TABLE));
  }
  return 0;
}

/** `--since`: a Go duration before now (`10m`), an RFC 3339 time, or Unix seconds. */
function parseSince(text: string, now: number): number {
  const duration = parseGoDuration(text);
  if (duration !== undefined) return now - duration;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const t = Date.parse(text);
  if (!Number.isNaN(t) && /^\d{4}-\d\d-\d\d/.test(text)) return t;
  throw new CommandError(`invalid value for "since": failed to parse value as time or duration: "${text}"`, 1);
}

export async function logs(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1, 1);
  const engine = dockerEngine(await inv.env.sandbox());
  const c = engine.get(inv.args[0]!);
  // moby daemon/logs.go: a tail that is not a number means all lines.
  const tail = /^\d+$/.test(inv.flags.tail as string) ? Number(inv.flags.tail) : undefined;
  const query = { tail, since: inv.flags.since ? parseSince(inv.flags.since as string, engine.now()) : undefined };
  const stamps = inv.flags.timestamps as boolean;
  const print = (line: { stream: 'stdout' | 'stderr'; time: number; text: string; partial?: boolean }) => {
    const text = `${stamps ? `${rfc3339NanoFixed(line.time)} ` : ''}${line.text}${line.partial ? '' : '\n'}`;
    // A TTY container has one stream.
    (line.stream === 'stderr' && !c.config.Tty ? inv.io.err : inv.io.out)(text);
  };
  if (inv.flags.follow) await engine.sandbox.node.follow(c.id, print, query, inv.io.signal);
  else (await engine.sandbox.node.logs(c.id, query)).forEach(print);
  return 0;
}

/** The --signal flag's signal number; docker's error for a name it does not know. */
function signalFlag(inv: Invocation, fallback: string): number {
  const text = (inv.flags.signal as string | undefined) || fallback;
  const n = parseSignal(text);
  if (n === undefined) throw daemonError(`Invalid signal: ${text}`);
  return n;
}

export async function stop(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1);
  const engine = dockerEngine(await inv.env.sandbox());
  // The signal (SIGTERM) goes to PID 1, which acts on it as on Linux; after the grace period (10 s), SIGKILL.
  // --time is --timeout's deprecated name (docker/cli 28).
  const given = inv.given.has('timeout') ? 'timeout' : inv.given.has('time') ? 'time' : undefined;
  const graceMs = given ? Math.max(0, inv.flags[given] as number) * 1000 : 10_000;
  const signal = signalFlag(inv, 'TERM');
  return eachArg(inv, async (arg) => {
    await engine.sandbox.node.stop(engine.get(arg).id, graceMs, signal);
    return `${arg}\n`;
  });
}

export async function kill(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1);
  const signal = signalFlag(inv, 'KILL');
  const engine = dockerEngine(await inv.env.sandbox());
  return eachArg(inv, async (arg) => {
    const c = engine.get(arg);
    if (!isRunning(await engine.state(c.id))) throw daemonError(`Cannot kill container: ${arg}: container ${c.id} is not running`);
    await engine.sandbox.node.kill(c.id, signal);
    // Wait (briefly) for the exit to be recorded, so a ps right after shows it; a signal PID 1 ignores ends nothing.
    await Promise.race([engine.sandbox.node.wait(c.id).catch(() => undefined), new Promise((r) => setTimeout(r, signal === SIGNALS.KILL ? 2000 : 300))]);
    return `${arg}\n`;
  });
}

export async function rm(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1);
  const engine = dockerEngine(await inv.env.sandbox());
  const force = inv.flags.force as boolean;
  return eachArg(inv, async (arg) => {
    const c = engine.get(arg);
    if (!force && isRunning(await engine.state(c.id))) {
      throw daemonError(`cannot remove container "/${c.name}": container is running: stop the container before removing or force remove`);
    }
    await removeContainer(engine, c, force);
    return `${arg}\n`;
  });
}

export async function exec(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 2);
  const [ref, ...argv] = inv.args as [string, ...string[]];
  const { io } = inv;
  const tty = inv.flags.tty as boolean;
  const detach = inv.flags.detach as boolean;
  if (!detach && tty && inv.flags.interactive && io.stdinIsTTY !== true) throw new CommandError('the input device is not a TTY', 1);
  const engine = dockerEngine(await inv.env.sandbox());
  const c = engine.get(ref);
  if (!isRunning(await engine.state(c.id))) throw daemonError(`container ${c.id} is not running`);
  const env: Record<string, string> = {};
  for (const kv of inv.flags.env as string[]) if (kv.indexOf('=') > 0) env[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
  const output = outputWriter(io, tty);
  const workingDir = (inv.flags.workdir as string) || undefined;
  if (detach) {
    engine.sandbox.node.exec(c.id, argv, { env, workingDir }, () => undefined).catch(() => undefined);
    return 0;
  }
  try {
    // docker exec does not proxy signals: without a terminal Ctrl-C only ends the CLI's wait.
    const result = await streamExec(io, engine.sandbox.node, c.id, argv, { env, workingDir, stdin: inv.flags.interactive as boolean, tty, onOutput: (e) => output.write(e) });
    if (result === 'interrupted') return 130;
    output.flush();
    if (result.reason === 'StartError') throw new Error(result.error?.message ?? 'cannot start');
    return result.exitCode;
  } catch (err) {
    const message = (err as Error).message;
    if (!/executable file not found|not a WebAssembly module|is a directory|exec format error/.test(message)) throw err;
    // The runtime's words, as the daemon relays an exec that could not start.
    io.err(`OCI runtime exec failed: exec failed: unable to start container process: ${message.replace(/\.$/, '')}: unknown\n`);
    return 126;
  }
}

/**
 * docker top: the container's processes as the daemon lists them (ps -ef's
 * columns, from podplay's process table: its program, children, background
 * jobs and exec sessions). podplay takes no ps options.
 */
export async function top(inv: Invocation, self: Command): Promise<number> {
  checkArgs(inv, self, 1, 1);
  const engine = dockerEngine(await inv.env.sandbox());
  const c = engine.get(inv.args[0]!);
  if (!isRunning(await engine.state(c.id))) throw daemonError(`container ${c.id} is not running`);
  const processes = await engine.sandbox.node.top(c.id);
  const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  const rows = [['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']];
  for (const p of processes) rows.push(['root', String(p.pid), String(p.ppid), '0', clock(p.started), '?', '00:00:00', p.argv.join(' ')]);
  // docker/cli top.go: a tabwriter of minimum width 20 and padding 3.
  inv.io.out(formatTable(rows, { minWidth: 20, padding: 3 }));
  return 0;
}
