import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { apiFetch, formBody, metadataClient, type TestRegion } from '../../testing/index.js';

export { insertCompleteImage } from '../../testing/index.js';

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
