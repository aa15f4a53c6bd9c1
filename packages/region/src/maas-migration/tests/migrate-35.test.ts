import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '@kiln/node-kit';
import { createTestDatabase, type TestDatabase } from '@kiln/testkit';
import { ensureRegionIdentity } from '../../region-identity/index.js';
import { openRegionDatabase } from '../../server/index.js';
import type { RegionDatabase } from '../../db/index.js';
import { ImageStore } from '../../images/index.js';
import { createMaasFixture, toMidExport, type MaasFixture } from '../../testing/index.js';
import { migrateFromMaas, type MigrateOptions, type MigrationEvent } from '../index.js';

let maas: MaasFixture;
let kilnDb: TestDatabase;
let kiln: RegionDatabase;
let dataDir: string;
let exportDir: string;

async function run(extra: Partial<MigrateOptions> = {}) {
  const regionId = await ensureRegionIdentity(kiln.db, dataDir);
  return migrateFromMaas(kiln.db, new ImageStore(dataDir), regionId, {
    maasDatabaseUrl: maas.url,
    kilnKeyring: '/usr/share/keyrings/ubuntu-cloudimage-keyring.gpg',
    holder: `test-${process.pid}`,
    ...extra,
  });
}

async function stored(sha: string): Promise<string> {
  const bytes = await readFile(join(dataDir, 'image-storage', sha));
  return createHash('sha256').update(bytes).digest('hex');
}

/** A stand-in for a MAAS 3.5+ region's nginx: `/MAAS/boot-resources/<name>/`, with Range. */
async function fakeRegion(
  dir: string,
): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.url ?? ''} ${request.headers.range ?? ''}`);
    const name = /^\/MAAS\/boot-resources\/([0-9a-f]{64})\/$/.exec(request.url ?? '')?.[1];
    if (name === undefined) {
      response.writeHead(404).end();
      return;
    }
    const path = join(dir, name);
    void stat(path).then(
      (info) => {
        const start = Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? '')?.[1] ?? 0);
        response.writeHead(start > 0 ? 206 : 200, { 'content-length': String(info.size - start) });
        createReadStream(path, { start }).pipe(response);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return { server, url: `http://127.0.0.1:${port}/MAAS/`, requests };
}

beforeEach(async () => {
  maas = await createMaasFixture();
  kilnDb = await createTestDatabase('postgres');
  kiln = await openRegionDatabase({ databaseUrl: kilnDb.url });
  dataDir = await mkdtemp(join(tmpdir(), 'kiln-migrate-'));
  exportDir = await mkdtemp(join(tmpdir(), 'maas-image-storage-'));
});

afterEach(async () => {
  await kiln.close();
  await kilnDb.drop();
  await maas.drop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(exportDir, { recursive: true, force: true });
});

describe('kiln migrate-from-maas on MAAS 3.5+ databases', { timeout: 180_000 }, () => {
  it('reads a 3.5 database mid-export from the large objects left and a copied image-storage directory', async () => {
    await toMidExport(maas, [maas.sha.squashfs ?? '', maas.sha.rhel ?? ''], exportDir);
    let error: unknown;
    await run().catch((e: unknown) => (error = e));
    expect(isAppError(error) && error.code).toBe('MAAS_MIGRATION_NEEDS_FILES');
    expect((error as Error).message).toMatch(
      /2 image files are on MAAS region disks.*--image-storage/,
    );

    const dry = await run({ dryRun: true });
    expect(dry.plan.inventory.info.layout).toBe('mid-export');
    expect(dry.plan.inventory.info.version).toMatch(/3\.5\.2–3\.8/);
    const events: MigrationEvent[] = [];
    const result = await run({ imageStorage: exportDir, onEvent: (e) => events.push(e) });
    expect(result.chosen.map((c) => c.name).sort()).toEqual([
      'grub-efi-signed/uefi',
      'rhel9',
      'ubuntu/focal',
      'ubuntu/jammy',
    ]);
    const from = new Map(
      events.flatMap((e) => (e.kind === 'blob' ? [[e.sha256, e.from] as const] : [])),
    );
    expect(from.get(maas.sha.squashfs ?? '')).toMatch(/the directory/);
    expect(from.get(maas.sha.rhel ?? '')).toMatch(/the directory/);
    expect(from.get(maas.sha.kernel ?? '')).toMatch(/large objects/);
    for (const key of ['squashfs', 'rhel', 'kernel', 'initrd'])
      expect(await stored(maas.sha[key] ?? '')).toBe(maas.sha[key]);
  });

  it('reads a 3.8+ database (no large objects at all) over HTTP from a fake MAAS region', async () => {
    const all = ['kernel', 'initrd', 'squashfs', 'grub', 'rhel', 'focal'].map(
      (k) => maas.sha[k] ?? '',
    );
    await toMidExport(maas, [...all, 'ef'.repeat(32)], exportDir);
    await maas.query(
      'ALTER TABLE maasserver_bootresourcefile DROP COLUMN largefile_id; DROP TABLE maasserver_largefile',
    );
    const region = await fakeRegion(exportDir);
    // An earlier run stopped after the first MiB of the squashfs: it must continue with Range.
    const squashfs = maas.sha.squashfs ?? '';
    await mkdir(join(dataDir, 'image-storage', 'maas-migration'), { recursive: true });
    await writeFile(
      join(dataDir, 'image-storage', 'maas-migration', `${squashfs}.partial`),
      (await readFile(join(exportDir, squashfs))).subarray(0, 1024 * 1024),
    );
    try {
      const result = await run({ regionUrl: region.url, chunkBytes: 65_537 });
      expect(result.plan.inventory.info.layout).toBe('disk');
      expect(result.chosen).toHaveLength(4);
      expect(result.chosen.find((c) => c.name === 'ubuntu/focal')?.version).toBe('20221201');
      expect(result.problems.map((p) => `${p.kind} ${p.sha256}`)).toEqual([
        `digest ${'ef'.repeat(32)}`,
      ]);
      for (const sha of all) expect(await stored(sha)).toBe(sha);
      expect(region.requests).toContain(`/MAAS/boot-resources/${squashfs}/ bytes=1048576-`);
      expect(result.resumed).toEqual([{ sha256: squashfs, from: 1024 * 1024 }]);
      const again = await run({ regionUrl: region.url });
      expect(again.copied).toBe(0);
    } finally {
      await new Promise((done) => region.server.close(done));
    }
  });
});
