import { errorStatus, type ErrorCode, type RelayedStatusCode } from '@kiln/protocol';

/**
 * The one error class domain code throws. `code` is a registered code (`@kiln/protocol`'s
 * ERROR_REGISTRY, documented in docs/errors.md); `status`, the HTTP status the API layer answers
 * with when the error reaches it, comes from the registry, so a throw site cannot disagree with
 * the catalogue.
 */
export interface AppErrorOptions {
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/** Only codes registered with status 'varies' take the status of the server they relay. */
export interface RelayedErrorOptions extends AppErrorOptions {
  readonly status: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: RelayedStatusCode, message: string, options: RelayedErrorOptions);
  constructor(code: ErrorCode, message: string, options?: AppErrorOptions);
  constructor(
    code: ErrorCode,
    message: string,
    options: AppErrorOptions & { readonly status?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorStatus(code, options.status);
    this.details = options.details;
  }
}

/**
 * Recognise errors structurally rather than with instanceof: errors cross package copies and
 * worker boundaries, where class identity is lost.
 */
export function isAppError(error: unknown): error is AppError {
  return (
    error instanceof Error &&
    typeof (error as Partial<AppError>).code === 'string' &&
    typeof (error as Partial<AppError>).status === 'number'
  );
}

/** For failures of systems Kiln does not own: mirrors, BMCs, unreachable regions or racks. */
export class ExternalError extends AppError {
  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
    this.name = 'ExternalError';
  }
}
