import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import type { RegionMigration } from './migration.js';

/**
 * Controller health for the Controllers page and `regioncontrollers/` (issue 8).
 *
 * - `rack_controllers.cache_stats`: JSON of the boot-file cache figures from the rack's latest
 *   heartbeat (`RackCacheReport` in protocol); null until a rack that reports them has beaten.
 * - `region_heartbeats`: one row per region process identity, refreshed by the running region,
 *   so others can tell a live region from one that stopped. Kept apart from `regions` (which
 *   records identities) so the liveness write touches nothing else.
 */
async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable('rack_controllers').addColumn('cache_stats', 'text').execute();
  await db.schema
    .createTable('region_heartbeats')
    .addColumn('system_id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .execute();
}

export const controllerHealthMigration: RegionMigration = { name: '0007-controller-health', up };
