import type { Kysely } from 'kysely';
import { AppError, sameSecret } from '@kiln/node-kit';
import type { Database } from '../db/index.js';
import { getOrCreateRackSecret } from './rack-secret.js';

/**
 * The one check of the shared rack secret (`kiln secret`), for the rack-agent API (form field
 * `secret`) and the rack's internal routes (`X-Kiln-Rack-Secret`). A wrong secret of any length
 * is refused alike, in time that does not depend on the expected secret.
 */
export async function checkRackSecret(db: Kysely<Database>, given: unknown): Promise<void> {
  const expected = await getOrCreateRackSecret(db);
  if (typeof given !== 'string' || !sameSecret(given, expected)) {
    throw new AppError('RACK_SECRET_INVALID', 'Missing or wrong rack secret.');
  }
}
