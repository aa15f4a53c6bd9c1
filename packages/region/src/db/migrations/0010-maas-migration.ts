import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { columnTypes, type RegionMigration } from './migration.js';

/**
 * `kiln migrate-from-maas` (issue 14): one row per migration attempt's latest state, so a running
 * region can refuse to commission or deploy from images that are still being copied and say why,
 * and the API can report progress. `pending` is a JSON list of `{name, architecture}` of the
 * resources not yet in place; `heartbeat` (epoch ms) goes stale when the migrating process dies.
 */
async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('maas_migrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('heartbeat', t.bigint, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('pending', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('total_bytes', t.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('done_bytes', t.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('started', 'text', (c) => c.notNull())
    .addColumn('finished', 'text')
    .execute();
}

export const maasMigrationMigration: RegionMigration = { name: '0010-maas-migration', up };
