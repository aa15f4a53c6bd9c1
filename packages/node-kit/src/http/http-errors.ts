import { AppError, ExternalError } from '../errors/index.js';

/** Marks failures that another attempt cannot fix (4xx, checksum of a fresh download, abort). */
export class FatalTransferError extends ExternalError {}

export function statusError(url: URL, status: number): ExternalError {
  const message = `GET ${url.href} answered HTTP ${status}`;
  const details = { url: url.href, httpStatus: status };
  const retryable = status >= 500 || status === 408 || status === 429;
  return retryable
    ? new ExternalError('HTTP_STATUS', message, { details })
    : new FatalTransferError('HTTP_STATUS', message, { details });
}

/** Certificate problems do not heal by retrying. */
function isTlsTrustError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /CERT|ERR_TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code);
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof FatalTransferError || isTlsTrustError(error)) return false;
  if (error instanceof AppError && error.code === 'HTTP_ABORTED') return false;
  return true;
}
