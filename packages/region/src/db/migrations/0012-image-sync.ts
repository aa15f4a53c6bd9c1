import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { columnTypes, type RegionMigration } from './migration.js';

/**
 * Multi-region image sync (issue 12, docs/decisions/0007): transfer jobs with leases, and each
 * region's membership in readiness. Times are epoch milliseconds taken from the database's
 * clock (`now()` on PostgreSQL), never a region's, so skewed region clocks cannot break leases.
 */
async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('transfer_jobs')
    .addColumn('id', t.id, (c) =>
      dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', t.bigint, (c) => c.notNull())
    // 'upstream' (any live region may claim it) or 'peer' (only target_region claims it).
    .addColumn('kind', 'text', (c) => c.notNull())
    // '' for upstream jobs: an empty string, not NULL, so the unique index below sees it.
    .addColumn('target_region', 'text', (c) => c.notNull().defaultTo(''))
    // The upstream item URL; '' for peer jobs (the source is chosen when the copy starts).
    .addColumn('source_url', 'text', (c) => c.notNull().defaultTo(''))
    // queued | running | done | failed | cancelled
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('not_before', t.bigint, (c) => c.notNull())
    // Which region holds the lease; lease_token is the fencing token, bumped at every claim.
    .addColumn('lease_owner', 'text')
    .addColumn('lease_token', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_expires', t.bigint)
    .addColumn('heartbeat_at', t.bigint)
    .addColumn('bytes_done', t.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('source_region', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created', t.bigint, (c) => c.notNull())
    .addColumn('updated', t.bigint, (c) => c.notNull())
    .execute();
  // Idempotent planning: at most one active job per (file, kind, target); INSERT ... ON CONFLICT
  // DO NOTHING against this index is what makes overlapping imports never download twice.
  await sql`create unique index transfer_jobs_active_unique on transfer_jobs (sha256, kind, target_region) where state in ('queued', 'running')`.execute(
    db,
  );
  await sql`create index transfer_jobs_claim_idx on transfer_jobs (state, not_before)`.execute(db);

  await db.schema
    .createTable('region_sync_states')
    .addColumn('region_id', 'text', (c) => c.primaryKey())
    // joining: copies but is not required for readiness; active: caught up and required.
    .addColumn('state', 'text', (c) => c.notNull())
    // 1 while active and heartbeating within the grace period (kept by every region's sync loop).
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('heartbeat', t.bigint, (c) => c.notNull())
    // Base URL peers fetch files from (ends in /MAAS/).
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('updated', t.bigint, (c) => c.notNull())
    .execute();
}

export const imageSyncMigration: RegionMigration = { name: '0012-image-sync', up };
