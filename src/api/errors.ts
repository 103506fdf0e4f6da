/**
 * API errors as the Kubernetes API server words them (apimachinery
 * api/errors and util/validation/field), and as kubectl prints them.
 */

export type FieldErrorType = 'Required value' | 'Invalid value' | 'Unsupported value' | 'Duplicate value' | 'Forbidden' | 'Not found' | 'Too long' | 'Too many';

/** One problem with one field (field.Error). */
export interface FieldError {
  type: FieldErrorType;
  /** The field's path: `spec.containers[0].image`. */
  field: string;
  badValue?: unknown;
  detail?: string;
}

/**
 * How a bad value is shown (field.Error, Kubernetes 1.34 and later): numbers
 * and booleans bare, strings quoted, anything else as JSON.
 */
function shownValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** field.Error.ErrorBody(): the type, the bad value where it is shown, the detail. */
export function fieldErrorBody(e: FieldError): string {
  let s: string = e.type;
  const shown = !['Required value', 'Forbidden', 'Too long'].includes(e.type) && 'badValue' in e;
  if (shown) s += `: ${shownValue(e.badValue)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorMessage(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

export const fieldErrors = {
  required: (field: string, detail?: string): FieldError => ({ type: 'Required value', field, detail }),
  invalid: (field: string, badValue: unknown, detail?: string): FieldError => ({ type: 'Invalid value', field, badValue, detail }),
  notSupported: (field: string, badValue: unknown, supported: string[]): FieldError => ({
    type: 'Unsupported value',
    field,
    badValue,
    detail: `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}`,
  }),
  duplicate: (field: string, badValue: unknown): FieldError => ({ type: 'Duplicate value', field, badValue }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'Forbidden', field, detail }),
  tooLong: (field: string, max: number): FieldError => ({ type: 'Too long', field, detail: `may not be more than ${max} bytes` }),
};

export type StatusReason = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid' | 'BadRequest' | 'Expired' | 'MethodNotAllowed' | 'Forbidden';

const HTTP_CODE: Record<StatusReason, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  BadRequest: 400,
  Expired: 410,
  MethodNotAllowed: 405,
  Forbidden: 403,
};

/** A metav1.Status failure, thrown by the API. */
export class ApiError extends Error {
  readonly reason: StatusReason;
  readonly code: string;
  readonly httpCode: number;
  readonly details?: { kind?: string; name?: string; causes?: FieldError[] };

  constructor(reason: StatusReason, message: string, details?: ApiError['details']) {
    super(message);
    this.name = 'ApiError';
    this.reason = reason;
    this.code = reason;
    this.httpCode = HTTP_CODE[reason];
    this.details = details;
  }

  /** The Status object the API server would answer with. */
  toStatus() {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, details: this.details, code: this.httpCode };
  }

  /**
   * As kubectl prints it (cmd/util StandardErrorMessage): `Error from server
   * (NotFound): pods "web" not found`, and for invalid objects `The Pod "web"
   * is invalid: …` with one cause inline or several as a list.
   */
  kubectlMessage(): string {
    if (this.reason === 'Invalid' && this.details?.causes?.length) {
      const head = `The ${this.details.kind} ${JSON.stringify(this.details.name ?? '')} is invalid`;
      const causes = this.details.causes.map(fieldErrorMessage);
      const unique = [...new Set(causes)];
      return unique.length === 1 ? `${head}: ${unique[0]}` : `${head}: \n${unique.map((c) => `* ${c}`).join('\n')}`;
    }
    return `Error from server (${this.reason}): ${this.message}`;
  }
}

/** `pods`, `deployments.apps`: a resource as the API server names it in messages. */
export type QualifiedResource = string;

export const apiErrors = {
  notFound: (resource: QualifiedResource, name: string) => new ApiError('NotFound', `${resource} ${JSON.stringify(name)} not found`, { name }),
  alreadyExists: (resource: QualifiedResource, name: string) => new ApiError('AlreadyExists', `${resource} ${JSON.stringify(name)} already exists`, { name }),
  conflict: (resource: QualifiedResource, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
    new ApiError('Conflict', `Operation cannot be fulfilled on ${resource} ${JSON.stringify(name)}: ${why}`, { name }),
  /** `qualifiedKind`: `Pod`, `Deployment.apps`; `kind`: `Pod`, `Deployment`. */
  invalid: (qualifiedKind: string, kind: string, name: string, causes: FieldError[]) => {
    const messages = [...new Set(causes.map(fieldErrorMessage))];
    const aggregate = messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
    return new ApiError('Invalid', `${qualifiedKind} ${JSON.stringify(name)} is invalid: ${aggregate}`, { kind, name, causes });
  },
  badRequest: (message: string) => new ApiError('BadRequest', message),
  forbidden: (resource: QualifiedResource, name: string, why: string) => new ApiError('Forbidden', `${resource} ${JSON.stringify(name)} is forbidden: ${why}`, { name }),
  /** A watch from a resourceVersion older than the history kept (410 Expired). */
  expired: (message: string) => new ApiError('Expired', message),
  methodNotAllowed: (message: string) => new ApiError('MethodNotAllowed', message),
};

export function isApiError(err: unknown, reason?: StatusReason): err is ApiError {
  return err instanceof ApiError && (reason === undefined || err.reason === reason);
}
