import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import '../../image-sync/tables.js';
import './tables.js';

export interface FileSyncView {
  readonly fileId: number;
  readonly setId: number;
  readonly size: number;
  /** Bytes synced summed over the regions readiness requires (image-sync membership). */
  readonly synced: number;
  /** Bytes this region holds (its own record). */
  readonly local: number;
  /** Regions (required or not) holding a complete copy. */
  readonly holders: number;
}

/**
 * How many regions readiness waits for: those the image sync marks required (active and
 * heartbeating, docs/decisions/0007). At least 1, so that percentages divide.
 */
export async function regionCount(db: Kysely<Database>): Promise<number> {
  return Math.max(1, await requiredRegionCount(db));
}

/** Regions readiness waits for; 0 before any region's sync has started (then one copy suffices). */
export async function requiredRegionCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('region_sync_states')
    .select(db.fn.countAll().as('n'))
    .where('required', '=', 1)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Sync totals of the files of the given sets (all sets when `setIds` is undefined). */
export async function fileSyncViews(
  db: Kysely<Database>,
  regionId: string,
  setIds?: readonly number[],
): Promise<FileSyncView[]> {
  if (setIds?.length === 0) return [];
  let query = db
    .selectFrom('boot_resource_files as f')
    .leftJoin('boot_resource_file_syncs as s', 's.file_id', 'f.id')
    .leftJoin('region_sync_states as q', 'q.region_id', 's.region_id')
    .select([
      'f.id as fileId',
      'f.set_id as setId',
      'f.size as size',
      sql<number | string>`coalesce(sum(case when q.required = 1 then s.size else 0 end), 0)`.as(
        'synced',
      ),
      sql<
        number | string
      >`coalesce(sum(case when s.region_id = ${regionId} then s.size else 0 end), 0)`.as('local'),
      sql<number | string>`coalesce(sum(case when s.size >= f.size then 1 else 0 end), 0)`.as(
        'holders',
      ),
    ])
    .groupBy(['f.id', 'f.set_id', 'f.size']);
  if (setIds !== undefined) query = query.where('f.set_id', 'in', setIds);
  const rows = await query.execute();
  return rows.map((r) => ({
    fileId: r.fileId,
    setId: r.setId,
    size: r.size,
    synced: Number(r.synced),
    local: Number(r.local),
    holders: Number(r.holders),
  }));
}

/**
 * A file is complete when at least one region holds it and every required region does
 * (Σ synced over required regions = size × required regions); a set when all its files are.
 * `regions` is `requiredRegionCount`.
 */
export function isFileComplete(view: FileSyncView, regions: number): boolean {
  return view.holders > 0 && view.synced >= view.size * regions;
}
