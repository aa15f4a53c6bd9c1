import { dropSyncRecords } from '../store/file-syncs.js';
import { recordEvent } from '../../events/index.js';
import { insertNotification } from '../../notifications/index.js';
import type { ImageService } from '../importer/import-service.js';
import type { CorruptFile } from './at-rest.js';

/**
 * A stored file failed its check at rest: quarantine it (never served again), drop this region's
 * copy record so the importer counts it missing, record an event and tell the admins, then start
 * an import, which fetches the file again (from the boot source) and publishes it verified.
 */
export async function repairCorruptFile(service: ImageService, file: CorruptFile): Promise<void> {
  const { db, regionId } = service.region;
  const log = service.logger;
  service.metrics.corruptAtRest.inc();
  log.error({ ...file }, 'stored image file is corrupt; quarantined, fetching it again');
  const to = await service.store.quarantine(file.sha256).catch((error: unknown) => {
    log.warn({ sha256: file.sha256, err: error }, 'could not quarantine a corrupt file');
    return null;
  });
  await dropSyncRecords(db, regionId, file.sha256);
  const message = `Stored boot file ${file.sha256} was corrupt on disk (${file.problem}); it was quarantined${to === null ? '' : ` to ${to}`} and is being fetched again.`;
  await recordEvent(db, { type: 'Image file corrupt', description: message, level: 'ERROR' });
  await insertNotification(db, {
    message,
    category: 'error',
    admins: true,
    context: { sha256: file.sha256, problem: file.problem },
  });
  await service.startImport(`repair of corrupt file ${file.sha256}`);
}
