import { readFile } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { KilnConfig } from '@kiln/node-kit';
import { takeStartUpLock, type Database, type DialectName } from '../db/index.js';
import { recordEvent } from '../events/index.js';
import { readConfigRow, writeConfigRow } from '../maas-config/index.js';
import { saveBootSource } from './boot-sources-repository.js';
import { keyringFileFor } from './default-keyring.js';
import { acceptAllSelections } from './selection-validator.js';
import { saveSelection } from './selections-repository.js';

/** The current Ubuntu LTS, selected by default as MAAS 3.6 does. */
export const DEFAULT_RELEASE = 'noble';

/** Set once a boot source has existed: from then on, no source means the operator deleted it. */
const DEFAULT_CREATED = 'kiln_default_boot_source_created';

/**
 * On a region's first start (no boot source at all, and none ever) create the configured default
 * source and one selection: ubuntu/noble, amd64, every subarch and label. A source the operator
 * deleted stays deleted across restarts (an offline site must not find images.maas.io back).
 * Idempotent and transactional, so two regions starting together on one PostgreSQL create it once.
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
    const everCreated = (await readConfigRow(trx, DEFAULT_CREATED)) === true;
    if (any !== undefined || everCreated) {
      if (!everCreated) await writeConfigRow(trx, DEFAULT_CREATED, true);
      if (any === undefined)
        logger.info('no boot source: the default source was deleted and is not created again');
      return false;
    }
    await writeConfigRow(trx, DEFAULT_CREATED, true);
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
    const keyring = keyringFileFor(config.bootSourceKeyring);
    if (keyring !== config.bootSourceKeyring)
      logger.info(
        { keyring, instead_of: config.bootSourceKeyring },
        "the default boot source is verified with Kiln's copy of Ubuntu's cloud-image keyring",
      );
    await readFile(keyring).catch(() =>
      logger.warn({ keyring }, 'default boot source keyring file is not readable'),
    );
  }
  return created;
}
