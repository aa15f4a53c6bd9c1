import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';

/** Requests are accepted only within this many seconds of the server clock, either way. */
export const TIMESTAMP_WINDOW_SECONDS = 300;

/**
 * Records a nonce for a token; false when it was already used (a replay). The primary key makes
 * the check atomic across concurrent requests and across regions sharing one database.
 */
export async function useNonce(
  db: Kysely<Database>,
  tokenKey: string,
  nonce: string,
  timestamp: number,
): Promise<boolean> {
  const result = await db
    .insertInto('nonces')
    .values({ token_key: tokenKey, nonce, timestamp })
    .onConflict((oc) => oc.columns(['token_key', 'nonce']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Nonces older than the window can never be accepted again, so they need not be kept. */
export async function pruneNonces(db: Kysely<Database>, nowSeconds: number): Promise<number> {
  const result = await db
    .deleteFrom('nonces')
    .where('timestamp', '<', nowSeconds - 2 * TIMESTAMP_WINDOW_SECONDS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
