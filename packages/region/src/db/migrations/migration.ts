import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';

/** One numbered migration; `dialect` lets a file pick column types that differ between engines. */
export interface RegionMigration {
  readonly name: string;
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}

/** Column types that differ between SQLite and PostgreSQL. */
export function columnTypes(dialect: DialectName) {
  return dialect === 'postgres'
    ? ({ id: 'serial', blob: 'bytea', bigint: 'bigint' } as const)
    : ({ id: 'integer', blob: 'blob', bigint: 'integer' } as const);
}
