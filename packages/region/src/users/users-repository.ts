import type { Kysely, Selectable } from 'kysely';
import { AppError } from '@kiln/node-kit';
import { nowIso, type Database, type UsersTable } from '../db/index.js';
import { hashPassword } from './passwords.js';

export type UserRow = Selectable<UsersTable>;

export interface NewUser {
  readonly username: string;
  readonly email: string;
  readonly password: string;
  readonly isAdmin: boolean;
}

const USERNAME = /^[\w.@+-]{1,150}$/;

/** Field problems in MAAS's form-error shape ({field: [messages]}); empty when valid. */
export async function validateNewUser(
  db: Kysely<Database>,
  user: NewUser,
): Promise<Record<string, string[]>> {
  const problems: Record<string, string[]> = {};
  if (user.username === '') problems.username = ['This field is required.'];
  else if (!USERNAME.test(user.username)) {
    problems.username = [
      'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
    ];
  } else if (await findUserByUsername(db, user.username)) {
    problems.username = ['A user with that username already exists.'];
  }
  if (user.email === '') problems.email = ['This field is required.'];
  else if (!/^[^\s@]+@[^\s@]+$/.test(user.email)) problems.email = ['Enter a valid email address.'];
  if (user.password === '') problems.password = ['This field is required.'];
  return problems;
}

export async function insertUser(db: Kysely<Database>, user: NewUser): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({
      username: user.username,
      email: user.email,
      password_hash: await hashPassword(user.password),
      is_admin: user.isAdmin ? 1 : 0,
      created: nowIso(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findUserByUsername(
  db: Kysely<Database>,
  username: string,
): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function getUserByUsername(db: Kysely<Database>, username: string): Promise<UserRow> {
  const user = await findUserByUsername(db, username);
  if (user === undefined) throw new AppError('USER_NOT_FOUND', 'No User matches the given query.');
  return user;
}

export function listUsers(db: Kysely<Database>): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('username').execute();
}

export async function hasAdmin(db: Kysely<Database>): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('is_admin', '=', 1)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
