// Public face of `kiln migrate-from-maas`: read a MAAS database (and its image files), plan,
// copy each resource's newest complete set into Kiln's store, and the migration's state that the
// machine lifecycle checks before commissioning or deploying.
export {
  migrateFromMaas,
  type BlobReport,
  type MigrateOptions,
  type MigrationEvent,
  type MigrationResult,
} from './run-migration.js';
export {
  detectMaasDatabase,
  readMaasInventory,
  MIGRATED_SETTINGS,
  type MaasDatabaseInfo,
  type MaasInventory,
  type MaasLayout,
  type MaasResource,
} from './maas-database.js';
export type { MigrationPlan, PlannedResource, PlannedBlob } from './migration-plan.js';
export type { ApplyReport } from './apply-to-kiln.js';
export { DEFAULT_CHUNK_BYTES } from './byte-sources.js';
export { STAGING_DIR } from './staging.js';
export {
  assertImageNotMigrating,
  migrationStatus,
  HEARTBEAT_STALE_MS,
  MIGRATION_NOTIFICATION,
  type MigrationState,
  type MigrationStatus,
  type PendingImage,
} from './migration-state.js';
