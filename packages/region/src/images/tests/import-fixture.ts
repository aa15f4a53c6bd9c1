import { readdir } from 'node:fs/promises';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  makeFixtureStream,
  makeOpenpgpTestKey,
  serveDirectory,
  type DirectoryServer,
  type FixtureStream,
  type TestDialect,
} from '@kiln/testkit';
import { setConfigValue } from '../../maas-config/index.js';
import { startTestRegion, type TestRegion } from '../../testing/index.js';
import type { ImageService } from '../importer/import-service.js';

export interface ImportFixture {
  readonly dir: string;
  readonly stream: FixtureStream;
  readonly server: DirectoryServer;
  readonly keyringPath: string;
  readonly region: TestRegion;
  readonly service: ImageService;
  close(): Promise<void>;
}

/**
 * A signed fixture stream served on loopback and a real region whose default boot source points
 * at it (noble/amd64 selected). Auto-import is switched off at once so tests decide when to import.
 */
export async function startImportFixture(
  dialect: TestDialect,
  options: { env?: Record<string, string>; dataDir?: string } = {},
): Promise<ImportFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-import-'));
  const key = await makeOpenpgpTestKey();
  const stream = await makeFixtureStream({
    dir,
    signing: { kind: 'openpgp', key: key.signingKey },
  });
  const keyringPath = join(dir, 'keyring.gpg');
  await writeFile(keyringPath, key.publicKeyring);
  const server = await serveDirectory(stream.root);
  const region = await startTestRegion({
    dialect,
    env: {
      KILN_BOOT_SOURCE_URL: server.url,
      KILN_BOOT_SOURCE_KEYRING: keyringPath,
      ...(options.dataDir === undefined ? {} : { KILN_DATA_DIR: options.dataDir }),
      ...options.env,
    },
  });
  await setConfigValue(region.region.db, 'boot_images_auto_import', 'false');
  const service = region.region.images;
  return {
    dir,
    stream,
    server,
    keyringPath,
    region,
    service,
    close: async () => {
      await region.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until no import runs anywhere (including a re-run queued while one ran). */
export async function waitIdle(service: ImageService): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const running = service.running;
    if (running !== null) await running;
    else if (!(await service.isImporting())) return;
    else await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import still running after 60 s');
}

/** Waits for an event of `type` to be recorded (a trigger that fires after the response). */
export async function waitForEvent(service: ImageService, type: string, count = 1): Promise<void> {
  // Generous: on a loaded 2-core machine the trigger may take seconds to run.
  for (let i = 0; i < 1800; i++) {
    const rows = await service.region.db
      .selectFrom('events')
      .select('id')
      .where('type', '=', type)
      .execute();
    if (rows.length >= count) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no "${type}" event after 45 s`);
}

export async function storeNames(service: ImageService): Promise<string[]> {
  return (await readdir(service.store.root)).sort();
}

/** GET requests for stream files (not documents) the server answered. */
export function fileRequests(server: DirectoryServer): number {
  return server.requests.filter((r) => r.method === 'GET' && !r.path.startsWith('/streams/'))
    .length;
}
