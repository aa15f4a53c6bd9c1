import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { clearSystemNotification, setSystemNotification } from '../notifications/index.js';

export const MULTIPLE_SOURCES_IDENT = 'multiple_boot_sources';
export const MULTIPLE_SOURCES_MESSAGE =
  'More than one image source exists. The UI does not support updating synced images when more than one source has been defined. Use the API to adjust your sources.';

/** Keeps the "more than one boot source" warning in step with the table; call after every change. */
export async function syncBootSourceNotifications(db: Kysely<Database>): Promise<void> {
  const row = await db
    .selectFrom('boot_sources')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (row.n > 1) {
    await setSystemNotification(db, MULTIPLE_SOURCES_IDENT, {
      message: MULTIPLE_SOURCES_MESSAGE,
      category: 'warning',
      admins: true,
      dismissable: false,
    });
  } else {
    await clearSystemNotification(db, MULTIPLE_SOURCES_IDENT);
  }
}
