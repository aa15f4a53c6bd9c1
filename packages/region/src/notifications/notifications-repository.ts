import type { Kysely, Selectable } from 'kysely';
import { AppError } from '@kiln/node-kit';
import { isRowId } from '../domain-errors.js';
import { nowIso, type Database, type NotificationsTable } from '../db/index.js';

export type NotificationRow = Selectable<NotificationsTable>;
export const NOTIFICATION_CATEGORIES = ['error', 'warning', 'success', 'info'] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];

export interface NotificationFields {
  readonly message: string;
  readonly category: NotificationCategory;
  readonly context?: Record<string, unknown>;
  readonly ident?: string | null;
  readonly userId?: number | null;
  readonly users?: boolean;
  readonly admins?: boolean;
  readonly dismissable?: boolean;
}

interface Viewer {
  readonly id: number;
  readonly is_admin: number;
}

export async function insertNotification(
  db: Kysely<Database>,
  fields: NotificationFields,
): Promise<NotificationRow> {
  const now = nowIso();
  return db
    .insertInto('notifications')
    .values({
      ident: fields.ident ?? null,
      message: fields.message,
      category: fields.category,
      context: JSON.stringify(fields.context ?? {}),
      user_id: fields.userId ?? null,
      users: fields.users === true ? 1 : 0,
      admins: fields.admins === true ? 1 : 0,
      dismissable: fields.dismissable === false ? 0 : 1,
      created: now,
      updated: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Notifications addressed to the viewer (directly, to all users, or to admins) and not dismissed. */
export function listVisibleNotifications(
  db: Kysely<Database>,
  viewer: Viewer,
): Promise<NotificationRow[]> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('user_id', '=', viewer.id),
        eb('users', '=', 1),
        ...(viewer.is_admin === 1 ? [eb('admins', '=', 1)] : []),
      ]),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('notification_dismissals')
            .select('notification_dismissals.user_id')
            .whereRef('notification_dismissals.notification_id', '=', 'notifications.id')
            .where('notification_dismissals.user_id', '=', viewer.id),
        ),
      ),
    )
    .orderBy('id')
    .execute();
}

export function isVisibleTo(row: NotificationRow, viewer: Viewer): boolean {
  return (
    row.user_id === viewer.id || row.users === 1 || (row.admins === 1 && viewer.is_admin === 1)
  );
}

export async function getNotification(db: Kysely<Database>, id: number): Promise<NotificationRow> {
  const row = isRowId(id)
    ? await db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst()
    : undefined;
  if (row === undefined) {
    throw new AppError('NOTIFICATION_NOT_FOUND', 'No Notification matches the given query.');
  }
  return row;
}

export async function dismissNotification(
  db: Kysely<Database>,
  id: number,
  userId: number,
): Promise<void> {
  await db
    .insertInto('notification_dismissals')
    .values({ notification_id: id, user_id: userId })
    .onConflict((oc) => oc.columns(['notification_id', 'user_id']).doNothing())
    .execute();
}
