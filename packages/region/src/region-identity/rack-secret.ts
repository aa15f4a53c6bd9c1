import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { readConfigRow, writeConfigRow } from '../maas-config/index.js';

const RACK_SECRET_KEY = 'rack_shared_secret';

/**
 * The secret rack agents present to the region: generated once and stored in the database so
 * every region sharing it agrees. `kiln secret` prints it for KILN_RACK_SECRET on rack hosts.
 */
export async function getOrCreateRackSecret(db: Kysely<Database>): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const existing = await readConfigRow(trx, RACK_SECRET_KEY);
    if (typeof existing === 'string' && existing !== '') return existing;
    const secret = randomBytes(32).toString('hex');
    await writeConfigRow(trx, RACK_SECRET_KEY, secret);
    return secret;
  });
}
