import { AppError } from '@kiln/node-kit';

const SHA256_RE = /^[0-9a-f]{64}$/;

export const PARTIAL_SUFFIX = '.partial';

export function isSha256(value: string): boolean {
  return SHA256_RE.test(value);
}

/** Cache keys come from URLs and CLI arguments: accept either case, store lowercase. */
export function normalizeSha256(value: string): string {
  const lower = value.toLowerCase();
  if (!SHA256_RE.test(lower)) {
    throw new AppError('CACHE_INVALID_SHA256', `"${value}" is not a sha256 (64 hex digits)`, {
      details: { sha256: value },
    });
  }
  return lower;
}

export function partialName(sha256: string): string {
  return `${sha256}${PARTIAL_SUFFIX}`;
}
