import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { apiFetch, formBody, metadataClient, type TestRegion } from '../../testing/index.js';

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

export interface Creds {
  readonly key: string;
}

export function client(region: () => TestRegion) {
  const call = (key: string | undefined, path: string, init: RequestInit = {}) =>
    apiFetch(region().url, path, { ...init, ...(key === undefined ? {} : { apiKey: key }) });
  const post = (
    key: string | undefined,
    path: string,
    params: Record<string, string | string[]> = {},
  ) => call(key, path, { method: 'POST', body: formBody(params) });
  const { metadata, nodeKey, signal, status } = metadataClient(() => region().url);
  return { call, post, metadata, nodeKey, signal, status };
}

/** READY machines straight into the database (what commissioning would leave), for allocation tests. */
export async function insertReadyMachines(
  db: Kysely<Database>,
  count: number,
  prefix: string,
): Promise<string[]> {
  const zone = await db
    .selectFrom('zones')
    .select('id')
    .where('name', '=', 'default')
    .executeTakeFirstOrThrow();
  const pool = await db
    .selectFrom('resource_pools')
    .select('id')
    .where('name', '=', 'default')
    .executeTakeFirstOrThrow();
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const systemId = `${prefix}${String(i).padStart(2, '0')}`.slice(0, 6);
    const now = new Date().toISOString();
    await db
      .insertInto('machines')
      .values({
        system_id: systemId,
        hostname: `host-${systemId}`,
        architecture: 'amd64/generic',
        status: 4,
        previous_status: 0,
        status_expires: null,
        owner: null,
        hwe_kernel: null,
        user_data: null,
        firmware: 'bios',
        hardware_uuid: null,
        boot_rack_address: null,
        boot_rack_http_port: null,
        power_type: 'manual',
        cpu_count: 4,
        memory: 8192,
        zone_id: zone.id,
        pool_id: pool.id,
        created: now,
        updated: now,
      })
      .execute();
    ids.push(systemId);
  }
  return ids;
}
