import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { insertConfigRowIfAbsent, readConfigRow } from '../maas-config/index.js';

const RACK_SECRET_KEY = 'rack_shared_secret';

// Per database handle: the secret is checked on every rack request (one per booting machine),
// and nothing changes it once it exists (no rotation path: only this insert-if-absent writes it),
// so after the first read it is a memory lookup. Keyed by the handle so each region, and each
// test database, has its own; a failed read is forgotten so the next request tries again.
const cached = new WeakMap<Kysely<Database>, Promise<string>>();

/**
 * The secret rack agents present to the region: generated once and stored in the database so
 * every region sharing it agrees. Insert-if-absent keeps the first writer's secret when two
 * processes race. `kiln secret` prints it for KILN_RACK_SECRET on rack hosts.
 */
export function getOrCreateRackSecret(db: Kysely<Database>): Promise<string> {
  const known = cached.get(db);
  if (known !== undefined) return known;
  const loading = readOrCreate(db);
  cached.set(db, loading);
  loading.catch(() => {
    if (cached.get(db) === loading) cached.delete(db);
  });
  return loading;
}

async function readOrCreate(db: Kysely<Database>): Promise<string> {
  const existing = await readConfigRow(db, RACK_SECRET_KEY);
  if (typeof existing === 'string' && existing !== '') return existing;
  const stored = await insertConfigRowIfAbsent(
    db,
    RACK_SECRET_KEY,
    randomBytes(32).toString('hex'),
  );
  return String(stored);
}
