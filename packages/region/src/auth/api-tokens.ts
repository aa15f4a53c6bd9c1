import { randomInt } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { AppError } from '@kiln/node-kit';
import { nowIso, type ApiTokensTable, type Database } from '../db/index.js';
import { getUserByUsername } from '../users/index.js';

export type ApiTokenRow = Selectable<ApiTokensTable>;

/** MAAS key sizes: consumer key and token key 18 characters, token secret 32. */
export const KEY_LENGTH = 18;
export const SECRET_LENGTH = 32;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomKey(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[randomInt(ALPHABET.length)] ?? '';
  return out;
}

export function formatApiKey(
  token: Pick<ApiTokenRow, 'consumer_key' | 'token_key' | 'token_secret'>,
): string {
  return `${token.consumer_key}:${token.token_key}:${token.token_secret}`;
}

export async function insertApiToken(
  db: Kysely<Database>,
  userId: number,
  name: string,
): Promise<ApiTokenRow> {
  return db
    .insertInto('api_tokens')
    .values({
      user_id: userId,
      name,
      consumer_key: randomKey(KEY_LENGTH),
      token_key: randomKey(KEY_LENGTH),
      token_secret: randomKey(SECRET_LENGTH),
      created: nowIso(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Creates a new API key for `username` and returns it as `consumer_key:token_key:token_secret`. */
export async function createApiKey(
  db: Kysely<Database>,
  username: string,
  name = 'API key',
): Promise<string> {
  const user = await getUserByUsername(db, username);
  return formatApiKey(await insertApiToken(db, user.id, name));
}

export function listApiTokens(db: Kysely<Database>, userId: number): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
}

/** Accepts a bare token key or a whole `ck:tk:ts` key, as MAAS's update_token_name does. */
export function tokenKeyOf(value: string): string {
  const parts = value.split(':');
  return parts.length === 3 ? (parts[1] ?? '') : value;
}

export async function findUserToken(
  db: Kysely<Database>,
  userId: number,
  tokenKey: string,
): Promise<ApiTokenRow> {
  const token = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('token_key', '=', tokenKeyOf(tokenKey))
    .executeTakeFirst();
  if (token === undefined) {
    throw new AppError('AUTH_TOKEN_NOT_FOUND', 'No Token matches the given query.');
  }
  return token;
}

/** Every API key of `username`, as `ck:tk:ts` strings, oldest first. */
export async function listApiKeys(db: Kysely<Database>, username: string): Promise<string[]> {
  const user = await getUserByUsername(db, username);
  return (await listApiTokens(db, user.id)).map(formatApiKey);
}

/** Revokes one key of `username`, given as the whole `ck:tk:ts` key or its token key. */
export async function revokeApiKey(
  db: Kysely<Database>,
  username: string,
  key: string,
): Promise<void> {
  const user = await getUserByUsername(db, username);
  const token = await findUserToken(db, user.id, key);
  await db.deleteFrom('api_tokens').where('id', '=', token.id).execute();
}
