import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegionControllerJsonSchema } from '@kiln/protocol';
import { loadConfig } from '@kiln/node-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegion, type RunningRegion } from '../../server/index.js';
import { apiFetch, startTestRegion, type TestRegion } from '../../testing/index.js';
import { insertCompleteImage } from '../../machines/tests/test-support.js';

/**
 * Two real regions sharing one PostgreSQL database (the multi-region setup): each has its own
 * identity and heartbeat, both answer `regioncontrollers/` with both regions alive, and the image
 * sync state is per region.
 */
describe('[postgres] regioncontrollers/ with two regions on one database', () => {
  let first: TestRegion;
  let second: RunningRegion;
  let secondDir: string;

  beforeAll(async () => {
    first = await startTestRegion({ dialect: 'postgres' });
    secondDir = await mkdtemp(join(tmpdir(), 'kiln-region-b-'));
    second = await startRegion({
      config: loadConfig({
        env: {
          KILN_DATA_DIR: secondDir,
          KILN_DATABASE_URL: first.config.databaseUrl,
          KILN_LISTEN_ADDRESS: '127.0.0.1',
          KILN_REGION_PORT: '0',
        },
      }),
    });
  });

  afterAll(async () => {
    await second.close();
    await rm(secondDir, { recursive: true, force: true });
    await first.close();
  });

  it('lists both regions alive from either region, each with its own sync state', async () => {
    const ids = [first.region.context.regionId, second.context.regionId];
    expect(ids[0]).not.toBe(ids[1]);
    // Both regions hold the image; then the second loses its copy of one file.
    const fileIds = await insertCompleteImage(first.region.db, 'noble', 'amd64');
    await first.region.db
      .updateTable('boot_resource_file_syncs')
      .set({ size: 0 })
      .where('region_id', '=', second.context.regionId)
      .where('file_id', '=', fileIds[0] ?? 0)
      .execute();
    for (const url of [first.url, second.url]) {
      const response = await apiFetch(url, 'regioncontrollers/', { apiKey: first.userApiKey });
      expect(response.status).toBe(200);
      const regions = RegionControllerJsonSchema.array().parse(await response.json());
      expect(regions.map((r) => r.system_id).sort()).toEqual([...ids].sort());
      for (const region of regions) expect(region.service_set[0]?.status).toBe('running');
      const sync = new Map(regions.map((r) => [r.system_id, r.image_sync]));
      expect(sync.get(ids[0] ?? '')).toMatchObject({ status: 'synced', files_complete: 3 });
      expect(sync.get(ids[1] ?? '')).toMatchObject({ status: 'syncing', files_complete: 2 });
    }
  });
});
