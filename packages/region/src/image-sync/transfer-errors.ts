import { AppError } from '@kiln/node-kit';
import type { TransferKind } from './tables.js';

/** The errno code (ENOSPC, ECONNRESET, ...) somewhere in an error's cause chain. */
export function causeCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; e !== undefined && e !== null && i < 8; i += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function httpStatus(error: unknown): number | undefined {
  let e: unknown = error;
  for (let i = 0; e !== undefined && e !== null && i < 8; i += 1) {
    const status = (e as { details?: { httpStatus?: unknown } }).details?.httpStatus;
    if (typeof status === 'number') return status;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function isMismatch(error: unknown): boolean {
  return (
    error instanceof AppError &&
    ['HTTP_CHECKSUM_MISMATCH', 'HTTP_SIZE_MISMATCH', 'STREAM_CHECKSUM_MISMATCH'].includes(
      error.code,
    )
  );
}

/**
 * Whether another attempt can help. ENOSPC never heals by itself; an upstream 4xx (404, 403)
 * or an upstream file that failed verification after node-kit's one clean restart is the
 * source's fault. A bad or missing copy at a peer is retried, from another peer.
 */
export function isRetryableTransfer(kind: TransferKind, error: unknown): boolean {
  if (causeCode(error) === 'ENOSPC') return false;
  if (kind === 'peer') return true;
  const status = httpStatus(error);
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429)
    return false;
  return !isMismatch(error);
}
