import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, DialectName } from '../db/index.js';

/**
 * The database's clock in epoch milliseconds. Every lease and heartbeat comparison uses it, so
 * regions whose own clocks are skewed still agree on who holds a lease.
 */
export function dbNowMs(dialect: DialectName): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`(extract(epoch from now()) * 1000)::bigint`
    : sql<number>`cast((julianday('now') - 2440587.5) * 86400000 as integer)`;
}

export async function readDbNow(db: Kysely<Database>, dialect: DialectName): Promise<number> {
  const { rows } = await sql<{ now: number | string }>`select ${dbNowMs(dialect)} as now`.execute(
    db,
  );
  return Number(rows[0]?.now ?? 0);
}
