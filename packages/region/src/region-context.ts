import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { KilnConfig } from '@kiln/node-kit';
import type { Database, DialectName } from './db/index.js';
import type { SelectionValidator } from './boot-sources/index.js';

/** What API handlers and services of one running region share; built once in start-region. */
export interface RegionContext {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly config: KilnConfig;
  readonly logger: Logger;
  readonly selectionValidator: SelectionValidator;
  /** This region's identity (regions.system_id). */
  readonly regionId: string;
}
