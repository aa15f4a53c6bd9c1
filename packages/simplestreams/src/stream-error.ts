import type { ErrorCode } from '@kiln/protocol';
import { AppError, ExternalError } from '@kiln/node-kit';

/**
 * STREAM_* errors. Problems with what a mirror served (bad signature, bad JSON, unsafe paths) are
 * ExternalError (registered as 502); problems with what the caller gave (a manifest, a keyring
 * file, a URL) are AppError (registered as 400).
 */
export function mirrorFault(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): ExternalError {
  return new ExternalError(code, message, details === undefined ? {} : { details });
}

export function inputFault(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
  cause?: unknown,
): AppError {
  return new AppError(code, message, {
    ...(details === undefined ? {} : { details }),
    ...(cause === undefined ? {} : { cause }),
  });
}
