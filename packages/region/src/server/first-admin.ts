import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createApiKey } from '../auth/index.js';
import type { Database } from '../db/index.js';
import { createAdmin, hasAdmin } from '../users/index.js';

export interface FirstAdmin {
  readonly username: string;
  readonly password: string;
  readonly apiKey: string;
}

/**
 * When no administrator exists, create `admin` with a random password and an API key so a
 * newcomer can log in straight away. Returns null when an admin already exists. The password is
 * only ever returned here, to be shown once.
 */
export async function ensureFirstAdmin(db: Kysely<Database>): Promise<FirstAdmin | null> {
  if (await hasAdmin(db)) return null;
  const password = randomBytes(12).toString('base64url');
  await createAdmin(db, { username: 'admin', password, email: 'admin@localhost' });
  const apiKey = await createApiKey(db, 'admin', 'Created at first start');
  return { username: 'admin', password, apiKey };
}
