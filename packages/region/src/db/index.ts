export {
  openDatabase,
  sqlitePathFromUrl,
  type DialectName,
  type RegionDatabase,
} from './database.js';
export { migrateToLatest } from './migrate.js';
export {
  MIGRATIONS,
  RegionMigrationProvider,
  columnTypes,
  type RegionMigration,
} from './migrations/index.js';
export { nowIso, maasDateTime } from './time.js';
export { readJsonList, readJsonObject } from './json-column.js';
export type * from './schema.js';
export { takeStartUpLock } from './start-up-lock.js';
