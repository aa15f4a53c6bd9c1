import type { KilnConfig } from '@kiln/node-kit';
import { migrateToLatest, openDatabase, type RegionDatabase } from '../db/index.js';

/** Opens the configured database and brings its schema up to date (every start does this). */
export async function openRegionDatabase(
  config: Pick<KilnConfig, 'databaseUrl'>,
): Promise<RegionDatabase> {
  const database = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
