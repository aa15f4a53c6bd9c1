import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/index.js';
import { recordEvent } from '../events/index.js';
import { unpackBootloader, type ImageStore } from '../images/index.js';
import { setSystemNotification } from '../notifications/index.js';
import type { ClaimedJob } from './transfer-queue.js';

export const TRANSFER_FAILED_IDENT = 'image-sync-transfer-failed';

/** Bootloader archives are unpacked on every region that receives them. */
export async function unpackIfBootloader(
  db: Kysely<Database>,
  store: ImageStore,
  log: Logger,
  sha256: string,
): Promise<void> {
  const row = await db
    .selectFrom('boot_resource_files as f')
    .innerJoin('boot_resource_sets as s', 's.id', 'f.set_id')
    .innerJoin('boot_resources as r', 'r.id', 's.resource_id')
    .select(['r.bootloader_type', 'r.architecture'])
    .where('f.sha256', '=', sha256)
    .where('r.bootloader_type', 'is not', null)
    .executeTakeFirst();
  if (row?.bootloader_type === null || row === undefined) return;
  try {
    await unpackBootloader(
      store.pathFor(sha256),
      store.bootloadersDir,
      row.bootloader_type,
      row.architecture.split('/')[0] ?? row.architecture,
    );
  } catch (error) {
    log.warn({ err: error, sha256 }, 'bootloader archive not unpacked');
  }
}

/** A job failed for good: a banner naming the region and the file, and an event. */
export async function reportFailure(
  db: Kysely<Database>,
  regionId: string,
  job: ClaimedJob,
  message: string,
): Promise<void> {
  const names = await db
    .selectFrom('boot_resource_files')
    .select('filename')
    .where('sha256', '=', job.sha256)
    .distinct()
    .execute();
  const file = `${names.map((n) => n.filename).join(', ') || 'file'} (sha256 ${job.sha256})`;
  const what =
    job.kind === 'upstream' ? 'download from the boot source' : 'copy from another region';
  const text = `Region ${regionId} could not ${what} ${file}: ${message}`;
  await setSystemNotification(db, `${TRANSFER_FAILED_IDENT}:${regionId}:${job.sha256}`, {
    message: text,
    category: 'error',
  });
  await recordEvent(db, { type: 'Image import error', level: 'ERROR', description: text });
}
