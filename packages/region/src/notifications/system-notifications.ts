import type { Kysely } from 'kysely';
import { nowIso, type Database } from '../db/index.js';
import { insertNotification, type NotificationFields } from './notifications-repository.js';

/**
 * System notifications are keyed by `ident` so that a condition can be asserted or cleared on
 * every change without creating duplicates (e.g. "more than one boot source").
 */
export async function setSystemNotification(
  db: Kysely<Database>,
  ident: string,
  fields: Omit<NotificationFields, 'ident'>,
): Promise<void> {
  const existing = await db
    .selectFrom('notifications')
    .select('id')
    .where('ident', '=', ident)
    .executeTakeFirst();
  if (existing === undefined) {
    await insertNotification(db, { ...fields, ident });
    return;
  }
  await db
    .updateTable('notifications')
    .set({ message: fields.message, category: fields.category, updated: nowIso() })
    .where('id', '=', existing.id)
    .execute();
}

export async function clearSystemNotification(db: Kysely<Database>, ident: string): Promise<void> {
  await db.deleteFrom('notifications').where('ident', '=', ident).execute();
}
