import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeEachDialect } from '@kiln/testkit';
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
    } finally {
      await fx.close();
    }
  });
});
