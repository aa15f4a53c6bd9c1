import type { Kysely } from 'kysely';
import type { ErrorCode } from '@kiln/protocol';
import { AppError, isAppError, sameSecret } from '@kiln/node-kit';
import type { Database } from '../db/index.js';
import type { UserRow } from '../users/index.js';
import { useNonce, TIMESTAMP_WINDOW_SECONDS } from './nonces.js';
import { parseOAuthHeader } from './oauth-header.js';
import type { ApiTokenRow } from './api-tokens.js';

export interface Authenticated {
  readonly user: UserRow;
  readonly token: ApiTokenRow;
}

const REQUIRED = [
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_signature',
  'oauth_timestamp',
  'oauth_nonce',
];

function unauthorized(code: ErrorCode, message: string): AppError {
  return new AppError(code, `Authorization Error: ${message}`);
}

/**
 * A full database disk must not take reads down with it: a GET whose nonce cannot be recorded is
 * let through (a replayed read changes nothing); anything that writes still fails, with the
 * database's DB_DISK_FULL error.
 */
async function recordNonce(
  db: Kysely<Database>,
  tokenKey: string,
  nonce: string,
  timestamp: number,
  options: { readOnly?: boolean },
): Promise<boolean> {
  try {
    return await useNonce(db, tokenKey, nonce, timestamp);
  } catch (error) {
    if (options.readOnly === true && isAppError(error) && error.code === 'DB_DISK_FULL')
      return true;
    throw error;
  }
}

/**
 * Checks an OAuth 1.0 PLAINTEXT Authorization header as MAAS clients send it: the signature is
 * `<consumer secret>&<token secret>` with an empty consumer secret; the timestamp must be within
 * the window and the nonce unused. Returns null when the header is not OAuth at all.
 */
export async function authenticateOAuth(
  db: Kysely<Database>,
  header: string,
  nowSeconds: number,
  options: { readOnly?: boolean } = {},
): Promise<Authenticated | null> {
  const params = parseOAuthHeader(header);
  if (params === null) return null;
  const missing = REQUIRED.filter((name) => (params.get(name) ?? '') === '');
  if (missing.length > 0) {
    throw new AppError(
      'AUTH_BAD_REQUEST',
      `Bad Request: Missing OAuth parameters: ${missing.join(', ')}`,
    );
  }
  const get = (name: string): string => params.get(name) ?? '';
  if (get('oauth_signature_method') !== 'PLAINTEXT') {
    throw unauthorized(
      'AUTH_SIGNATURE_METHOD',
      `Unsupported signature method ${get('oauth_signature_method')}; use PLAINTEXT.`,
    );
  }
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('api_tokens')
    .select([
      'users.username',
      'users.email',
      'users.password_hash',
      'users.is_admin',
      'users.created as user_created',
    ])
    .where('api_tokens.token_key', '=', get('oauth_token'))
    .where('api_tokens.consumer_key', '=', get('oauth_consumer_key'))
    .executeTakeFirst();
  if (row === undefined) throw unauthorized('AUTH_INVALID_KEY', 'Invalid API key.');
  if (!sameSecret(get('oauth_signature'), `&${row.token_secret}`)) {
    throw unauthorized('AUTH_INVALID_SIGNATURE', 'Invalid signature.');
  }
  const timestamp = Number(get('oauth_timestamp'));
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > TIMESTAMP_WINDOW_SECONDS) {
    throw unauthorized(
      'AUTH_EXPIRED_TIMESTAMP',
      `Expired timestamp: given ${get('oauth_timestamp')} and now ${nowSeconds} differ by more than ${TIMESTAMP_WINDOW_SECONDS} seconds.`,
    );
  }
  if (!(await recordNonce(db, row.token_key, get('oauth_nonce'), timestamp, options))) {
    throw unauthorized('AUTH_NONCE_REUSED', `Nonce already used: ${get('oauth_nonce')}`);
  }
  const token: ApiTokenRow = {
    id: row.id,
    user_id: row.user_id,
    name: row.name,
    consumer_key: row.consumer_key,
    token_key: row.token_key,
    token_secret: row.token_secret,
    created: row.created,
  };
  const user: UserRow = {
    id: row.user_id,
    username: row.username,
    email: row.email,
    password_hash: row.password_hash,
    is_admin: row.is_admin,
    created: row.user_created,
  };
  return { user, token };
}
