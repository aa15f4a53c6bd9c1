import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import './tables.js';

export interface FileSyncView {
  readonly fileId: number;
  readonly setId: number;
  readonly size: number;
  /** Bytes synced summed over every region. */
  readonly synced: number;
  /** Bytes this region holds (its own record). */
  readonly local: number;
}

export async function regionCount(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('regions').select(db.fn.countAll().as('n')).executeTakeFirst();
  return Math.max(1, Number(row?.n ?? 1));
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
    .select((eb) => [
      'f.id as fileId',
      'f.set_id as setId',
      'f.size as size',
      eb.fn.coalesce(eb.fn.sum<number | string>('s.size'), eb.val(0)).as('synced'),
      eb.fn
        .coalesce(
          eb.fn.sum<number | string>(
            eb.case().when('s.region_id', '=', regionId).then(eb.ref('s.size')).else(0).end(),
          ),
          eb.val(0),
        )
        .as('local'),
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
  }));
}

/**
 * Spec §3.4: a file is complete when every region holds all its bytes (Σ synced = size ×
 * regions); a set is complete when all its files are.
 */
export function isFileComplete(view: FileSyncView, regions: number): boolean {
  return view.synced >= view.size * regions;
}
