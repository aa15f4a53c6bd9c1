import { createHash, timingSafeEqual } from 'node:crypto';

function digest(value: string | Uint8Array): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * The one way Kiln compares a presented secret (rack secret, OAuth signature, CSRF token, derived
 * password key) with the expected one. Both sides are hashed first, so timingSafeEqual always
 * compares two 32-byte digests: the time taken says nothing about where the inputs differ, nor
 * about the expected secret's length. A missing or empty presented secret never matches.
 */
export function sameSecret(
  given: string | Uint8Array | undefined,
  expected: string | Uint8Array,
): boolean {
  if (given === undefined || given.length === 0) return false;
  return timingSafeEqual(digest(given), digest(expected));
}
