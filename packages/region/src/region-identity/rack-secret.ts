import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { insertConfigRowIfAbsent, readConfigRow } from '../maas-config/index.js';

const RACK_SECRET_KEY = 'rack_shared_secret';

/**
 * The secret rack agents present to the region: generated once and stored in the database so
 * every region sharing it agrees. Insert-if-absent keeps the first writer's secret when two
 * processes race. `kiln secret` prints it for KILN_RACK_SECRET on rack hosts.
 */
export async function getOrCreateRackSecret(db: Kysely<Database>): Promise<string> {
  const existing = await readConfigRow(db, RACK_SECRET_KEY);
  if (typeof existing === 'string' && existing !== '') return existing;
  const stored = await insertConfigRowIfAbsent(
    db,
    RACK_SECRET_KEY,
    randomBytes(32).toString('hex'),
  );
  return String(stored);
}
