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
  const next = async (table: string): Promise<number> => {
    const rows = await sql<{
      n: number | string;
    }>`select coalesce(max(id), 0) as n from ${sql.table(table)}`.execute(db);
    return Number(rows.rows[0]?.n ?? 0) + 1;
  };
  const existing = (
    await sql<{
      id: number;
    }>`select f.id from boot_resource_files f join boot_resource_sets s on s.id = f.set_id join boot_resources r on r.id = s.resource_id where r.name = ${`ubuntu/${release}`} and r.architecture = ${`${arch}/ga-24.04`} order by f.id`.execute(
      db,
    )
  ).rows;
  if (existing.length > 0) return existing.map((r) => r.id);
  const resourceId = await next('boot_resources');
  await sql`insert into boot_resources (id, type, name, architecture, created, updated) values (${resourceId}, 0, ${`ubuntu/${release}`}, ${`${arch}/ga-24.04`}, ${now}, ${now})`.execute(
    db,
  );
  const setId = await next('boot_resource_sets');
  await sql`insert into boot_resource_sets (id, resource_id, version, label, created) values (${setId}, ${resourceId}, '20260101', 'stable', ${now})`.execute(
    db,
  );
  const regions = await db.selectFrom('regions').select('system_id').execute();
  const fileIds: number[] = [];
  for (const [filetype, digit] of [
    ['boot-kernel', 'a'],
    ['boot-initrd', 'b'],
    ['squashfs', 'c'],
  ] as const) {
    const fileId = await next('boot_resource_files');
    await sql`insert into boot_resource_files (id, set_id, filename, filetype, sha256, size, created) values (${fileId}, ${setId}, ${filetype}, ${filetype}, ${hex(digit)}, 1000, ${now})`.execute(
      db,
    );
    for (const r of regions) {
      await sql`insert into boot_resource_file_syncs (file_id, region_id, size) values (${fileId}, ${r.system_id}, 1000)`.execute(
        db,
      );
    }
    fileIds.push(fileId);
  }
  return fileIds;
}
