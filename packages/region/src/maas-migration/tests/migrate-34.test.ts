import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '@kiln/node-kit';
import {
  apiFetch,
  createMaasFixture,
  createTableOnlyRole,
  JAMMY_SUBARCHES,
  startTestRegion,
  type MaasFixture,
  type TestRegion,
} from '../../testing/index.js';
import { ImageStore, stopImageWork } from '../../images/index.js';
import { queryEvents } from '../../events/index.js';
import { assertImageNotMigrating, migrateFromMaas, migrationStatus } from '../index.js';
import type { MigrateOptions, MigrationEvent } from '../index.js';

let maas: MaasFixture;
let kiln: TestRegion;

async function maasSnapshot(fixture: MaasFixture): Promise<string> {
  const tables = [
    'maasserver_bootsource',
    'maasserver_bootsourceselection',
    'maasserver_bootresource',
    'maasserver_bootresourceset',
    'maasserver_bootresourcefile',
    'maasserver_largefile',
    'maasserver_config',
  ];
  const parts: string[] = [];
  for (const t of tables)
    parts.push(JSON.stringify(await fixture.query(`select * from ${t} order by id`)));
  parts.push(
    JSON.stringify(
      await fixture.query(
        'select loid, pageno, md5(data) from pg_largeobject order by loid, pageno',
      ),
    ),
  );
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

function api(path: string): Promise<Response> {
  return apiFetch(kiln.url, path, { apiKey: kiln.adminApiKey });
}

function options(extra: Partial<MigrateOptions> = {}): MigrateOptions {
  return {
    maasDatabaseUrl: maas.url,
    kilnKeyring: '/usr/share/keyrings/ubuntu-cloudimage-keyring.gpg',
    holder: `test-${process.pid}`,
    ...extra,
  };
}

function run(extra: Partial<MigrateOptions> = {}) {
  const r = kiln.region;
  return migrateFromMaas(
    r.db,
    new ImageStore(kiln.config.dataDir),
    r.context.regionId,
    options(extra),
  );
}

async function storeHash(sha: string): Promise<string> {
  const bytes = await readFile(join(kiln.config.dataDir, 'image-storage', sha));
  return createHash('sha256').update(bytes).digest('hex');
}

beforeEach(async () => {
  maas = await createMaasFixture();
  kiln = await startTestRegion({ dialect: 'postgres' });
  // The test region's start-up import (images.maas.io, unreachable here) must not hold the lock.
  await stopImageWork(kiln.region.context);
});

afterEach(async () => {
  await kiln.close();
  await maas.drop();
});

describe(
  'kiln migrate-from-maas on a MAAS 3.4 database (large objects)',
  { timeout: 180_000 },
  () => {
    it('plans with a dry run that changes nothing, then migrates every complete set and reports the rest', async () => {
      const before = await maasSnapshot(maas);
      const dry = await run({ dryRun: true });
      expect(dry.plan.inventory.info.layout).toBe('large-objects');
      expect(dry.plan.inventory.info.version).toMatch(/3\.4 or earlier/);
      // Distinct sha256 of the chosen sets: the shared kernel counts once; focal's newest
      // (wrong-digest) set is what the plan expects to take before the copy proves it bad.
      const s = maas.sizes;
      const expected =
        (s.kernel ?? 0) +
        (s.initrd ?? 0) +
        (s.squashfs ?? 0) +
        (s.grub ?? 0) +
        (s.rhel ?? 0) +
        4096;
      expect(dry.plan.bytesNeeded).toBe(expected);
      expect(dry.toCopy).toBe(expected);
      const jammy = dry.plan.resources.find((r) => r.resource.name === 'ubuntu/jammy');
      expect(jammy?.candidates[0]?.version).toBe('20240301');
      expect(jammy?.skipped[0]?.version).toBe('20240401');
      expect(jammy?.skipped[0]?.reasons.join()).toMatch(/8000 of 999999 bytes/);
      expect(dry.plan.warnings.join('\n')).toMatch(
        /broken amd64\/generic: no complete set.*large object \d+ does not exist/,
      );
      const focal = dry.plan.resources.find((r) => r.resource.name === 'ubuntu/focal');
      expect(focal?.type).toBe(2);
      expect(focal?.notes.join()).toMatch(/legacy generated resource/);
      expect(await kiln.region.db.selectFrom('boot_resources').selectAll().execute()).toEqual([]);
      expect(await readdir(join(kiln.config.dataDir, 'image-storage'))).not.toContain(
        'maas-migration',
      );

      const events: MigrationEvent[] = [];
      const result = await run({ onEvent: (e) => events.push(e), chunkBytes: 1_000_003 });
      expect(await maasSnapshot(maas)).toBe(before);
      expect(result.chosen).toEqual(
        expect.arrayContaining([
          { name: 'ubuntu/jammy', architecture: 'amd64/ga-22.04', version: '20240301' },
          { name: 'grub-efi-signed/uefi', architecture: 'amd64/generic', version: '20240215' },
          { name: 'rhel9', architecture: 'amd64/generic', version: '20240310' },
          // The newer focal set's digest is wrong: the older complete set is taken instead.
          { name: 'ubuntu/focal', architecture: 'amd64/generic', version: '20221201' },
        ]),
      );
      expect(result.chosen).toHaveLength(4);
      expect(result.problems).toEqual([
        expect.objectContaining({ sha256: 'ef'.repeat(32), kind: 'digest' }),
      ]);
      expect(result.notMigrated.join('\n')).toMatch(/broken/);
      // The kernel shared by two sets was read once.
      const kernelCopies = events.filter(
        (e) => e.kind === 'blob' && e.sha256 === maas.sha.kernel && e.outcome === 'copied',
      );
      expect(kernelCopies).toHaveLength(1);
      for (const key of ['kernel', 'initrd', 'squashfs', 'grub', 'rhel', 'focal'])
        expect(await storeHash(maas.sha[key] ?? '')).toBe(maas.sha[key]);
      const store = await readdir(join(kiln.config.dataDir, 'image-storage'));
      expect(store).not.toContain('ef'.repeat(32));
      expect(await readdir(join(kiln.config.dataDir, 'image-storage', 'maas-migration'))).toEqual(
        [],
      );

      // Settings, sources and selections.
      const config = await api('maas/?op=get_config&name=commissioning_distro_series');
      expect(await config.json()).toBe('jammy');
      const auto = await api('maas/?op=get_config&name=boot_images_auto_import');
      expect(await auto.json()).toBe(false);
      const proxy = await api('maas/?op=get_config&name=http_proxy');
      expect(await proxy.json()).toBe('http://proxy.example:3128/');
      expect(result.applied?.keyringNotes.join()).toMatch(/Kiln uses its own keyring/);
      const selections = await kiln.region.db
        .selectFrom('boot_source_selections')
        .selectAll()
        .execute();
      expect(selections.map((x) => `${x.os}/${x.release}`)).toContain('ubuntu/jammy');

      // The API shows them as MAAS did.
      const list = (await (await api('boot-resources/')).json()) as Record<string, unknown>[];
      const byName = new Map(list.map((r) => [`${String(r.name)} ${String(r.architecture)}`, r]));
      expect(byName.get('ubuntu/jammy amd64/ga-22.04')).toMatchObject({
        type: 'Synced',
        subarches: JAMMY_SUBARCHES,
        kflavor: 'generic',
      });
      expect(byName.get('rhel9 amd64/generic')).toMatchObject({
        type: 'Uploaded',
        title: 'RHEL 9 custom',
        base_image: 'rhel/9',
        subarches: 'generic',
      });
      expect(byName.get('ubuntu/focal amd64/generic')).toMatchObject({ type: 'Uploaded' });
      const grubRow = await kiln.region.db
        .selectFrom('boot_resources')
        .selectAll()
        .where('name', '=', 'grub-efi-signed/uefi')
        .executeTakeFirstOrThrow();
      expect(grubRow.bootloader_type).toBe('uefi');
      const jammyId = byName.get('ubuntu/jammy amd64/ga-22.04')?.id;
      const detail = (await (await api(`boot-resources/${String(jammyId)}/`)).json()) as {
        sets: Record<string, { complete: boolean; files: Record<string, { sha256: string }> }>;
      };
      expect(Object.keys(detail.sets)).toEqual(['20240301']);
      expect(detail.sets['20240301']?.complete).toBe(true);
      expect(detail.sets['20240301']?.files.squashfs?.sha256).toBe(maas.sha.squashfs);

      const status = await migrationStatus(kiln.region.db);
      expect(status?.state).toBe('completed');
      const logged = await queryEvents(kiln.region.db, { limit: 100 });
      expect(logged.map((e) => e.type)).toContain('Migrated from MAAS');

      // Idempotent: a second run copies nothing and adds nothing. Only the object whose digest
      // was wrong is read again (it is verified anew each run) and reported again.
      const again = await run();
      expect(again.copied).toBe(0);
      expect(again.bytesRead).toBe(0);
      expect(again.toCopy).toBe(4096);
      expect(again.problems.map((p) => p.kind)).toEqual(['digest']);
      expect(again.applied?.setsCreated).toBe(0);
      expect(await maasSnapshot(maas)).toBe(before);
    });

    it('refuses up front without the space, changes nothing, and a rerun with space finishes', async () => {
      let error: unknown;
      await run({ freeBytes: () => Promise.resolve(1000) }).catch((e: unknown) => (error = e));
      expect(isAppError(error) && error.code).toBe('MAAS_MIGRATION_NO_SPACE');
      expect((error as Error).message).toMatch(/needs \d+ bytes and 1000 bytes are free/);
      expect(await kiln.region.db.selectFrom('boot_resources').selectAll().execute()).toEqual([]);
      expect(await migrationStatus(kiln.region.db)).toBeNull();
      const result = await run();
      expect(result.chosen).toHaveLength(4);
    });

    it('names the GRANT when the role may not read large objects, and works once it is granted', async () => {
      const role = await createTableOnlyRole(maas);
      try {
        let error: unknown;
        await run({ maasDatabaseUrl: role.url }).catch((e: unknown) => (error = e));
        expect(isAppError(error) && error.code).toBe('MAAS_LARGE_OBJECT_PERMISSION');
        const message = (error as Error).message;
        expect(message).toMatch(/permission denied for large object \d+/);
        const grant = /GRANT SELECT ON LARGE OBJECT [\d, ]+ TO "[^"]+";/.exec(message)?.[0];
        expect(grant).toBeDefined();
        expect(await kiln.region.db.selectFrom('boot_resources').selectAll().execute()).toEqual([]);
        await maas.query(grant ?? '');
        const result = await run({ maasDatabaseUrl: role.url });
        expect(result.chosen).toHaveLength(4);
      } finally {
        await maas.drop();
        await role.drop();
        maas = await createMaasFixture();
      }
    });

    it('refuses to commission or deploy from an image while it is being migrated, and says why', async () => {
      const seen: string[] = [];
      await run({
        chunkBytes: 256 * 1024,
        onEvent: (e) => {
          if (e.kind !== 'progress' || seen.length > 0) return;
          seen.push('progress');
          // Checked synchronously from the callback's promise chain below.
          checks.push(
            (async () => {
              const status = await migrationStatus(kiln.region.db);
              expect(status?.state).toBe('running');
              await expect(
                assertImageNotMigrating(kiln.region.db, 'ubuntu', 'jammy', 'amd64/generic'),
              ).rejects.toThrow(/ubuntu\/jammy \(amd64\) is still being migrated from MAAS/);
              await assertImageNotMigrating(kiln.region.db, 'ubuntu', 'noble', 'amd64/generic');
              const notes = await api('notifications/');
              expect(JSON.stringify(await notes.json())).toMatch(/being migrated from MAAS/);
              const importing = await api('boot-resources/?op=is_importing');
              expect(await importing.json()).toBe(true);
            })(),
          );
        },
      });
      expect(seen).toEqual(['progress']);
      await Promise.all(checks);
      await assertImageNotMigrating(kiln.region.db, 'ubuntu', 'jammy', 'amd64/generic');
      const notes = await api('notifications/');
      expect(JSON.stringify(await notes.json())).not.toMatch(/being migrated from MAAS/);
    });
  },
);

const checks: Promise<void>[] = [];
