import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  RackControllerJsonSchema,
  RegionControllerJsonSchema,
  type BootFileCacheJson,
} from '@kiln/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRackAgent, type RunningRackAgent } from '@kiln/rack';
import { getOrCreateRackSecret } from '@kiln/region';
import { apiFetch } from '@kiln/region/testing';
import { quietLogger, startImportedRegion, type ImportedRegion } from './test-support.js';

const CACHE_BYTES = 256 * 1024 * 1024;

/** Polls (heartbeats are asynchronous) until `check` passes or the deadline is reached. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => void): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    try {
      check(value);
      return value;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * A real rack agent against a real region that imported the testkit stream: what the rack's
 * cache did (a cold fetch, then a hit) reaches the region in heartbeats and shows in
 * `rackcontrollers/`; the region lists itself in `regioncontrollers/` with every file synced.
 */
describe('rack cache figures in heartbeats', () => {
  let imported: ImportedRegion;
  let agent: RunningRackAgent;
  let dataDir: string;
  const api = (path: string) =>
    apiFetch(imported.region.url, path, { apiKey: imported.region.userApiKey });
  const cacheOnRegion = async (): Promise<BootFileCacheJson | null> => {
    const response = await api(`rackcontrollers/${agent.identity.system_id}/`);
    return RackControllerJsonSchema.parse(await response.json()).boot_file_cache;
  };

  beforeAll(async () => {
    imported = await startImportedRegion();
    dataDir = await mkdtemp(join(tmpdir(), 'kiln-rack-cache-beat-'));
    agent = await startRackAgent({
      dataDir,
      regionUrls: [imported.region.url],
      secret: await getOrCreateRackSecret(imported.region.region.db),
      logger: quietLogger(),
      listenAddress: '127.0.0.1',
      httpPort: 0,
      tftpPort: null,
      hostname: 'rack-cache',
      heartbeatIntervalMs: 200,
      cacheSize: CACHE_BYTES,
      interfaces: () => [{ name: 'kiln-test0', addresses: ['10.78.0.2/24'] }],
      dhcp: false,
    });
    await agent.registered;
  }, 120_000);

  afterAll(async () => {
    await agent.close();
    await imported.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('registers with an empty cache', async () => {
    await eventually(cacheOnRegion, (cache) => {
      expect(cache).toMatchObject({
        size: 0,
        capacity: CACHE_BYTES,
        files: 0,
        hits: 0,
        misses: 0,
        hit_rate: null,
        region_fetches: 0,
      });
    });
  });

  it('reports a miss, a hit, the bytes and one region fetch after a file is served twice', async () => {
    const file = await imported.region.region.db
      .selectFrom('boot_resource_files')
      .select(['sha256', 'size'])
      .where('filetype', '=', 'boot-kernel')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 2; i += 1) {
      const response = await fetch(
        `http://127.0.0.1:${String(agent.httpPort)}/images/${file.sha256}/boot-kernel`,
      );
      expect(response.status).toBe(200);
      const body = Buffer.from(await response.arrayBuffer());
      expect(createHash('sha256').update(body).digest('hex')).toBe(file.sha256);
    }
    // A heartbeat can be read between a reader's open (counted at once) and its last byte
    // (counted as it is sent), so wait for figures that include all of both requests.
    const cache = await eventually(cacheOnRegion, (value) => {
      expect(value).toMatchObject({
        files: 1,
        hits: 1,
        misses: 1,
        size: file.size,
        capacity: CACHE_BYTES,
        hit_rate: 0.5,
        region_fetches: 1,
        served_bytes: 2 * file.size,
      });
    });
    // One file of an image is not the image: nothing is bootable from the cache alone yet.
    expect(cache?.images?.cached).toBe(0);
    expect(cache?.images?.total).toBeGreaterThan(0);
    // The same figures the rack's own status and /metrics show.
    expect(agent.cache.stats()).toEqual({
      maxBytes: CACHE_BYTES,
      usedBytes: file.size,
      entries: 1,
    });
  });

  it('counts an image as cached once every boot file of it is in the cache', async () => {
    const db = imported.region.region.db;
    const kernel = await db
      .selectFrom('boot_resource_files')
      .select('set_id')
      .where('filetype', '=', 'boot-kernel')
      .executeTakeFirstOrThrow();
    const files = await db
      .selectFrom('boot_resource_files')
      .select(['sha256', 'filename'])
      .where('set_id', '=', kernel.set_id)
      .execute();
    for (const file of files.filter((f) => !f.filename.includes('manifest'))) {
      const response = await fetch(
        `http://127.0.0.1:${String(agent.httpPort)}/images/${file.sha256}/${file.filename}`,
      );
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const cache = await eventually(cacheOnRegion, (value) => {
      expect(value?.images?.cached).toBe(1);
    });
    expect(cache?.images?.cached_images).toHaveLength(1);
    expect(cache?.images?.cached_images[0]).toMatch(/^ubuntu\/\w+ amd64\//);
  });

  it('lists the region alive with every imported file synced', async () => {
    const response = await api('regioncontrollers/');
    const regions = RegionControllerJsonSchema.array().parse(await response.json());
    expect(regions).toHaveLength(1);
    const files = await imported.region.region.db
      .selectFrom('boot_resource_files')
      .select('sha256')
      .distinct()
      .execute();
    expect(regions[0]).toMatchObject({
      system_id: imported.region.region.context.regionId,
      service_set: [{ name: 'regiond', status: 'running' }],
      image_sync: { status: 'synced', files: files.length, files_complete: files.length },
    });
    expect(files.length).toBeGreaterThan(0);
  });
});
