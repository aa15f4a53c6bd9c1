/**
 * The one error class domain code throws. `code` is a stable UPPER_SNAKE identifier with an
 * area prefix (IMAGE_*, TFTP_*, CONFIG_*, ...), listed in docs/errors.md; `status` is the HTTP
 * status the API layer answers with when the error reaches it.
 */
export interface AppErrorOptions {
  readonly status?: number;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? 500;
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
  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(code, message, { status: 502, ...options });
    this.name = 'ExternalError';
  }
}
