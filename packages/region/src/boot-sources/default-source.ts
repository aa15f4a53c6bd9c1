import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { KilnConfig } from '@kiln/node-kit';
import { takeStartUpLock, type Database, type DialectName } from '../db/index.js';
import { recordEvent } from '../events/index.js';
import { saveBootSource } from './boot-sources-repository.js';
import { acceptAllSelections } from './selection-validator.js';
import { saveSelection } from './selections-repository.js';

/** The current Ubuntu LTS, selected by default as MAAS 3.6 does. */
export const DEFAULT_RELEASE = 'noble';

/**
 * On a region's first start (no boot source at all) create the configured default source and
 * one selection: ubuntu/noble, amd64, every subarch and label. Idempotent and transactional, so
 * two regions starting together on one PostgreSQL create it once.
 */
export async function ensureDefaultBootSource(
  db: Kysely<Database>,
  dialect: DialectName,
  config: KilnConfig,
  logger: Logger,
): Promise<boolean> {
  const created = await db.transaction().execute(async (trx) => {
    await takeStartUpLock(trx, dialect);
    const any = await trx.selectFrom('boot_sources').select('id').limit(1).executeTakeFirst();
    if (any !== undefined) return false;
    const source = await saveBootSource(trx, null, {
      url: config.bootSourceUrl,
      keyringFilename: config.bootSourceKeyring,
    });
    await saveSelection(
      trx,
      source,
      null,
      {
        os: 'ubuntu',
        release: DEFAULT_RELEASE,
        arches: ['amd64'],
        subarches: ['*'],
        labels: ['*'],
      },
      acceptAllSelections,
    );
    await recordEvent(trx, {
      type: 'Boot source created',
      description: `Default boot source ${source.url}`,
    });
    return true;
  });
  if (created) {
    logger.info({ url: config.bootSourceUrl }, 'created the default boot source');
    // A missing keyring is not fatal here (imports report it), but an operator should know early.
    await readFile(config.bootSourceKeyring).catch(() =>
      logger.warn(
        { keyring: config.bootSourceKeyring },
        'default boot source keyring file is not readable',
      ),
    );
  }
  return created;
}
