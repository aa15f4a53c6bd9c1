import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeEachDialect, serveDirectory } from '@kiln/testkit';
import { expect, it } from 'vitest';
import { apiFetch, formBody } from '../../testing/index.js';
import {
  fileRequests,
  startImportFixture,
  storeNames,
  waitForEvent,
  waitIdle,
} from './import-fixture.js';

describeEachDialect('image import from a signed loopback stream', (context) => {
  it('fills image-storage with exactly the distinct files, then a second import downloads nothing', async () => {
    const fx = await startImportFixture(context.dialect);
    try {
      const { url, adminApiKey } = fx.region;
      // Saving a selection starts an import (as MAAS's "save" does).
      const created = await apiFetch(url, 'boot-sources/1/selections/', {
        method: 'POST',
        apiKey: adminApiKey,
        body: formBody({
          os: 'ubuntu',
          release: 'jammy',
          arches: 'amd64',
          subarches: '*',
          labels: '*',
        }),
      });
      expect(created.status).toBe(200);
      await waitForEvent(fx.service, 'Image import started');
      await waitIdle(fx.service);
      const db = fx.region.region.db;
      const files = await db.selectFrom('boot_resource_files').select(['sha256', 'size']).execute();
      const distinct = new Map(files.map((f) => [f.sha256, f.size]));
      const names = await storeNames(fx.service);
      expect(names.filter((n) => n !== 'bootloaders').sort()).toEqual([...distinct.keys()].sort());
      for (const [sha, size] of distinct) {
        const bytes = await readFile(join(fx.service.store.root, sha));
        expect(bytes.length).toBe(size);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha);
      }
      const resources = await db
        .selectFrom('boot_resources')
        .select(['name', 'architecture'])
        .execute();
      const releases = new Set(resources.map((r) => r.name).filter((n) => n.startsWith('ubuntu/')));
      expect([...releases].sort()).toEqual(['ubuntu/jammy', 'ubuntu/noble']);
      expect(
        resources.some((r) => r.architecture.startsWith('arm64/') && r.name.startsWith('ubuntu/')),
      ).toBe(false);
      // Only the newest version of each product was imported.
      const versions = await db
        .selectFrom('boot_resource_sets')
        .select('version')
        .distinct()
        .execute();
      expect(versions.map((v) => v.version)).not.toContain('20250101');
      const syncs = await db.selectFrom('boot_resource_file_syncs').selectAll().execute();
      expect(syncs).toHaveLength(files.length);
      expect(syncs.every((s) => s.region_id === fx.region.region.context.regionId)).toBe(true);

      // The API agrees: complete sets, no progress key.
      const list = (await (
        await apiFetch(url, 'boot-resources/', { apiKey: adminApiKey })
      ).json()) as { id: number }[];
      const first = list[0];
      expect(first).toBeDefined();
      const detail = (await (
        await apiFetch(url, `boot-resources/${first?.id ?? 0}/`, { apiKey: adminApiKey })
      ).json()) as {
        sets: Record<string, { complete: boolean; progress?: number }>;
      };
      expect(Object.values(detail.sets).every((s) => s.complete && s.progress === undefined)).toBe(
        true,
      );

      const before = fileRequests(fx.server);
      expect(before).toBe(distinct.size);
      await fx.service.startImport('second');
      await waitIdle(fx.service);
      expect(fileRequests(fx.server)).toBe(before);
      expect(await storeNames(fx.service)).toEqual(names);

      const served = await fetch(
        new URL(`boot-resources/${[...distinct.keys()][0] ?? ''}/label/file`, url),
      );
      expect(served.status).toBe(200);
      const events = await db.selectFrom('events').select(['type', 'description']).execute();
      expect(events.some((e) => e.type === 'Image import finished')).toBe(true);

      // Dropping the jammy selection removes its resources and the files only they used.
      const selections = (await (
        await apiFetch(url, 'boot-sources/1/selections/', { apiKey: adminApiKey })
      ).json()) as { id: number; release: string }[];
      const jammy = selections.find((s) => s.release === 'jammy');
      const removed = await apiFetch(url, `boot-sources/1/selections/${jammy?.id ?? 0}/`, {
        method: 'DELETE',
        apiKey: adminApiKey,
      });
      expect(removed.status).toBe(204);
      await waitForEvent(fx.service, 'Image import started', 3);
      await waitIdle(fx.service);
      const left = await db.selectFrom('boot_resources').select('name').execute();
      expect(left.some((r) => r.name === 'ubuntu/jammy')).toBe(false);
      expect(left.some((r) => r.name === 'ubuntu/noble')).toBe(true);
      const still = new Set(
        (await db.selectFrom('boot_resource_files').select('sha256').execute()).map(
          (f) => f.sha256,
        ),
      );
      const onDisk = (await storeNames(fx.service)).filter((n) => n !== 'bootloaders');
      expect(onDisk.sort()).toEqual([...still].sort());
      expect(still.size).toBeLessThan(distinct.size);
    } finally {
      await fx.close();
    }
  });
});

describeEachDialect('image import from several boot sources', (context) => {
  it('takes identical images from the earlier source only', async () => {
    const fx = await startImportFixture(context.dialect);
    const second = await serveDirectory(fx.stream.root);
    try {
      const { url, adminApiKey } = fx.region;
      const added = await apiFetch(url, 'boot-sources/', {
        method: 'POST',
        apiKey: adminApiKey,
        body: formBody({ url: second.url, keyring_filename: fx.keyringPath }),
      });
      expect(added.status).toBe(201);
      const source = (await added.json()) as { id: number };
      const selected = await apiFetch(url, `boot-sources/${source.id}/selections/`, {
        method: 'POST',
        apiKey: adminApiKey,
        body: formBody({ os: 'ubuntu', release: 'noble', arches: ['amd64', 'arm64'] }),
      });
      expect(selected.status).toBe(200);
      await waitForEvent(fx.service, 'Image import started');
      await waitIdle(fx.service);
      // noble/amd64 is in both: fetched from source 1; arm64 only source 2 selects.
      const secondFiles = second.requests.filter(
        (r) => r.method === 'GET' && !r.path.startsWith('/streams/'),
      );
      expect(secondFiles.length).toBeGreaterThan(0);
      expect(secondFiles.every((r) => r.path.includes('/arm64/'))).toBe(true);
      expect(fileRequests(fx.server)).toBeGreaterThan(0);
      const notes = await fx.region.region.db.selectFrom('notifications').select('ident').execute();
      expect(notes.map((n) => n.ident)).toContain('multiple_boot_sources');
    } finally {
      await second.close();
      await fx.close();
    }
  });
});
