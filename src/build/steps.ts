/**
 * What each instruction does to a stage: the metadata ones change the
 * config and add a history entry; WORKDIR, COPY, ADD and RUN make a layer,
 * found in the build cache when their key (the filesystem before them, the
 * instruction as expanded, the env and args in use, the content of their
 * sources) has been built before.
 */
import { PodplayError } from '../shared/index.ts';
import { sha256 } from '../oci/index.ts';
import { join, normalize } from '../vfs/index.ts';
import type { Instruction } from './dockerfile.ts';
import { copySources, matchSources, notFound, parseChmod, resolveOwner, sourcesChecksum, writeMadeFile } from './copy.ts';
import { exposedPorts, goQuoteList, healthcheck, historyEntry, setEnv } from './image-config.ts';
import { expandHeredoc, expandWord, expandWords, splitRawWords } from './shell-words.ts';
import type { Layer, StageState } from './stage.ts';
import type { Vfs } from '../vfs/index.ts';

/** What a step needs from the build around it. */
export interface StepContext {
  escape: string;
  /** ISO time written into history entries (the epoch, for reproducible images). */
  created: string;
  /** Layer times are capped here (ms). */
  clampMtime: number;
  noCache: boolean;
  /** The tree a COPY --from names: a stage (by name or index) or an image. */
  sourceTree(from: string): Promise<Vfs>;
  /** The build context's tree (loaded on first use). */
  context(): Promise<Vfs>;
  /** A RUN's command in a build container; its layer tar, or why it failed. */
  run(state: StageState, argv: string[], env: Record<string, string>, cwd: string): Promise<{ tar: Uint8Array; changes: number }>;
  /** A vertex for a step that makes a layer: `cached` prints CACHED instead of running `work`. */
  vertex(name: string, cached: boolean, work: () => Promise<void>): Promise<void>;
  fetch?: (url: string) => Promise<Response>;
  /**
   * The cached result of a step with this key for a stage in this state:
   * the layer it added (none: the step changed nothing), or undefined
   * when the cache has no usable record.
   */
  cacheGet(key: string, state: StageState): Promise<{ layer?: Layer } | undefined>;
  cachePut(key: string, state: StageState, description: string): Promise<void>;
}

/** The `name=value` pairs of ENV, LABEL (and ARG), expanded as BuildKit expands them. */
function pairs(i: Instruction, vars: Map<string, string>, escape: string): Array<[string, string]> {
  const words = splitRawWords(i.args, escape);
  if (i.keyword === 'ENV' && words.length > 0 && !words[0]!.includes('=')) {
    // The legacy form: ENV name the rest of the line.
    const rest = i.args.slice(i.args.indexOf(words[0]!) + words[0]!.length).trim();
    return [[expandWord(words[0]!, vars, escape), expandWord(rest, vars, escape)]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) throw new PodplayError('DockerfileInvalid', `dockerfile parse error on line ${i.line}: Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    return [expandWord(w.slice(0, eq), vars, escape), expandWord(w.slice(eq + 1), vars, escape)];
  });
}

/** The command of RUN, CMD, ENTRYPOINT or HEALTHCHECK: the exec form as written, the shell form through the stage's SHELL. */
export function commandOf(i: Instruction, state: StageState, text = i.args): string[] {
  if (i.json) return i.json;
  if (i.heredocs.length === 1 && /^<<-?\s*["']?\w+["']?\s*$/.test(text.trim())) return [...state.shell, i.heredocs[0]!.content];
  const body = i.heredocs.length ? [text, ...i.heredocs.map((h) => `${h.content}${h.name}`)].join('\n') : text;
  return [...state.shell, body];
}

async function key(...parts: unknown[]): Promise<string> {
  return sha256(JSON.stringify(parts));
}

/** Runs one instruction of a stage. */
export async function runInstruction(i: Instruction, state: StageState, ctx: StepContext): Promise<void> {
  const vars = state.vars();
  const expand = (w: string) => expandWord(w, vars, ctx.escape);
  const config = state.config;
  switch (i.keyword) {
    case 'ENV': {
      const kv = pairs(i, vars, ctx.escape);
      let env = config.Env ?? [];
      for (const [k, v] of kv) env = setEnv(env, k, v);
      config.Env = env;
      state.metadata(ctx.created, `ENV ${kv.map(([k, v]) => `${k}=${v}`).join(' ')}`);
      return;
    }
    case 'LABEL': {
      const kv = pairs(i, vars, ctx.escape);
      config.Labels = { ...config.Labels, ...Object.fromEntries(kv) };
      state.metadata(ctx.created, `LABEL ${kv.map(([k, v]) => `${k}=${v}`).join(' ')}`);
      return;
    }
    case 'MAINTAINER':
      state.image.config = { ...state.image.config, author: i.args } as typeof state.image.config;
      state.metadata(ctx.created, `MAINTAINER ${i.args}`);
      return;
    case 'ARG':
      for (const w of splitRawWords(i.args, ctx.escape)) {
        const eq = w.indexOf('=');
        const name = eq < 0 ? w : w.slice(0, eq);
        const value = eq < 0 ? undefined : expand(w.slice(eq + 1));
        state.declareArg(name, value);
        state.metadata(ctx.created, `ARG ${eq < 0 ? name : `${name}=${value}`}`);
      }
      return;
    case 'USER':
      config.User = expand(i.args);
      state.metadata(ctx.created, `USER ${config.User}`);
      return;
    case 'EXPOSE': {
      const ports = exposedPorts(expandWords(i.args, vars, ctx.escape));
      config.ExposedPorts = { ...config.ExposedPorts, ...Object.fromEntries(ports.map((p) => [p, {}])) };
      state.metadata(ctx.created, `EXPOSE [${[...ports].sort().join(' ')}]`);
      return;
    }
    case 'VOLUME': {
      const list = i.json ?? expandWords(i.args, vars, ctx.escape);
      if (list.some((v) => v.trim() === '')) throw new PodplayError('BuildInvalid', 'VOLUME specified can not be an empty string');
      config.Volumes = { ...config.Volumes, ...Object.fromEntries(list.map((v) => [v, {}])) };
      state.metadata(ctx.created, `VOLUME [${list.join(' ')}]`);
      return;
    }
    case 'STOPSIGNAL':
      config.StopSignal = expand(i.args);
      state.metadata(ctx.created, `STOPSIGNAL ${config.StopSignal}`);
      return;
    case 'SHELL':
      state.shell = i.json!;
      config.Shell = i.json!;
      state.metadata(ctx.created, `SHELL [${i.json!.join(' ')}]`);
      return;
    case 'CMD': {
      const cmd = commandOf(i, state);
      config.Cmd = cmd;
      state.cmdSet = true;
      state.metadata(ctx.created, `CMD ${goQuoteList(cmd)}`);
      return;
    }
    case 'ENTRYPOINT': {
      const ep = commandOf(i, state);
      config.Entrypoint = ep;
      if (!state.cmdSet) delete config.Cmd;
      state.metadata(ctx.created, `ENTRYPOINT ${goQuoteList(ep)}`);
      return;
    }
    case 'HEALTHCHECK': {
      const words = i.args.trim();
      const sub = words.split(/\s+/)[0]!.toUpperCase();
      let test: string[];
      if (sub === 'NONE') test = ['NONE'];
      else if (sub === 'CMD') {
        const rest = words.slice(3).trim();
        test = rest.startsWith('[') ? ['CMD', ...(JSON.parse(rest) as string[])] : ['CMD-SHELL', rest];
      } else throw new PodplayError('DockerfileInvalid', `dockerfile parse error on line ${i.line}: Unknown type "${sub}" in HEALTHCHECK (try CMD)`);
      const hc = healthcheck(i.flags, test);
      config.Healthcheck = hc.config;
      state.metadata(ctx.created, hc.text);
      return;
    }
    case 'ONBUILD':
      config.OnBuild = [...(config.OnBuild ?? []), i.args];
      return;
    case 'WORKDIR':
      return workdir(i, state, ctx, expand(i.args));
    case 'COPY':
    case 'ADD':
      return copy(i, state, ctx, vars);
    case 'RUN':
      return run(i, state, ctx, vars);
    default:
      throw new PodplayError('DockerfileInvalid', `dockerfile parse error on line ${i.line}: unknown instruction: ${i.keyword}`);
  }
}

/** A step that makes a layer: the cache first, then `make`, then a cache record. */
async function layerStep(state: StageState, ctx: StepContext, name: string, cacheKey: string, createdBy: string, make: () => Promise<void>): Promise<void> {
  state.step++;
  const vertexName = `${state.prefix()} ${name}`;
  const hit = ctx.noCache ? undefined : await ctx.cacheGet(cacheKey, state);
  if (hit) {
    await ctx.vertex(vertexName, true, async () => {
      if (!hit.layer) state.metadata(ctx.created, createdBy);
      else state.adopt(hit.layer, historyEntry(ctx.created, createdBy, false));
    });
    return;
  }
  await ctx.vertex(vertexName, false, async () => {
    await make();
    await ctx.cachePut(cacheKey, state, name);
  });
}

async function workdir(i: Instruction, state: StageState, ctx: StepContext, path: string): Promise<void> {
  const dir = normalize(path.startsWith('/') ? path : join(state.config.WorkingDir || '/', path));
  state.config.WorkingDir = dir;
  if (dir === '/') {
    state.step++;
    state.metadata(ctx.created, `WORKDIR ${dir}`);
    return;
  }
  const k = await key(await state.chain(), 'WORKDIR', dir);
  await layerStep(state, ctx, `WORKDIR ${dir}`, k, `WORKDIR ${dir}`, async () => {
    const next = (await state.tree()).clone();
    if (next.lookup(dir)?.kind !== 'dir') next.mkdirp(dir);
    await state.commitTree(next, ctx.created, `WORKDIR ${dir}`, ctx.clampMtime);
  });
}

async function copy(i: Instruction, state: StageState, ctx: StepContext, vars: Map<string, string>): Promise<void> {
  const isAdd = i.keyword === 'ADD';
  const from = i.flags.get('from')?.[0];
  if (from !== undefined && from.includes('$')) throw new PodplayError('BuildInvalid', 'variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround');
  const words = i.json ?? expandWords(i.args, vars, ctx.escape);
  const dest = words[words.length - 1]!;
  const sources = words.slice(0, -1);
  if (sources.length > 1 && !dest.endsWith('/')) throw new PodplayError('BuildInvalid', `When using ${i.keyword} with more than one source file, the destination must be a directory and end with a /`);
  const chownFlag = i.flags.get('chown')?.[0];
  const chmodFlag = i.flags.get('chmod')?.[0];
  const chmod = chmodFlag !== undefined ? parseChmod(expandWord(chmodFlag, vars, ctx.escape)) : undefined;
  const srcTree = from !== undefined ? await ctx.sourceTree(from) : sources.some((s) => !/^<</.test(s) && !/^https?:\/\//.test(s)) ? await ctx.context() : undefined;
  const matched: Array<{ source: string; paths: string[] }> = [];
  const remote: string[] = [];
  for (const s of sources) {
    if (/^<<-?/.test(s)) continue;
    if (/^https?:\/\//.test(s)) {
      if (!isAdd) throw new PodplayError('BuildInvalid', `source can't be a URL for COPY`);
      remote.push(s);
      continue;
    }
    if (/^git@|\.git(#.*)?$/.test(s)) throw new PodplayError('BuildInvalid', `ADD of a git repository is not available in podplay: COPY the files from the build context instead.`);
    const paths = matchSources(srcTree!, s);
    if (paths.length === 0) throw notFound(normalize('/' + s));
    matched.push({ source: s, paths });
  }
  const checksum = srcTree ? await sourcesChecksum(srcTree, matched.flatMap((m) => m.paths)) : '';
  const flagText = [chownFlag !== undefined ? ` --chown=${chownFlag}` : '', chmodFlag !== undefined ? ` --chmod=${chmodFlag}` : ''].join('');
  const srcText = sources.join(' ');
  const createdBy = `${i.keyword}${flagText} ${srcText} ${dest} # buildkit`;
  const name = i.original.replace(/^(COPY|ADD)\b/i, i.keyword).replace(i.args, () => words.join(' '));
  const many = sources.length > 1 || sources.some((s) => /[*?[]/.test(s));
  const heredocBodies = i.heredocs.map((h) => (h.expand ? expandHeredoc(h.content, vars) : h.content));
  const k = await key(await state.chain(), i.keyword, from ?? '', words, chownFlag ?? '', chmod ?? '', checksum, remote, heredocBodies, state.config.WorkingDir ?? '/');
  await layerStep(state, ctx, name, k, createdBy, async () => {
    const next = (await state.tree()).clone();
    const owner = chownFlag !== undefined ? resolveOwner(next, expandWord(chownFlag, vars, ctx.escape)) : undefined;
    const opts = { workdir: state.config.WorkingDir || '/', ...(owner ? { chown: owner } : {}), ...(chmod !== undefined ? { chmod } : {}) };
    for (const m of matched) await copySources(srcTree!, m.paths, next, dest, { ...opts, many, extract: isAdd && from === undefined });
    i.heredocs.forEach((h, n) => writeMadeFile(next, dest, h.name, new TextEncoder().encode(heredocBodies[n]!), { ...opts, mode: chmod ?? 0o644, mtime: 0 }));
    for (const url of remote) {
      if (!ctx.fetch) throw new PodplayError('BuildInvalid', `ADD ${url}: this build cannot fetch URLs: download the file into the build context and COPY it.`);
      let res: Response;
      try {
        res = await ctx.fetch(url);
      } catch (err) {
        throw new PodplayError('BuildInvalid', `failed to load cache key: ADD ${url}: the fetch failed (${(err as Error).message}): the host must allow cross-origin requests (CORS), or download the file into the build context and COPY it.`);
      }
      if (!res.ok) throw new PodplayError('BuildInvalid', `failed to load cache key: invalid response status ${res.status}`);
      const base = new URL(url).pathname.split('/').filter(Boolean).pop() || 'index.html';
      const modified = Date.parse(res.headers.get('last-modified') ?? '');
      writeMadeFile(next, dest, base, new Uint8Array(await res.arrayBuffer()), { ...opts, mode: chmod ?? 0o600, mtime: Number.isNaN(modified) ? 0 : modified });
    }
    await state.commitTree(next, ctx.created, createdBy, ctx.clampMtime);
  });
}

async function run(i: Instruction, state: StageState, ctx: StepContext, vars: Map<string, string>): Promise<void> {
  const argv = commandOf(i, state);
  const env = Object.fromEntries(state.env);
  const buildArgs = [...state.args].filter(([k]) => !state.env.has(k));
  for (const [k, v] of buildArgs) env[k] = v;
  env.PATH ??= state.env.get('PATH') ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  const argsText = buildArgs.length ? `|${buildArgs.length} ${buildArgs.map(([k, v]) => `${k}=${v}`).join(' ')} ` : '';
  const createdBy = `RUN ${argsText}${argv.join(' ')} # buildkit`;
  const shown = i.original.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, n: string) => (vars.has(n) ? vars.get(n)! : m));
  const summary = i.heredocs.length ? ` (${summarize(i.heredocs[0]!.content)})` : '';
  const cwd = state.config.WorkingDir || '/';
  const k = await key(await state.chain(), 'RUN', argv, [...Object.entries(env)].sort(), cwd, state.config.User ?? '');
  await layerStep(state, ctx, `${shown}${summary}`, k, createdBy, async () => {
    const layer = await ctx.run(state, argv, env, cwd);
    if (layer.changes === 0) state.metadata(ctx.created, createdBy);
    else await state.addLayer(layer.tar, ctx.created, createdBy);
  });
}

function summarize(content: string): string {
  const lines = content.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines[0] ?? '') + (lines.length > 1 ? '...' : '');
}
