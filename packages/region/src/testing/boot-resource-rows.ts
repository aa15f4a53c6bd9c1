import type { Kysely } from 'kysely';
import { nowIso, type Database } from '../db/index.js';

export interface BootResourceRow {
  /** 0 synced, 2 uploaded (MAAS's BOOT_RESOURCE_TYPE). */
  readonly type: 0 | 2;
  readonly name: string;
  readonly architecture: string;
  readonly version: string;
  readonly label: string;
  readonly filename: string;
  readonly filetype: string;
  readonly sha256: string;
  readonly size: number;
}

/**
 * One boot resource with one set holding one file, written straight into the import's tables:
 * for tests that need an image the region knows without running an import.
 */
export async function insertBootResourceFile(
  db: Kysely<Database>,
  row: BootResourceRow,
): Promise<{ resourceId: number; fileId: number }> {
  const now = nowIso();
  const resource = await db
    .insertInto('boot_resources')
    .values({
      type: row.type,
      name: row.name,
      architecture: row.architecture,
      bootloader_type: null,
      created: now,
      updated: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const set = await db
    .insertInto('boot_resource_sets')
    .values({ resource_id: resource.id, version: row.version, label: row.label, created: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const file = await db
    .insertInto('boot_resource_files')
    .values({
      set_id: set.id,
      filename: row.filename,
      filetype: row.filetype,
      sha256: row.sha256,
      size: row.size,
      source_id: null,
      source_path: null,
      created: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { resourceId: resource.id, fileId: file.id };
}
