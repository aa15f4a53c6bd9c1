import { Migrator } from 'kysely';
import { AppError } from '@kiln/node-kit';
import type { RegionDatabase } from './database.js';
import { RegionMigrationProvider } from './migrations/index.js';

/** Applies pending migrations; returns the names applied now. Safe to call on every start. */
export async function migrateToLatest(database: RegionDatabase): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: new RegionMigrationProvider(database.dialect),
  });
  const { error, results } = await database.exclusive(() => migrator.migrateToLatest());
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AppError('DB_MIGRATION_FAILED', `Database migration ${failed} failed`, {
      status: 500,
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
