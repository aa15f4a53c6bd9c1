import type { Kysely } from 'kysely';
import type { Notification } from '@kiln/protocol';
import { API_PREFIX, type HandlerDeclaration } from '../api/index.js';
import type { FieldSpec, ValidatedForm } from '../api/index.js';
import { deleted, json, notFound, text, validationError } from '../api/index.js';
import type { Database } from '../db/index.js';
import { readJsonObject } from '../db/index.js';
import {
  NOTIFICATION_CATEGORIES,
  dismissNotification,
  getNotification,
  insertNotification,
  isVisibleTo,
  listVisibleNotifications,
  type NotificationCategory,
  type NotificationRow,
} from './notifications-repository.js';
import { findUserByUsername, type UserRow } from '../users/index.js';
import { userJson } from '../users/index.js';

async function notificationJson(db: Kysely<Database>, row: NotificationRow): Promise<Notification> {
  const user =
    row.user_id === null
      ? undefined
      : await db.selectFrom('users').selectAll().where('id', '=', row.user_id).executeTakeFirst();
  return {
    id: row.id,
    ident: row.ident,
    user: user === undefined ? null : userJson(user),
    users: row.users === 1,
    admins: row.admins === 1,
    message: row.message,
    context: readJsonObject(row.context),
    category: row.category as NotificationCategory,
    dismissable: row.dismissable === 1,
    resource_uri: `${API_PREFIX}notifications/${row.id}/`,
  };
}

function fields(required: boolean): FieldSpec[] {
  return [
    {
      name: 'message',
      kind: 'string',
      required,
      doc: 'The message for this notification. May contain basic HTML.',
    },
    {
      name: 'context',
      kind: 'string',
      doc: 'Optional JSON context. The root object must be an object.',
    },
    {
      name: 'category',
      kind: 'string',
      choices: NOTIFICATION_CATEGORIES,
      doc: 'Choose from: error, warning, success, or info. Defaults to info.',
    },
    { name: 'ident', kind: 'string', doc: 'Unique identifier for this notification.' },
    {
      name: 'user',
      kind: 'string',
      doc: 'Username of the user this notification is intended for.',
    },
    { name: 'users', kind: 'bool', doc: 'True to notify all users, defaults to false.' },
    { name: 'admins', kind: 'bool', doc: 'True to notify all admins, defaults to false.' },
    {
      name: 'dismissable',
      kind: 'bool',
      doc: 'True to allow users dismissing the notification. Defaults to true.',
    },
  ];
}

async function readFields(db: Kysely<Database>, input: ValidatedForm) {
  const problems: Record<string, string[]> = {};
  let context: Record<string, unknown> | undefined;
  const contextText = input.string('context');
  if (contextText !== undefined && contextText !== '') {
    try {
      const parsed: unknown = JSON.parse(contextText);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('not an object');
      context = parsed as Record<string, unknown>;
    } catch {
      problems.context = ['Enter a valid JSON object.'];
    }
  }
  let user: UserRow | undefined;
  const username = input.string('user');
  if (username !== undefined && username !== '') {
    user = await findUserByUsername(db, username);
    if (user === undefined)
      problems.user = ['Select a valid choice. That choice is not one of the available choices.'];
  }
  if (input.string('ident') !== undefined && input.string('ident') !== '') {
    const clash = await db
      .selectFrom('notifications')
      .select('id')
      .where('ident', '=', input.string('ident') ?? '')
      .executeTakeFirst();
    if (clash !== undefined) problems.ident = ['Notification with this Ident already exists.'];
  }
  if (Object.keys(problems).length > 0) throw validationError(problems);
  return { context, user };
}

export const notificationsHandler: HandlerDeclaration = {
  name: 'NotificationsHandler',
  doc: 'Manage the collection of all the notifications in MAAS.',
  path: 'notifications/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List notifications\n\nList notifications relevant to the invoking user. Notifications that have been dismissed are not returned.',
      run: async ({ request, region }) => {
        const rows = await listVisibleNotifications(
          region.db,
          request.user ?? { id: -1, is_admin: 0 },
        );
        return json(await Promise.all(rows.map((row) => notificationJson(region.db, row))));
      },
    },
    {
      method: 'POST',
      op: null,
      admin: true,
      doc: 'Create a notification\n\nCreate a new notification.',
      fields: fields(true),
      run: async ({ input, region }) =>
        region.db.transaction().execute(async (trx) => {
          const { context, user } = await readFields(trx, input);
          const ident = input.string('ident');
          const row = await insertNotification(trx, {
            message: input.string('message') ?? '',
            category: (input.string('category') ?? 'info') as NotificationCategory,
            ...(context === undefined ? {} : { context }),
            ident: ident === undefined || ident === '' ? null : ident,
            userId: user?.id ?? null,
            users: input.bool('users') ?? false,
            admins: input.bool('admins') ?? false,
            dismissable: input.bool('dismissable') ?? true,
          });
          return json(await notificationJson(trx, row));
        }),
    },
  ],
};

export const notificationHandler: HandlerDeclaration = {
  name: 'NotificationHandler',
  doc: 'Manage an individual notification.',
  path: 'notifications/{id}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Read a notification\n\nRead a notification with the given id.',
      run: async ({ request, region }) => {
        const row = await getNotification(region.db, Number(request.params.id));
        if (request.user === null || !isVisibleTo(row, request.user))
          throw notFound('NOTIFICATION_NOT_FOUND', 'Notification');
        return json(await notificationJson(region.db, row));
      },
    },
    {
      method: 'PUT',
      op: null,
      admin: true,
      doc: 'Update a notification\n\nUpdate a notification with a given id.',
      fields: fields(false).filter((f) => f.name !== 'ident'),
      run: async ({ request, input, region }) =>
        region.db.transaction().execute(async (trx) => {
          const row = await getNotification(trx, Number(request.params.id));
          const { context, user } = await readFields(trx, input);
          const updated = await trx
            .updateTable('notifications')
            .set({
              message: input.string('message') ?? row.message,
              category: input.string('category') ?? row.category,
              context: context === undefined ? row.context : JSON.stringify(context),
              user_id: input.has('user') ? (user?.id ?? null) : row.user_id,
              users: input.has('users') ? (input.bool('users') === true ? 1 : 0) : row.users,
              admins: input.has('admins') ? (input.bool('admins') === true ? 1 : 0) : row.admins,
              dismissable: input.has('dismissable')
                ? input.bool('dismissable') === true
                  ? 1
                  : 0
                : row.dismissable,
              updated: new Date().toISOString(),
            })
            .where('id', '=', row.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          return json(await notificationJson(trx, updated));
        }),
    },
    {
      method: 'DELETE',
      op: null,
      admin: true,
      doc: 'Delete a notification\n\nDelete a notification with a given id.',
      run: async ({ request, region }) =>
        region.db.transaction().execute(async (trx) => {
          const row = await getNotification(trx, Number(request.params.id));
          await trx.deleteFrom('notifications').where('id', '=', row.id).execute();
          return deleted();
        }),
    },
    {
      method: 'POST',
      op: 'dismiss',
      doc: 'Dismiss a notification\n\nDismiss a notification with the given id. It is an error to dismiss a notification that is not dismissable.',
      run: async ({ request, region }) => {
        const row = await getNotification(region.db, Number(request.params.id));
        if (request.user === null || !isVisibleTo(row, request.user))
          throw notFound('NOTIFICATION_NOT_FOUND', 'Notification');
        if (row.dismissable !== 1)
          throw validationError({ __all__: ['This notification cannot be dismissed.'] });
        await dismissNotification(region.db, row.id, request.user.id);
        return text('OK');
      },
    },
  ],
};
