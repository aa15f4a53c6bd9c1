import type { Kysely } from 'kysely';
import { AppError } from '@kiln/node-kit';
import type { Database } from '../../db/index.js';
import { badRequest, isRowId, notFound } from '../../domain-errors.js';
import { removeUnreferenced } from '../importer/finalize.js';
import { setSyncedSize } from '../store/file-syncs.js';
import type { ImageStore } from '../store/image-store.js';
import { RESOURCE_TYPE } from '../store/tables.js';
import type { UploadWriter } from '../store/upload-writer.js';
import { completeUpload } from './complete-upload.js';

const chains = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier call for the same key (chunks of one file never interleave). */
function serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = chains.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  chains.set(key, next);
  next
    .finally(() => {
      if (chains.get(key) === next) chains.delete(key);
    })
    .catch(() => undefined);
  return next;
}

/**
 * `PUT boot-resources/{id}/upload/{file_id}/` with one chunk (spec §2.9 rules, MAAS messages).
 * The chunk is appended and fsynced; when the last byte arrives the sha256 is checked and the
 * file is published, or the partial is discarded and the upload must start again.
 */
export async function uploadChunk(
  db: Kysely<Database>,
  store: ImageStore,
  writer: UploadWriter,
  regionId: string,
  ids: { resourceId: number; fileId: number },
  data: Buffer | null,
): Promise<void> {
  if (!isRowId(ids.resourceId) || !isRowId(ids.fileId))
    throw notFound('IMAGE_RESOURCE_NOT_FOUND', 'BootResource');
  const resource = await db
    .selectFrom('boot_resources')
    .select(['id', 'type'])
    .where('id', '=', ids.resourceId)
    .executeTakeFirst();
  if (resource === undefined) throw notFound('IMAGE_RESOURCE_NOT_FOUND', 'BootResource');
  const file = await db
    .selectFrom('boot_resource_files as f')
    .innerJoin('boot_resource_sets as s', 's.id', 'f.set_id')
    .select(['f.id', 'f.sha256', 'f.size'])
    .where('f.id', '=', ids.fileId)
    .where('s.resource_id', '=', resource.id)
    .executeTakeFirst();
  if (file === undefined) throw notFound('IMAGE_FILE_NOT_FOUND', 'BootResourceFile');
  if (data === null || data.length === 0) throw badRequest('IMAGE_UPLOAD_NO_DATA', 'Missing data.');
  if (resource.type !== RESOURCE_TYPE.uploaded)
    throw new AppError(
      'IMAGE_UPLOAD_FORBIDDEN',
      'Cannot upload to a resource that is not an uploaded resource.',
    );
  const size = file.size;
  await serialised(file.sha256, async () => {
    if ((await store.storedSize(file.sha256)) === size)
      throw badRequest('IMAGE_UPLOAD_COMPLETE', 'Cannot upload to a complete file.');
    const have = await store.partialSize(file.sha256);
    if (have + data.length > size)
      throw badRequest('IMAGE_UPLOAD_TOO_MUCH', 'Too much data received.');
    const now = await writer.append(file.sha256, data);
    if (now < size) return;
    const digest = await writer.digest(file.sha256, now);
    if (digest !== file.sha256) {
      await writer.discard(file.sha256);
      throw badRequest(
        'IMAGE_UPLOAD_SHA256_MISMATCH',
        'Saved content does not match given SHA256 value.',
      );
    }
    await store.publishPartial(file.sha256);
    await setSyncedSize(db, regionId, file.sha256, size);
    await completeUpload(db, file.id);
    await removeUnreferenced(db, store);
  });
}
