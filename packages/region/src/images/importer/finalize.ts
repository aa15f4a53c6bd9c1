import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { fileSyncViews, isFileComplete, requiredRegionCount } from '../store/set-completeness.js';
import { isSha256, type ImageStore } from '../store/image-store.js';
import { RESOURCE_TYPE } from '../store/tables.js';
import { pruneBootloaders } from '../store/prune-bootloaders.js';

/**
 * After the downloads: per synced resource keep its newest complete set and the set this
 * import wanted (still downloading or failed, kept so the next import resumes it); drop the
 * others. When every source was read, drop synced resources nothing selects any more. Files no
 * row references leave the disk.
 */
export async function finalizeImport(
  db: Kysely<Database>,
  store: ImageStore,
  regionId: string,
  wanted: { resourceIds: readonly number[]; setIds: readonly number[]; removeUnselected: boolean },
): Promise<{ removedSets: number; removedResources: number; removedFiles: number }> {
  const regions = await requiredRegionCount(db);
  const sets = await db
    .selectFrom('boot_resource_sets as s')
    .innerJoin('boot_resources as r', 'r.id', 's.resource_id')
    .select(['s.id', 's.resource_id', 's.version'])
    .where('r.type', '=', RESOURCE_TYPE.synced)
    .execute();
  const views = await fileSyncViews(db, regionId);
  const incomplete = new Set(views.filter((v) => !isFileComplete(v, regions)).map((v) => v.setId));
  const withFiles = new Set(views.map((v) => v.setId));
  const byResource = new Map<number, typeof sets>();
  for (const s of sets)
    byResource.set(s.resource_id, [...(byResource.get(s.resource_id) ?? []), s]);
  const keepSets = new Set(wanted.setIds);
  const drop: number[] = [];
  for (const list of byResource.values()) {
    list.sort((a, b) => (a.version < b.version ? 1 : a.version > b.version ? -1 : 0));
    const newestComplete = list.find((s) => withFiles.has(s.id) && !incomplete.has(s.id));
    for (const s of list) if (s !== newestComplete && !keepSets.has(s.id)) drop.push(s.id);
  }
  let removedResources = 0;
  await db.transaction().execute(async (trx) => {
    if (drop.length > 0)
      await trx.deleteFrom('boot_resource_sets').where('id', 'in', drop).execute();
    if (wanted.removeUnselected) {
      let q = trx.deleteFrom('boot_resources').where('type', '=', RESOURCE_TYPE.synced);
      if (wanted.resourceIds.length > 0) q = q.where('id', 'not in', wanted.resourceIds);
      removedResources = Number((await q.executeTakeFirst()).numDeletedRows);
    }
  });
  const removedFiles = await removeUnreferenced(db, store);
  return { removedSets: drop.length, removedResources, removedFiles };
}

/**
 * Deletes stored files (and their partials) that no boot resource file row references, and the
 * unpacked bootloader trees that no boot resource provides.
 */
export async function removeUnreferenced(db: Kysely<Database>, store: ImageStore): Promise<number> {
  await pruneBootloaders(db, store);
  const referenced = new Set(
    (await db.selectFrom('boot_resource_files').select('sha256').distinct().execute()).map(
      (r) => r.sha256,
    ),
  );
  let removed = 0;
  for (const name of await store.entries()) {
    const sha = /^([0-9a-f]{64})(?:\.validator)?(?:\.partial)?$/.exec(name)?.[1];
    if (sha === undefined || referenced.has(sha)) continue;
    await rm(join(store.root, name), { force: true });
    if (isSha256(name)) removed += 1;
  }
  return removed;
}
