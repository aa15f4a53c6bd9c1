import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError, sameSecret } from '@kiln/node-kit';
import {
  KEY_LENGTH,
  SECRET_LENGTH,
  TIMESTAMP_WINDOW_SECONDS,
  parseOAuthHeader,
  useNonce,
} from '../../auth/index.js';
import { nowIso, type Database } from '../../db/index.js';
import type { MachineRow } from '../repository/tables.js';

/**
 * Per-machine OAuth credentials (MAAS's NodeKey): the ephemeral environment, the installer and the
 * deployed OS's cloud-init sign metadata requests with them. They live apart from user API tokens,
 * so a machine's token can never call the REST API and only ever identifies that one machine.
 */
import type { NodeCredentials } from '../install-config/index.js';

export type { NodeCredentials };

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomKey = (length: number): string =>
  Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)] ?? 'A').join('');

export async function ensureNodeToken(
  db: Kysely<Database>,
  machineId: number,
): Promise<NodeCredentials> {
  const existing = await db
    .selectFrom('node_tokens')
    .select(['consumer_key', 'token_key', 'token_secret'])
    .where('machine_id', '=', machineId)
    .executeTakeFirst();
  if (existing !== undefined) return existing;
  const created = {
    consumer_key: randomKey(KEY_LENGTH),
    token_key: randomKey(KEY_LENGTH),
    token_secret: randomKey(SECRET_LENGTH),
  };
  await db
    .insertInto('node_tokens')
    .values({ machine_id: machineId, ...created, created: nowIso() })
    .onConflict((oc) => oc.column('machine_id').doNothing())
    .execute();
  // A concurrent caller may have won the insert: read back whatever is stored.
  return db
    .selectFrom('node_tokens')
    .select(['consumer_key', 'token_key', 'token_secret'])
    .where('machine_id', '=', machineId)
    .executeTakeFirstOrThrow();
}

/** Forget a machine's credentials (on release: the next owner's data is not readable with them). */
export async function revokeNodeToken(db: Kysely<Database>, machineId: number): Promise<void> {
  await db.deleteFrom('node_tokens').where('machine_id', '=', machineId).execute();
}

/**
 * The machine an Authorization header identifies (spec §6.1): 401 without credentials or with a
 * bad signature/timestamp/nonce, 403 "Not authenticated as a known node." for an unknown token.
 */
export async function authenticateNode(
  db: Kysely<Database>,
  header: string | undefined,
  nowSeconds: number,
): Promise<MachineRow> {
  const params = header === undefined || header === '' ? null : parseOAuthHeader(header);
  if (params === null) {
    throw new AppError('METADATA_AUTH_REQUIRED', 'Authorization required.');
  }
  const get = (name: string): string => params.get(name) ?? '';
  const row = await db
    .selectFrom('node_tokens')
    .innerJoin('machines', 'machines.id', 'node_tokens.machine_id')
    .selectAll('machines')
    .select(['node_tokens.consumer_key as nt_consumer', 'node_tokens.token_secret as nt_secret'])
    .where('node_tokens.token_key', '=', get('oauth_token'))
    .executeTakeFirst();
  if (row === undefined) {
    throw new AppError('METADATA_UNKNOWN_NODE', 'Not authenticated as a known node.');
  }
  if (
    !sameSecret(get('oauth_consumer_key'), row.nt_consumer) ||
    !sameSecret(get('oauth_signature'), `&${row.nt_secret}`)
  ) {
    throw new AppError('METADATA_AUTH_INVALID', 'Authorization Error: Invalid signature.');
  }
  const timestamp = Number(get('oauth_timestamp'));
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > TIMESTAMP_WINDOW_SECONDS) {
    throw new AppError('METADATA_AUTH_EXPIRED', 'Authorization Error: Expired timestamp.');
  }
  if (
    get('oauth_nonce') === '' ||
    !(await useNonce(db, get('oauth_token'), get('oauth_nonce'), timestamp))
  ) {
    throw new AppError('METADATA_AUTH_NONCE', 'Authorization Error: Nonce already used.');
  }
  const { nt_consumer: _c, nt_secret: _s, ...machine } = row;
  return machine;
}
