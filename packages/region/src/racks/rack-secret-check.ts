import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@kiln/node-kit';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { getOrCreateRackSecret } from '../region-identity/index.js';

/**
 * Racks prove themselves with the shared rack secret (`kiln secret`). Both sides are hashed
 * first so the comparison takes the same time whatever the lengths.
 */
export async function checkRackSecret(
  db: Kysely<Database>,
  given: string | undefined,
): Promise<void> {
  const expected = await getOrCreateRackSecret(db);
  const digest = (text: string) => createHash('sha256').update(text).digest();
  if (given === undefined || given === '' || !timingSafeEqual(digest(given), digest(expected))) {
    throw new AppError('RACK_SECRET_INVALID', 'Missing or wrong rack secret.');
  }
}
