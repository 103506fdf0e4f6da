/**
 * Coded errors. Every podplay error has a stable `code` a caller can branch
 * on, and a message that says what to do next. Errors that cross a worker
 * boundary travel as plain {@link FlatError} objects and are rebuilt with
 * {@link rebuildError}; never rely on `instanceof` across threads.
 */
export type ErrorCode =
  | 'ImageDigestMismatch'
  | 'ImageSizeMismatch'
  | 'ManifestInvalid'
  | 'LayoutNotFound'
  | 'ImageNotFound'
  | 'PlatformNotFound'
  | 'LayerInvalid'
  | 'NotWasm'
  | 'ExecNotFound'
  | 'CrossOriginIsolationMissing'
  | 'RuntimeFailed'
  | 'QuotaExceeded'
  | 'StorageRefused'
  | 'StateRefused'
  | 'HistoryInvalid'
  | 'RegistryError'
  | 'CorsRefused'
  | 'ContainerNotFound'
  | 'ContainerConflict'
  | 'ContainerRunning'
  | 'ContainerNotRunning'
  | 'ExecDenied'
  | 'NodeLost'
  | 'DockerfileInvalid'
  | 'BuildInvalid'
  | 'BuildSourceNotFound'
  | 'BuildStepFailed'
  | 'ContextTooLarge'
  | 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'ELOOP' | 'EINVAL' | 'EPERM' | 'EACCES';

export class PodplayError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PodplayError';
    this.code = code;
  }
}

/** The shape an error takes when posted between threads. */
export interface FlatError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

export function flattenError(err: unknown): FlatError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, code: typeof code === 'string' ? code : undefined, stack: err.stack };
  }
  return { name: 'Error', message: String(err) };
}

export function rebuildError(flat: FlatError): Error {
  const err = flat.code ? new PodplayError(flat.code as ErrorCode, flat.message) : new Error(flat.message);
  err.name = flat.name;
  if (flat.stack) err.stack = flat.stack;
  return err;
}

/** True when `err` carries the given code, whichever thread made it. */
export function hasCode(err: unknown, code: ErrorCode): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
