import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import './tables.js';

/**
 * Per-region copy records: `boot_resource_file_syncs(file_id, region_id, size)`. A region's copy
 * of a file is complete when its synced size equals the file's size. Every row sharing a sha256
 * points at the same bytes on disk, so updates go to all of them at once.
 */
export async function setSyncedSize(
  db: Kysely<Database>,
  regionId: string,
  sha256: string,
  size: number,
): Promise<void> {
  const files = await db
    .selectFrom('boot_resource_files')
    .select('id')
    .where('sha256', '=', sha256)
    .execute();
  for (const { id } of files) {
    await db
      .insertInto('boot_resource_file_syncs')
      .values({ file_id: id, region_id: regionId, size })
      .onConflict((oc) => oc.columns(['file_id', 'region_id']).doUpdateSet({ size }))
      .execute();
  }
}

export async function dropSyncRecords(
  db: Kysely<Database>,
  regionId: string,
  sha256: string,
): Promise<void> {
  const ids = db.selectFrom('boot_resource_files').select('id').where('sha256', '=', sha256);
  await db
    .deleteFrom('boot_resource_file_syncs')
    .where('region_id', '=', regionId)
    .where('file_id', 'in', ids)
    .execute();
}

export interface KnownFile {
  readonly sha256: string;
  readonly size: number;
  /** Bytes this region's records say it holds for every row with this sha256 (0: a row has none). */
  readonly synced: number;
}

/** Every distinct sha256 any resource references, with this region's synced size. */
export async function knownFiles(db: Kysely<Database>, regionId: string): Promise<KnownFile[]> {
  const rows = await db
    .selectFrom('boot_resource_files as f')
    .leftJoin('boot_resource_file_syncs as s', (join) =>
      join.onRef('s.file_id', '=', 'f.id').on('s.region_id', '=', regionId),
    )
    .select(['f.sha256', 'f.size', 's.size as synced'])
    .execute();
  // A sha256 counts as synced only as far as every row that references it has a record: a
  // resource added later that shares bytes already on disk needs its own record to be complete.
  const out = new Map<string, KnownFile>();
  for (const row of rows) {
    const previous = out.get(row.sha256);
    const own = row.synced ?? 0;
    const synced = previous === undefined ? own : Math.min(previous.synced, own);
    out.set(row.sha256, { sha256: row.sha256, size: row.size, synced });
  }
  return [...out.values()];
}

/** sha256 → size of files this region holds completely (by its own records). */
export async function completeOnRegion(
  db: Kysely<Database>,
  regionId: string,
): Promise<Map<string, number>> {
  const complete = new Map<string, number>();
  for (const file of await knownFiles(db, regionId))
    if (file.synced === file.size) complete.set(file.sha256, file.size);
  return complete;
}
