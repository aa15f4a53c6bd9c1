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
  let outcome: Awaited<ReturnType<Migrator['migrateToLatest']>>;
  try {
    outcome = await database.exclusive(() => migrator.migrateToLatest());
  } catch (error) {
    // Before any migration runs: the database cannot be reached or opened at all.
    throw unreachable(database, error);
  }
  const { error, results } = outcome;
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    if (failed === undefined) throw unreachable(database, error);
    throw new AppError(
      'DB_MIGRATION_FAILED',
      `Database migration ${failed} failed: ${message(error)}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function unreachable(database: RegionDatabase, error: unknown): AppError {
  return new AppError(
    'DB_UNREACHABLE',
    `Cannot use the ${database.dialect} database: ${message(error)}`,
    {
      cause: error,
    },
  );
}
