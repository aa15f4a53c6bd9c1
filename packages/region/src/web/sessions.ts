import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { UserRow } from '../users/index.js';

/** The sessions table (migration 0006); kept here so the shared schema file stays untouched. */
export interface SessionsTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created: string;
  expires: string;
}

type SessionDb = Kysely<Database & { sessions: SessionsTable }>;

/** Django's default session age: two weeks. */
export const SESSION_MAX_AGE_SECONDS = 14 * 24 * 3600;

const withSessions = (db: Kysely<Database>): SessionDb =>
  db.withTables<{ sessions: SessionsTable }>();

const hashId = (id: string): string => createHash('sha256').update(id).digest('hex');

export interface NewSession {
  readonly id: string;
  readonly csrfToken: string;
}

export async function createSession(
  db: Kysely<Database>,
  userId: number,
  now: Date = new Date(),
): Promise<NewSession> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000);
  const sdb = withSessions(db);
  // Expired rows are removed on each login so the table never grows without bound.
  await sdb.deleteFrom('sessions').where('expires', '<', now.toISOString()).execute();
  await sdb
    .insertInto('sessions')
    .values({
      id_hash: hashId(id),
      user_id: userId,
      csrf_token: csrfToken,
      created: now.toISOString(),
      expires: expires.toISOString(),
    })
    .execute();
  return { id, csrfToken };
}

export interface ActiveSession {
  readonly user: UserRow;
  readonly csrfToken: string;
}

export async function findSession(
  db: Kysely<Database>,
  id: string,
  now: Date = new Date(),
): Promise<ActiveSession | null> {
  const row = await withSessions(db)
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select('sessions.csrf_token')
    .where('sessions.id_hash', '=', hashId(id))
    .where('sessions.expires', '>', now.toISOString())
    .executeTakeFirst();
  if (row === undefined) return null;
  const { csrf_token: csrfToken, ...user } = row;
  return { user, csrfToken };
}

export async function deleteSession(db: Kysely<Database>, id: string): Promise<void> {
  await withSessions(db).deleteFrom('sessions').where('id_hash', '=', hashId(id)).execute();
}
