import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeEachDialect, packageManifest } from '@kiln/testkit';
import { expect, it } from 'vitest';
import { databaseImageAvailability, fileOfType, ROOT_FILETYPES } from '../../machines/index.js';
import { apiFetch } from '../../testing/index.js';
import { startImportFixture, waitIdle } from './import-fixture.js';

const MANIFEST = 'noble/amd64/20250718/squashfs.manifest';

describeEachDialect('squashfs.manifest import', (context) => {
  it('stores the manifest verified like any file, serves its text, and never boots it', async () => {
    const fx = await startImportFixture(context.dialect);
    try {
      await fx.service.startImport('test');
      await waitIdle(fx.service);
      const { url, adminApiKey } = fx.region;
      const db = fx.region.region.db;
      const expected = fx.stream.files.get(MANIFEST);
      expect(expected).toBeDefined();
      const rows = await db
        .selectFrom('boot_resource_files as f')
        .innerJoin('boot_resource_sets as s', 's.id', 'f.set_id')
        .innerJoin('boot_resources as r', 'r.id', 's.resource_id')
        .select(['r.architecture', 'f.filename', 'f.filetype', 'f.sha256', 'f.size'])
        .where('r.name', '=', 'ubuntu/noble')
        .where('f.filetype', '=', 'manifest')
        .execute();
      // Every noble/amd64 kernel (GA, HWE, lowlatency) lists the one shared manifest.
      expect(rows.map((r) => r.architecture).sort()).toEqual([
        'amd64/ga-24.04',
        'amd64/ga-24.04-lowlatency',
        'amd64/hwe-24.04',
      ]);
      for (const row of rows)
        expect(row).toMatchObject({
          filename: 'squashfs.manifest',
          sha256: expected?.sha256,
          size: expected?.size,
        });

      const stored = await readFile(join(fx.service.store.root, expected?.sha256 ?? ''));
      expect(createHash('sha256').update(stored).digest('hex')).toBe(expected?.sha256);
      // What the UI's manifest viewer fetches: the package list, one package per line.
      const served = await fetch(new URL(`boot-resources/${expected?.sha256 ?? ''}/`, url));
      expect(served.status).toBe(200);
      const text = await served.text();
      expect(text).toBe(packageManifest('noble/amd64/20250718'));
      expect(text.split('\n')).toContain('bash\t5.2.21-2ubuntu4~noble.amd64.20250718');

      // The resource API lists it as a complete file of the set.
      const list = (await (
        await apiFetch(url, 'boot-resources/', { apiKey: adminApiKey })
      ).json()) as {
        id: number;
        name: string;
        architecture: string;
      }[];
      const ga = list.find((r) => r.name === 'ubuntu/noble' && r.architecture === 'amd64/ga-24.04');
      const detail = (await (
        await apiFetch(url, `boot-resources/${String(ga?.id ?? 0)}/`, { apiKey: adminApiKey })
      ).json()) as { sets: Record<string, { complete: boolean; files: Record<string, unknown> }> };
      const set = detail.sets['20250718'];
      expect(set?.complete).toBe(true);
      expect(set?.files['squashfs.manifest']).toMatchObject({
        filetype: 'manifest',
        sha256: expected?.sha256,
        complete: true,
      });

      // Boot and deploy take kernel, initrd and root by filetype: the manifest is none of them.
      const image = await databaseImageAvailability(db).find({
        osystem: 'ubuntu',
        release: 'noble',
        arch: 'amd64',
      });
      expect(image?.files.some((f) => f.filetype === 'manifest')).toBe(true);
      expect(image === null ? undefined : fileOfType(image, ROOT_FILETYPES)?.filetype).toBe(
        'squashfs',
      );
      for (const types of [['boot-kernel'], ['boot-initrd'], ROOT_FILETYPES])
        expect(image === null ? undefined : fileOfType(image, types)?.filename).not.toBe(
          'squashfs.manifest',
        );
    } finally {
      await fx.close();
    }
  });

  it('keeps an image bootable when its manifest cannot be fetched, and fetches it next time', async () => {
    const fx = await startImportFixture(context.dialect);
    try {
      const db = fx.region.region.db;
      fx.server.addFault({ kind: 'status', path: /squashfs\.manifest$/, status: 404 });
      await fx.service.startImport('manifest missing');
      await waitIdle(fx.service);
      const manifests = () =>
        db
          .selectFrom('boot_resource_files')
          .select('id')
          .where('filetype', '=', 'manifest')
          .execute();
      expect(await manifests()).toEqual([]);
      const events = await db.selectFrom('events').select('description').execute();
      expect(events.some((e) => e.description.includes(MANIFEST))).toBe(true);
      const query = { osystem: 'ubuntu', release: 'noble', arch: 'amd64' };
      const image = await databaseImageAvailability(db).find(query);
      expect(image?.files.map((f) => f.filetype).sort()).toEqual([
        'boot-initrd',
        'boot-kernel',
        'squashfs',
      ]);

      fx.server.clearFaults();
      await fx.service.startImport('manifest back');
      await waitIdle(fx.service);
      expect((await manifests()).length).toBeGreaterThan(0);
      const again = await databaseImageAvailability(db).find(query);
      expect(again?.files.some((f) => f.filename === 'squashfs.manifest')).toBe(true);
    } finally {
      await fx.close();
    }
  });
});
