import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { KilnConfig } from '@kiln/node-kit';
import type { Database, DialectName } from './db/index.js';

/**
 * What every API handler and service of one running region shares; built once in start-region.
 * Domain services (image import, power drivers, ...) are not here: the composition root hands
 * each domain the ones it needs.
 */
export interface RegionContext {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly config: KilnConfig;
  readonly logger: Logger;
  /** This region's identity (regions.system_id). */
  readonly regionId: string;
}
