import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';

const hex = (c: string) => c.repeat(64);

/**
 * Boot resource rows the way the image import stores them (its tables come from migration
 * 0004-images), complete on every region: kernel, initrd and squashfs of ubuntu/`release`.
 */
export async function insertCompleteImage(
  db: Kysely<Database>,
  release = 'noble',
  arch = 'amd64',
): Promise<number[]> {
  const now = new Date().toISOString();
  const existing = (
    await sql<{
      id: number;
    }>`select f.id from boot_resource_files f join boot_resource_sets s on s.id = f.set_id join boot_resources r on r.id = s.resource_id where r.name = ${`ubuntu/${release}`} and r.architecture = ${`${arch}/ga-24.04`} order by f.id`.execute(
      db,
    )
  ).rows;
  if (existing.length > 0) return existing.map((r) => r.id);
  // Ids come from the tables' own sequences, so other rows inserted before or after never collide.
  const resource = await db
    .insertInto('boot_resources')
    .values({
      type: 0,
      name: `ubuntu/${release}`,
      architecture: `${arch}/ga-24.04`,
      bootloader_type: null,
      created: now,
      updated: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const set = await db
    .insertInto('boot_resource_sets')
    .values({ resource_id: resource.id, version: '20260101', label: 'stable', created: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const regions = await db.selectFrom('regions').select('system_id').execute();
  const fileIds: number[] = [];
  for (const [filetype, digit] of [
    ['boot-kernel', 'a'],
    ['boot-initrd', 'b'],
    ['squashfs', 'c'],
  ] as const) {
    const file = await db
      .insertInto('boot_resource_files')
      .values({
        set_id: set.id,
        filename: filetype,
        filetype,
        sha256: hex(digit),
        size: 1000,
        source_id: null,
        source_path: null,
        created: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const r of regions) {
      await db
        .insertInto('boot_resource_file_syncs')
        .values({ file_id: file.id, region_id: r.system_id, size: 1000 })
        .execute();
    }
    fileIds.push(file.id);
  }
  return fileIds;
}
