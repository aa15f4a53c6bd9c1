// Child process for start-region.test.ts: does a region's first-start database work on the
// configured database and prints the rack secret it ends up with.
import { loadConfig, silentLogger } from '@kiln/node-kit';
import { ensureDefaultBootSource } from '../../boot-sources/index.js';
import { ensureRegionIdentity, getOrCreateRackSecret } from '../../region-identity/index.js';
import { openRegionDatabase } from '../open-region-database.js';

const config = loadConfig({ env: process.env });
const database = await openRegionDatabase(config);
try {
  await ensureRegionIdentity(database.db, config.dataDir);
  await ensureDefaultBootSource(database.db, database.dialect, config, silentLogger());
  process.stdout.write(`${await getOrCreateRackSecret(database.db)}\n`);
} finally {
  await database.close();
}
