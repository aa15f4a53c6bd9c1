import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadConfig, type KilnConfig } from '@kiln/node-kit';
import { createTestDatabase, type TestDialect } from '@kiln/testkit';
import { createApiKey } from '../auth/index.js';
import { createAdmin, insertUser } from '../users/index.js';
import { startRegion, type RunningRegion, type StartRegionOptions } from '../server/index.js';

export interface StartTestRegionOptions {
  readonly dialect: TestDialect;
  readonly logger?: Logger;
  /** Extra environment-style settings (KILN_*) applied on top of the test defaults. */
  readonly env?: Readonly<Record<string, string>>;
  readonly selectionValidator?: StartRegionOptions['selectionValidator'];
  /** Pieces of the machine services instead of the defaults (a clock, power backoff). */
  readonly machines?: StartRegionOptions['machines'];
  /** Image import settings (`{ schedule: false }`: no start-up or scheduled import). */
  readonly images?: StartRegionOptions['images'];
}

export interface TestRegion {
  /** Base URL ending in /MAAS/, e.g. http://127.0.0.1:40123/MAAS/. */
  readonly url: string;
  /** `ck:tk:ts` of user `admin` (administrator, password `admin-password`). */
  readonly adminApiKey: string;
  /** `ck:tk:ts` of user `user` (not an administrator, password `user-password`). */
  readonly userApiKey: string;
  readonly config: KilnConfig;
  readonly region: RunningRegion;
  /** Stops the region, drops its database and removes its data directory. */
  close(): Promise<void>;
}

/**
 * A real region on 127.0.0.1 with an ephemeral port, a temporary data directory and a fresh
 * database of the given dialect, with one admin and one ordinary user that have API keys.
 */
export async function startTestRegion(options: StartTestRegionOptions): Promise<TestRegion> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kiln-region-'));
  const database = await createTestDatabase(options.dialect);
  let region: RunningRegion | undefined;
  try {
    const config = loadConfig({
      env: {
        KILN_DATA_DIR: dataDir,
        KILN_DATABASE_URL: database.url,
        KILN_LISTEN_ADDRESS: '127.0.0.1',
        KILN_REGION_PORT: '0',
        ...options.env,
      },
    });
    region = await startRegion({
      config,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.selectionValidator === undefined
        ? {}
        : { selectionValidator: options.selectionValidator }),
      ...(options.machines === undefined ? {} : { machines: options.machines }),
      ...(options.images === undefined ? {} : { images: options.images }),
    });
    await createAdmin(region.db, {
      username: 'admin',
      password: 'admin-password',
      email: 'admin@example.com',
    });
    await insertUser(region.db, {
      username: 'user',
      password: 'user-password',
      email: 'user@example.com',
      isAdmin: false,
    });
    const adminApiKey = await createApiKey(region.db, 'admin', 'test admin key');
    const userApiKey = await createApiKey(region.db, 'user', 'test user key');
    const running = region;
    return {
      url: running.url,
      adminApiKey,
      userApiKey,
      config,
      region: running,
      close: async () => {
        await running.close();
        await database.drop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await region?.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
