import type { Selectable } from 'kysely';

/** Table of migration 0010-maas-migration (see there). */
export interface MaasMigrationsTable {
  id: string;
  state: string;
  holder: string;
  /** bigint: PostgreSQL hands it back as a string. */
  heartbeat: number | string;
  source: string;
  pending: string;
  total_bytes: number | string;
  done_bytes: number | string;
  message: string;
  started: string;
  finished: string | null;
}

declare module '../db/schema.js' {
  interface Database {
    maas_migrations: MaasMigrationsTable;
  }
}

export type MaasMigrationRow = Selectable<MaasMigrationsTable>;
