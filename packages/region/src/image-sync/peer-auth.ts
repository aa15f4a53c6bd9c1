import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { insertConfigRowIfAbsent, readConfigRow } from '../maas-config/index.js';

const PEER_SECRET_KEY = 'region_peer_secret';
/** Regions' clocks may differ (failure case 15); a signature is accepted this far either side. */
export const PEER_SIGNATURE_WINDOW_S = 15 * 60;

/**
 * The secret regions sign their peer requests with: generated once, stored in the database every
 * region shares (insert-if-absent, so racing regions keep the first), never sent on the wire.
 * Separate from the rack secret: a rack host knowing its secret cannot act as a region.
 */
export async function getOrCreatePeerSecret(db: Kysely<Database>): Promise<string> {
  const existing = await readConfigRow(db, PEER_SECRET_KEY);
  if (typeof existing === 'string' && existing !== '') return existing;
  return String(
    await insertConfigRowIfAbsent(db, PEER_SECRET_KEY, randomBytes(32).toString('hex')),
  );
}

function mac(secret: string, region: string, time: number, path: string): string {
  return createHmac('sha256', secret).update(`${region}\n${time}\n${path}`).digest('hex');
}

/** `Authorization` value for a GET of `path` by `region`: `KilnRegion <region>:<time>:<hmac>`. */
export function signPeerRequest(
  secret: string,
  region: string,
  path: string,
  nowS = Math.floor(Date.now() / 1000),
): string {
  return `KilnRegion ${region}:${nowS}:${mac(secret, region, nowS, path)}`;
}

/** The signing region, or null when the header is missing, stale or forged. */
export function verifyPeerRequest(
  secret: string,
  header: string | undefined,
  path: string,
  nowS = Math.floor(Date.now() / 1000),
): string | null {
  const m = /^KilnRegion ([a-z0-9]{1,32}):(\d{1,12}):([0-9a-f]{64})$/.exec(header ?? '');
  if (m === null) return null;
  const [, region = '', time = '0', given = ''] = m;
  if (Math.abs(nowS - Number(time)) > PEER_SIGNATURE_WINDOW_S) return null;
  const expected = Buffer.from(mac(secret, region, Number(time), path), 'hex');
  const actual = Buffer.from(given, 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? region : null;
}
