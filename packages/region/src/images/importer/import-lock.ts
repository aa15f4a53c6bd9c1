import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import '../store/tables.js';

export const IMPORT_LOCK = 'import_images';
/** A holder that stops renewing (killed process) loses the lock after this long. */
export const LOCK_TTL_MS = 30_000;

/**
 * A lease in the `locks` table that works the same on SQLite and PostgreSQL: one atomic
 * insert-or-take-over-if-expired statement, then a read to see who won. Used so that only one
 * import runs across every region sharing the database.
 */
export async function tryAcquireLock(
  db: Kysely<Database>,
  name: string,
  holder: string,
  ttlMs = LOCK_TTL_MS,
): Promise<boolean> {
  const now = Date.now();
  await db
    .insertInto('locks')
    .values({ name, holder, expires: now + ttlMs, stop_requested: 0 })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires: now + ttlMs, stop_requested: 0 })
        .where('locks.expires', '<', now),
    )
    .execute();
  const row = await db
    .selectFrom('locks')
    .select('holder')
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.holder === holder;
}

/** Extends the lease; false when it was lost (expired and taken by someone else). */
export async function renewLock(
  db: Kysely<Database>,
  name: string,
  holder: string,
  ttlMs = LOCK_TTL_MS,
): Promise<boolean> {
  const result = await db
    .updateTable('locks')
    .set({ expires: Date.now() + ttlMs })
    .where('name', '=', name)
    .where('holder', '=', holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function releaseLock(
  db: Kysely<Database>,
  name: string,
  holder: string,
): Promise<void> {
  await db.deleteFrom('locks').where('name', '=', name).where('holder', '=', holder).execute();
}

export interface LockState {
  readonly holder: string;
  readonly stopRequested: boolean;
}

/** The live holder of a lock, or null when free or expired. */
export async function lockState(db: Kysely<Database>, name: string): Promise<LockState | null> {
  const row = await db
    .selectFrom('locks')
    .select(['holder', 'expires', 'stop_requested'])
    .where('name', '=', name)
    .executeTakeFirst();
  if (row === undefined || row.expires < Date.now()) return null;
  return { holder: row.holder, stopRequested: row.stop_requested === 1 };
}

/** Asks whoever holds the lock to stop (another region notices at its next renewal). */
export async function requestStop(db: Kysely<Database>, name: string): Promise<boolean> {
  const result = await db
    .updateTable('locks')
    .set({ stop_requested: 1 })
    .where('name', '=', name)
    .where('expires', '>=', Date.now())
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * At start-up a region drops leases its own earlier process held: that process is gone (a
 * region id runs one process), so waiting for the lease to expire would only delay the import.
 */
export async function releaseOwnStaleLocks(db: Kysely<Database>, regionId: string): Promise<void> {
  await db.deleteFrom('locks').where('holder', 'like', `${regionId}:%`).execute();
}
