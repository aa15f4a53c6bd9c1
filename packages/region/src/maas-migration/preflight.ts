import type pg from 'pg';
import { AppError } from '@kiln/node-kit';
import { allItems, readStream, urlForPath } from '@kiln/simplestreams';
import type { MaasInventory } from './maas-database.js';
import type { PlannedBlob } from './migration-plan.js';

function grantFix(oids: readonly number[], role: string): string {
  return `GRANT SELECT ON LARGE OBJECT ${oids.join(', ')} TO "${role.replace(/"/g, '""')}";`;
}

/** Every large object to read is probed first (savepoints keep the snapshot usable). */
export async function probePermissions(
  client: pg.Client,
  blobs: readonly PlannedBlob[],
): Promise<void> {
  const denied: number[] = [];
  for (const blob of blobs) {
    const oid = blob.file.oid;
    if (blob.file.location !== 'large-object' || oid === null) continue;
    await client.query('savepoint kiln_probe');
    try {
      await client.query('select lo_get($1::oid, 0, 1)', [oid]);
      await client.query('release savepoint kiln_probe');
    } catch (error) {
      await client.query('rollback to savepoint kiln_probe');
      if ((error as { code?: string }).code === '42501') denied.push(oid);
      else throw error;
    }
  }
  if (denied.length === 0) return;
  const role = (await client.query<{ r: string }>('select current_user as r')).rows[0]?.r ?? '';
  throw new AppError(
    'MAAS_LARGE_OBJECT_PERMISSION',
    `permission denied for large object ${denied[0] ?? ''} (${denied.length} of the images' large objects cannot be read by role ${role}). ` +
      `Connect as the MAAS database owner, or run as a superuser on the MAAS database: ${grantFix(denied, role)} ` +
      `(or set lo_compat_privileges = on).`,
    { details: { oids: denied, role } },
  );
}

export async function upstreamUrls(
  inventory: MaasInventory,
  kilnKeyring: string,
): Promise<Map<string, URL>> {
  const urls = new Map<string, URL>();
  for (const source of inventory.sources) {
    const keyring =
      source.keyringData.length > 0 ? new Uint8Array(source.keyringData) : kilnKeyring;
    const stream = await readStream(source.url, { keyring });
    for (const item of allItems(stream)) {
      const sha = item.sha256?.toLowerCase();
      if (sha !== undefined && item.path !== undefined && !urls.has(sha))
        urls.set(sha, urlForPath(stream.root, item.path));
    }
  }
  return urls;
}
