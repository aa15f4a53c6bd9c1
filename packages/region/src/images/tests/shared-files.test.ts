import { describeEachDialect } from '@kiln/testkit';
import { expect, it } from 'vitest';
import { apiFetch, formBody } from '../../testing/index.js';
import { databaseImageAvailability } from '../../machines/index.js';
import { startImportFixture, waitIdle } from './import-fixture.js';

// The GA and HWE kernels of a release share its squashfs (one sha256, one file on disk). A
// resource added by a later import must still count that file as synced, or its image is never
// complete and deploying it is refused (found by the VM failed-deployment scenario, where jammy
// reused noble's kernel and initrd).
describeEachDialect('files shared with an image imported earlier', (context) => {
  it('makes a resource complete whose files another resource already brought', async () => {
    const fx = await startImportFixture(context.dialect);
    try {
      const { url, adminApiKey } = fx.region;
      const select = (subarches: string[], id?: number) =>
        apiFetch(url, `boot-sources/1/selections/${id === undefined ? '' : `${String(id)}/`}`, {
          method: id === undefined ? 'POST' : 'PUT',
          apiKey: adminApiKey,
          body: formBody({ os: 'ubuntu', release: 'jammy', arches: 'amd64', subarches }),
        });
      const created = await select(['ga-22.04']);
      expect(created.status, await created.clone().text()).toBe(200);
      const { id } = (await created.json()) as { id: number };
      await waitIdle(fx.service);
      await fx.service.startImport('test: first import');
      await waitIdle(fx.service);
      const images = databaseImageAvailability(fx.region.region.db);
      const query = { osystem: 'ubuntu', release: 'jammy', arch: 'amd64' };
      // The selection's own import and this one may overlap: wait for the outcome, not a run.
      const subarchFor = async (wanted: string) =>
        (await images.find({ ...query, subarch: wanted }))?.subarch;
      await expect.poll(() => subarchFor('ga-22.04'), { timeout: 60_000 }).toBe('ga-22.04');
      expect((await images.find({ ...query, subarch: 'hwe-22.04' }))?.subarch).toBe('ga-22.04');

      expect((await select(['ga-22.04', 'hwe-22.04'], id)).status).toBe(200);
      await waitIdle(fx.service);
      await fx.service.startImport('test: second import');
      await waitIdle(fx.service);
      await expect.poll(() => subarchFor('hwe-22.04'), { timeout: 60_000 }).toBe('hwe-22.04');
      const hwe = await images.find({ ...query, subarch: 'hwe-22.04' });
      const squashfs = hwe?.files.find((f) => f.filetype === 'squashfs');
      const ga = await images.find({ ...query, subarch: 'ga-22.04' });
      expect(squashfs?.sha256).toBe(ga?.files.find((f) => f.filetype === 'squashfs')?.sha256);
    } finally {
      await fx.close();
    }
  });
});
