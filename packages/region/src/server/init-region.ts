import { mkdir } from 'node:fs/promises';
import type { KilnConfig } from '@kiln/node-kit';
import { ensureRegionIdentity } from '../region-identity/index.js';
import { openRegionDatabase } from './open-region-database.js';

export interface InitResult {
  readonly dataDir: string;
  readonly regionId: string;
  readonly dialect: string;
}

/** `kiln init`: data directory, database schema and region identity, without starting servers. */
export async function initRegion(config: KilnConfig): Promise<InitResult> {
  await mkdir(config.dataDir, { recursive: true });
  const database = await openRegionDatabase(config);
  try {
    const regionId = await ensureRegionIdentity(database.db, config.dataDir);
    return { dataDir: config.dataDir, regionId, dialect: database.dialect };
  } finally {
    await database.close();
  }
}
