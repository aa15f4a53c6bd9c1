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
