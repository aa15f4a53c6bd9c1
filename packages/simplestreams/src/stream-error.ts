import { AppError, ExternalError } from '@kiln/node-kit';

/**
 * STREAM_* errors. Problems with what a mirror served (bad signature, bad JSON, unsafe paths) are
 * ExternalError (502 when they reach the API); problems with what the caller gave (a manifest, a
 * keyring file, a URL) are AppError with status 400.
 */
export function mirrorFault(
  code: string,
  message: string,
  details?: Record<string, unknown>,
): ExternalError {
  return new ExternalError(code, message, details === undefined ? {} : { details });
}

export function inputFault(
  code: string,
  message: string,
  details?: Record<string, unknown>,
  cause?: unknown,
): AppError {
  return new AppError(code, message, {
    status: 400,
    ...(details === undefined ? {} : { details }),
    ...(cause === undefined ? {} : { cause }),
  });
}
