import type { Kysely } from 'kysely';
import { readJsonObject, type Database } from '../../db/index.js';

/**
 * After an upload's file is complete: unless the upload asked to keep old sets, the resource's
 * older sets go (their files leave the disk at the next cleanup when nothing else uses them).
 */
export async function completeUpload(db: Kysely<Database>, fileId: number): Promise<void> {
  const file = await db
    .selectFrom('boot_resource_files as f')
    .innerJoin('boot_resource_sets as s', 's.id', 'f.set_id')
    .select(['f.extra', 's.id as set_id', 's.resource_id', 's.version'])
    .where('f.id', '=', fileId)
    .executeTakeFirst();
  if (file === undefined || readJsonObject(file.extra).keep_old === true) return;
  await db
    .deleteFrom('boot_resource_sets')
    .where('resource_id', '=', file.resource_id)
    .where('id', '!=', file.set_id)
    .where('version', '<', file.version)
    .execute();
}
