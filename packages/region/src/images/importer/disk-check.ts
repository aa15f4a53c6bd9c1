import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { recordEvent } from '../../events/index.js';
import { clearSystemNotification, setSystemNotification } from '../../notifications/index.js';
import type { ImageStore } from '../store/image-store.js';
import type { WantedFile } from './plan-rows.js';

export const DISK_SPACE_IDENT = 'image_import_disk_space';
/** Room for unpacked bootloaders and filesystem slack (MAAS uses the same 100 MiB). */
export const DISK_MARGIN_BYTES = 100 * 1024 * 1024;

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

/**
 * Before any download: the bytes still missing (distinct files, minus what their partials
 * already hold) plus the margin must fit in the free space of image-storage. When they do not,
 * nothing starts: an error event and a persistent notification say how much is needed and free.
 */
export async function checkDiskSpace(
  db: Kysely<Database>,
  store: ImageStore,
  missing: readonly WantedFile[],
  marginBytes: number,
): Promise<{ ok: boolean; needed: number; free: number }> {
  let needed = marginBytes;
  for (const file of missing)
    needed += file.size - Math.min(file.size, await store.partialSize(file.sha256));
  const free = await store.freeBytes();
  if (missing.length === 0 || free > needed) {
    await clearSystemNotification(db, DISK_SPACE_IDENT);
    return { ok: true, needed, free };
  }
  const message = `Not enough disk space to import boot images: ${formatBytes(needed)} needed (${missing.length} files plus ${formatBytes(marginBytes)} margin), ${formatBytes(free)} free in ${store.root}. Free some space and start the import again.`;
  await recordEvent(db, { type: 'Image import error', level: 'ERROR', description: message });
  await setSystemNotification(db, DISK_SPACE_IDENT, {
    message,
    category: 'error',
    users: false,
    admins: true,
    dismissable: false,
  });
  return { ok: false, needed, free };
}
