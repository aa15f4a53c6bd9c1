import type { Kysely } from 'kysely';
import type { ImageSyncJson, RegionControllerJson } from '@kiln/protocol';
import { API_PREFIX } from '../api/index.js';
import type { Database } from '../db/index.js';
import { notFound } from '../domain-errors.js';
import type {} from '../region-identity/index.js';
import { isAlive } from './rack-json.js';

/** A region identity with its latest liveness beat (null: never beat since migration 0007). */
export interface RegionRecord {
  readonly system_id: string;
  readonly hostname: string;
  readonly version: string | null;
  readonly last_seen: string | null;
}

/** Every region identity, with its heartbeat if it has one, by host name. */
export async function listRegionRecords(db: Kysely<Database>): Promise<RegionRecord[]> {
  return db
    .selectFrom('regions as r')
    .leftJoin('region_heartbeats as h', 'h.system_id', 'r.system_id')
    .select(['r.system_id', 'r.hostname', 'h.version', 'h.last_seen'])
    .orderBy('r.hostname')
    .orderBy('r.system_id')
    .execute();
}

export async function regionRecord(db: Kysely<Database>, systemId: string): Promise<RegionRecord> {
  const found = (await listRegionRecords(db)).find((r) => r.system_id === systemId);
  if (found === undefined) throw notFound('REGION_NOT_FOUND', 'RegionController');
  return found;
}

/**
 * Per region: how many of the files boot resources reference (distinct sha256) it holds
 * completely, by its own sync records (`boot_resource_file_syncs`, spec §3.4). One query for all
 * regions, so the list costs the same however many regions there are.
 */
export async function imageSyncByRegion(
  db: Kysely<Database>,
): Promise<(systemId: string) => ImageSyncJson> {
  const rows = await db
    .selectFrom('boot_resource_files as f')
    .leftJoin('boot_resource_file_syncs as s', 's.file_id', 'f.id')
    .select(['f.sha256', 'f.size', 's.region_id', 's.size as synced'])
    .execute();
  const sizes = new Map<string, number>();
  const complete = new Map<string, Set<string>>();
  for (const row of rows) {
    sizes.set(row.sha256, row.size);
    if (row.region_id === null || row.synced === null || row.synced < row.size) continue;
    const held = complete.get(row.region_id) ?? new Set<string>();
    held.add(row.sha256);
    complete.set(row.region_id, held);
  }
  const bytes = [...sizes.values()].reduce((sum, size) => sum + size, 0);
  return (systemId) => {
    const held = complete.get(systemId) ?? new Set<string>();
    let bytesComplete = 0;
    for (const sha of held) bytesComplete += sizes.get(sha) ?? 0;
    return {
      status: held.size >= sizes.size ? 'synced' : 'syncing',
      files: sizes.size,
      files_complete: held.size,
      bytes,
      bytes_complete: bytesComplete,
    };
  };
}

/** A region controller in MAAS's shape (node_type 3) plus Kiln's `image_sync` and `last_seen`. */
export function regionJson(
  region: RegionRecord,
  imageSync: ImageSyncJson,
  now: Date = new Date(),
): RegionControllerJson & Record<string, unknown> {
  const alive = isAlive(region.last_seen, now);
  const shortName = region.hostname.split('.')[0] ?? region.hostname;
  return {
    system_id: region.system_id,
    hostname: shortName,
    fqdn: region.hostname.includes('.') ? region.hostname : `${region.hostname}.maas`,
    domain: { id: 0, name: 'maas', authoritative: true, resource_uri: `${API_PREFIX}domains/0/` },
    version: region.version ?? '',
    node_type: 3,
    node_type_name: 'Region controller',
    power_state: 'unknown',
    zone: { id: 1, name: 'default', description: '', resource_uri: `${API_PREFIX}zones/default/` },
    tag_names: [],
    ip_addresses: [],
    interface_set: [],
    service_set: [
      alive
        ? { name: 'regiond', status: 'running', status_info: '' }
        : {
            name: 'regiond',
            status: 'dead',
            status_info:
              region.last_seen === null ? 'Never reported.' : 'No heartbeat from the region.',
          },
    ],
    last_seen: region.last_seen,
    image_sync: imageSync,
    resource_uri: `${API_PREFIX}regioncontrollers/${region.system_id}/`,
  };
}

/** Forgets a region that stopped: its identity, liveness row and sync records (admin delete). */
export async function deleteRegionRecord(db: Kysely<Database>, systemId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('boot_resource_file_syncs').where('region_id', '=', systemId).execute();
    await trx.deleteFrom('region_heartbeats').where('system_id', '=', systemId).execute();
    await trx.deleteFrom('regions').where('system_id', '=', systemId).execute();
  });
}
