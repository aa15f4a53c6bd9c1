import { randomInt } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { nowIso, type Database } from '../db/index.js';

const ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz0123456789';

function newSystemId(): string {
  let id = '';
  for (let i = 0; i < 6; i += 1) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)] ?? '';
  return id;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const partial = `${path}.partial`;
  const handle = await open(partial, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partial, path);
}

/**
 * The region's identity is kept in its data directory (`region_id`), like MAAS's maas_id, so that
 * several regions sharing one PostgreSQL database each keep their own; the regions table lists
 * them all. Created on first start (or `kiln init`), reused afterwards.
 */
export async function ensureRegionIdentity(db: Kysely<Database>, dataDir: string): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, 'region_id');
  let systemId = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (systemId === '') {
    systemId = newSystemId();
    await writeAtomically(file, `${systemId}\n`);
  }
  const now = nowIso();
  await db
    .insertInto('regions')
    .values({ system_id: systemId, hostname: hostname(), created: now, updated: now })
    .onConflict((oc) => oc.column('system_id').doUpdateSet({ hostname: hostname(), updated: now }))
    .execute();
  return systemId;
}
