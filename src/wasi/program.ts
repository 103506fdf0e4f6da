import { PodplayError } from '../shared/index.ts';
import { FileNode, basename, join, type Vfs } from '../vfs/index.ts';

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
/** How many "#!" interpreters may chain (Linux allows 4 levels too). */
const MAX_INTERPRETERS = 4;

export interface Program {
  /** The path the program was found at (symlinks not resolved), e.g. /bin/sh. */
  path: string;
  /** The wasm file itself, after symlinks: /bin/toolbox for /bin/sh. */
  file: FileNode;
  /** The argv the guest gets; argv[0] is the name it was invoked as. */
  argv: string[];
}

function findOnPath(vfs: Vfs, name: string, cwd: string, pathVar: string | undefined): string | undefined {
  if (name.includes('/')) return name.startsWith('/') ? join(name) : join(cwd, name);
  // execvp: the first executable file on PATH; else a file found without an x bit (which then fails as EACCES).
  let denied: string | undefined;
  for (const dir of (pathVar ?? '/usr/local/bin:/usr/bin:/bin').split(':')) {
    if (!dir) continue;
    const candidate = join(dir, name);
    const node = vfs.lookup(candidate);
    if (node?.kind !== 'file') continue;
    if ((node.mode & 0o111) !== 0) return candidate;
    denied ??= candidate;
  }
  return denied;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * Finds the program argv[0] names in the container's tree, as execve(2)
 * would: through PATH when it has no slash, following symlinks, and through a
 * "#!" line to its interpreter. The result must be a wasm module.
 */
export function resolveProgram(vfs: Vfs, argv: readonly string[], cwd: string, pathVar: string | undefined): Program {
  let args = [...argv];
  for (let depth = 0; depth <= MAX_INTERPRETERS; depth++) {
    const name = args[0];
    if (!name) throw new PodplayError('ExecNotFound', 'no command given: the image has no Entrypoint or Cmd, so name one to run.');
    const path = findOnPath(vfs, name, cwd, pathVar);
    const node = path ? vfs.lookup(path) : undefined;
    if (!path || !node) {
      throw new PodplayError('ExecNotFound', `exec: "${name}": executable file not found in $PATH: check the command, or list the image's programs with ls /bin /usr/local/bin.`);
    }
    if (node.kind !== 'file') throw new PodplayError('ExecNotFound', `exec: "${name}": is a directory, not a program.`);
    // execve(2) needs an x bit (root too): runc's words for a file without one.
    if ((node.mode & 0o111) === 0) {
      throw new PodplayError('ExecDenied', `exec: "${name}": permission denied: ${path} is mode ${(node.mode & 0o7777).toString(8).padStart(4, '0')}; make it executable (chmod +x, or defaultMode: 0755 for a configMap volume).`);
    }
    const bytes = node.content();
    if (startsWith(bytes, WASM_MAGIC)) return { path, file: node, argv: args };
    if (bytes[0] === 0x23 && bytes[1] === 0x21) {
      const line = new TextDecoder().decode(bytes.subarray(2, Math.min(bytes.byteLength, 256))).split('\n')[0]!.trim();
      const [interpreter, ...opt] = line.split(/\s+/);
      if (!interpreter) break;
      args = [interpreter, ...(opt.length ? [opt.join(' ')] : []), path, ...args.slice(1)];
      continue;
    }
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new PodplayError(
      'NotWasm',
      `exec ${path}: exec format error: ${basename(path)} is not a WebAssembly module (it starts with ${head || 'nothing'}); podplay runs programs built with GOOS=wasip1 GOARCH=wasm.`,
    );
  }
  throw new PodplayError('NotWasm', `exec ${argv[0]}: too many levels of "#!" interpreters.`);
}

/**
 * True for a module built by Go (its first section is the custom section
 * "go:buildid", which the Go linker writes even with -s -w). Go's runtime
 * handles SIGTERM, SIGINT and the like itself; see runner.ts signal().
 */
export function isGoModule(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 20 || bytes[8] !== 0) return false;
  let at = 9;
  // The section's size (LEB128), then the name's length and the name.
  while (at < 14 && (bytes[at]! & 0x80) !== 0) at++;
  at++;
  const len = bytes[at]!;
  const name = new TextDecoder().decode(bytes.subarray(at + 1, at + 1 + len));
  return name === 'go:buildid';
}

/**
 * How podplay treats a module's signals: the custom section
 * "podplay.signals" says so when present (the toolbox says "default": no
 * handlers, as busybox's applets); else a Go module has Go's runtime's
 * handlers ("go"), any other none ("default").
 */
export function signalModel(bytes: Uint8Array): 'go' | 'default' {
  const declared = customSection(bytes, 'podplay.signals');
  if (declared !== undefined) return new TextDecoder().decode(declared) === 'go' ? 'go' : 'default';
  return isGoModule(bytes) ? 'go' : 'default';
}

/** The payload of a module's first custom section named `name`. */
export function customSection(bytes: Uint8Array, name: string): Uint8Array | undefined {
  const leb = (at: number): [number, number] => {
    let n = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at++];
      if (b === undefined) return [-1, at];
      n += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return [n, at];
    }
  };
  let at = 8;
  while (at < bytes.byteLength) {
    const id = bytes[at]!;
    const [size, body] = leb(at + 1);
    if (size < 0 || body + size > bytes.byteLength) return undefined;
    if (id === 0) {
      const [len, start] = leb(body);
      if (len >= 0 && new TextDecoder().decode(bytes.subarray(start, start + len)) === name) return bytes.subarray(start + len, body + size);
    }
    at = body + size;
  }
  return undefined;
}
