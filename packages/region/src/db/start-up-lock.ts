import { sql, type Kysely } from 'kysely';
import type { DialectName } from './database.js';
import type { Database } from './schema.js';

// Arbitrary constant shared by every Kiln region: "kiln" in ASCII.
const START_UP_LOCK_KEY = 0x6b696c6e;

/**
 * Serialises first-start work (the default boot source) between processes sharing a database,
 * held until the surrounding transaction ends. PostgreSQL: an advisory lock. SQLite: a write as
 * the first statement takes the writer lock before anything is read, so a second process waits
 * (busy_timeout) instead of failing when it upgrades a stale read snapshot.
 */
export async function takeStartUpLock(trx: Kysely<Database>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres')
    await sql`SELECT pg_advisory_xact_lock(${START_UP_LOCK_KEY})`.execute(trx);
  else await sql`DELETE FROM config WHERE 1 = 0`.execute(trx);
}
