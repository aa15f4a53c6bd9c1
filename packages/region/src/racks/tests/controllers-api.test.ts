import {
  BootFileCacheJsonSchema,
  RackControllerJsonSchema,
  RegionControllerJsonSchema,
  type RackCacheReport,
  type RegionControllerJson,
} from '@kiln/protocol';
import { expect, it } from 'vitest';
import { getOrCreateRackSecret } from '../../region-identity/index.js';
import { describeRegion } from '../../testing/index.js';
import { client, insertCompleteImage } from '../../machines/tests/test-support.js';

const report = (systemId: string, cache?: RackCacheReport) =>
  JSON.stringify({
    system_id: systemId,
    hostname: `host-${systemId}`,
    version: '0.1.0',
    services: { http: 'running', tftp: 'running' },
    ...(cache === undefined ? {} : { cache }),
  });

const cacheReport: RackCacheReport = {
  used_bytes: 3_000_000,
  capacity_bytes: 4 * 1024 ** 3,
  files: 3,
  hits: 6,
  misses: 2,
  region_fetches: 3,
  served_bytes: 9_000_000,
};

describeRegion('controllers: rack cache figures and region controllers', (region) => {
  const c = client(region);
  const admin = () => region().adminApiKey;
  const user = () => region().userApiKey;
  const beat = async (op: 'register' | 'heartbeat', body: string) => {
    const response = await c.post(undefined, `rack-agent/?op=${op}`, {
      secret: await getOrCreateRackSecret(region().region.db),
      report: body,
    });
    expect(response.status, await response.clone().text()).toBe(200);
  };
  const rack = async (systemId: string, key = admin()) => {
    const response = await c.call(key, `rackcontrollers/${systemId}/`);
    expect(response.status).toBe(200);
    return RackControllerJsonSchema.parse(await response.json());
  };
  const regions = async (key = admin()): Promise<RegionControllerJson[]> => {
    const response = await c.call(key, 'regioncontrollers/');
    expect(response.status).toBe(200);
    return RegionControllerJsonSchema.array().parse(await response.json());
  };

  it('shows no cache figures for a rack that sends none', async () => {
    await beat('register', report('nocache1'));
    expect((await rack('nocache1')).boot_file_cache).toBeNull();
  });

  it('stores the cache figures of the latest heartbeat and derives the hit rate', async () => {
    await beat('register', report('cache01', { ...cacheReport, hits: 0, misses: 0 }));
    const first = await rack('cache01');
    expect(first.boot_file_cache).toMatchObject({ hits: 0, misses: 0, hit_rate: null });
    await beat('heartbeat', report('cache01', cacheReport));
    const json = await rack('cache01', user());
    expect(BootFileCacheJsonSchema.parse(json.boot_file_cache)).toEqual({
      size: 3_000_000,
      capacity: 4 * 1024 ** 3,
      files: 3,
      hits: 6,
      misses: 2,
      hit_rate: 0.75,
      region_fetches: 3,
      served_bytes: 9_000_000,
      updated: json.last_seen,
      images: null,
    });
    const list = (await (await c.call(user(), 'rackcontrollers/')).json()) as {
      system_id: string;
      boot_file_cache: unknown;
    }[];
    expect(list.find((r) => r.system_id === 'cache01')?.boot_file_cache).toEqual(
      json.boot_file_cache,
    );
    // A rack that stops sending figures (an older agent) keeps none rather than stale ones.
    await beat('heartbeat', report('cache01'));
    expect((await rack('cache01')).boot_file_cache).toBeNull();
  });

  it('records an event and notifies the admins when a rack reports corrupt cached files', async () => {
    const notices = async () =>
      ((await (await c.call(admin(), 'notifications/')).json()) as { message: string }[]).filter(
        (n) => n.message.includes('corrupt cached boot file'),
      );
    await beat('register', report('rotten01', { ...cacheReport, corrupt_files: 0 }));
    expect(await notices()).toEqual([]);
    await beat('heartbeat', report('rotten01', { ...cacheReport, corrupt_files: 2 }));
    await beat('heartbeat', report('rotten01', { ...cacheReport, corrupt_files: 2 }));
    const found = await notices();
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain('found 2 corrupt cached boot file(s)');
    const events = (await (await c.call(admin(), 'events/?op=query')).json()) as {
      events: { type: string; description: string }[];
    };
    expect(events.events.some((e) => e.type === 'Rack cache corruption')).toBe(true);
    // The agent restarted (its counter began again at 1): that one is new too.
    await beat('heartbeat', report('rotten01', { ...cacheReport, corrupt_files: 1 }));
    expect(await notices()).toHaveLength(2);
  });

  it('refuses malformed cache figures with the field named, and changes nothing', async () => {
    const response = await c.post(undefined, 'rack-agent/?op=heartbeat', {
      secret: await getOrCreateRackSecret(region().region.db),
      report: report('cache01', { ...cacheReport, hits: -1 }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('cache.hits');
  });

  it('lists this region alive with its version and image sync state, for any user', async () => {
    const db = region().region.db;
    const self = region().region.context.regionId;
    // A second region that stopped ten minutes ago and holds only part of the images.
    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    await db
      .insertInto('regions')
      .values({ system_id: 'deadrg', hostname: 'region-b.example', created: old, updated: old })
      .execute();
    await db
      .insertInto('region_heartbeats')
      .values({ system_id: 'deadrg', version: '0.0.9', last_seen: old })
      .execute();
    const fileIds = await insertCompleteImage(db, 'noble', 'amd64');
    await db
      .updateTable('boot_resource_file_syncs')
      .set({ size: 500 })
      .where('region_id', '=', 'deadrg')
      .where('file_id', '=', fileIds[2] ?? 0)
      .execute();

    const list = await regions(user());
    expect(list.map((r) => r.system_id).sort()).toEqual(['deadrg', self].sort());
    const mine = list.find((r) => r.system_id === self);
    expect(mine).toMatchObject({
      version: '0.1.0',
      node_type: 3,
      node_type_name: 'Region controller',
      service_set: [{ name: 'regiond', status: 'running' }],
      image_sync: { status: 'synced', files: 3, files_complete: 3, bytes: 3000 },
      resource_uri: `/MAAS/api/2.0/regioncontrollers/${self}/`,
    });
    expect(mine?.last_seen).toMatch(/^\d{4}-\d\d-\d\dT/);
    const dead = list.find((r) => r.system_id === 'deadrg');
    expect(dead).toMatchObject({
      hostname: 'region-b',
      fqdn: 'region-b.example',
      version: '0.0.9',
      service_set: [{ name: 'regiond', status: 'dead' }],
      image_sync: { status: 'syncing', files: 3, files_complete: 2, bytes_complete: 2000 },
    });
    const one = await c.call(user(), `regioncontrollers/${self}/`);
    expect(RegionControllerJsonSchema.parse(await one.json()).system_id).toBe(self);
    expect((await c.call(user(), 'regioncontrollers/nosuch/')).status).toBe(404);
    const filtered = await c.call(user(), 'regioncontrollers/?hostname=region-b');
    expect(((await filtered.json()) as unknown[]).length).toBe(1);
  });

  it("says which of the region's images a rack holds every boot file of", async () => {
    // The noble image of the previous test: files aaaa…, bbbb…, cccc… (complete on this region).
    const [kernel, initrd, root] = ['a', 'b', 'c'].map((c) => c.repeat(64));
    await beat(
      'heartbeat',
      report('cache01', { ...cacheReport, cached: [kernel ?? '', initrd ?? ''] }),
    );
    expect((await rack('cache01')).boot_file_cache?.images).toEqual({
      total: 1,
      cached: 0,
      cached_images: [],
    });
    await beat(
      'heartbeat',
      report('cache01', { ...cacheReport, cached: [root ?? '', kernel ?? '', initrd ?? ''] }),
    );
    expect((await rack('cache01', user())).boot_file_cache?.images).toEqual({
      total: 1,
      cached: 1,
      cached_images: ['ubuntu/noble amd64/ga-24.04'],
    });
    const bad = await c.post(undefined, 'rack-agent/?op=heartbeat', {
      secret: await getOrCreateRackSecret(region().region.db),
      report: report('cache01', { ...cacheReport, cached: ['../etc/passwd'] }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('cache.cached.0');
  });

  it('needs a login to list, an admin to delete, and never deletes a running region', async () => {
    expect((await c.call(undefined, 'regioncontrollers/')).status).toBe(401);
    const self = region().region.context.regionId;
    expect((await c.call(user(), 'regioncontrollers/deadrg/', { method: 'DELETE' })).status).toBe(
      403,
    );
    const running = await c.call(admin(), `regioncontrollers/${self}/`, { method: 'DELETE' });
    expect(running.status).toBe(400);
    expect(await running.text()).toContain('still running');
    expect((await c.call(admin(), 'regioncontrollers/deadrg/', { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await regions()).map((r) => r.system_id)).toEqual([self]);
    const orphanSyncs = await region()
      .region.db.selectFrom('boot_resource_file_syncs')
      .select('file_id')
      .where('region_id', '=', 'deadrg')
      .execute();
    expect(orphanSyncs).toEqual([]);
  });

  it('describes regioncontrollers/ in describe/', async () => {
    const doc = JSON.stringify(await (await c.call(admin(), 'describe/')).json());
    expect(doc).toContain('RegionControllersHandler');
    expect(doc).toContain('RegionControllerHandler');
  });
});
