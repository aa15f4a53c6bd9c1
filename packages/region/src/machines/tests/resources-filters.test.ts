import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeRegion } from '../../testing/index.js';
import { databaseImageAvailability } from '../images/image-availability.js';
import { startTimeoutSweeper } from '../timeouts/timeout-sweeper.js';
import { client, insertCompleteImage, insertReadyMachines } from './test-support.js';

/** The machine services' clock runs this far ahead of the wall clock (the sweeper test moves it). */
let clockOffsetMs = 0;

describeRegion(
  'machine filters, tags, zones, pools, events, images, sweeper',
  (region) => {
    const c = client(region);
    const admin = () => region().adminApiKey;
    const ids = (body: unknown) => (body as { system_id: string }[]).map((m) => m.system_id).sort();

    it('tags, zones and pools drive list filters and allocate constraints', async () => {
      const [a = '', b = ''] = await insertReadyMachines(region().region.db, 2, 'tf');
      expect((await c.post(admin(), 'tags/', { name: 'gpu', comment: 'has a GPU' })).status).toBe(
        200,
      );
      expect((await c.post(admin(), 'tags/', { name: 'bad tag!' })).status).toBe(400);
      expect(
        await (await c.post(admin(), 'tags/gpu/?op=update_nodes', { add: [a] })).json(),
      ).toEqual({ added: 1, removed: 0 });
      expect((await c.post(admin(), 'zones/', { name: 'rack2' })).status).toBe(200);
      expect((await c.post(admin(), 'resourcepools/', { name: 'batch' })).status).toBe(200);
      expect(
        (
          await c.call(admin(), `machines/${b}/`, {
            method: 'PUT',
            body: new URLSearchParams({ zone: 'rack2', pool: 'batch' }),
          })
        ).status,
      ).toBe(200);
      const badZone = await c.call(admin(), `machines/${b}/`, {
        method: 'PUT',
        body: new URLSearchParams({ zone: 'nowhere' }),
      });
      expect(badZone.status).toBe(400);
      expect(await badZone.json()).toHaveProperty('zone');

      expect(ids(await (await c.call(admin(), 'machines/?tags=gpu')).json())).toEqual([a]);
      expect(ids(await (await c.call(admin(), 'machines/?zone=rack2')).json())).toEqual([b]);
      expect(
        ids(await (await c.call(admin(), 'machines/?pool=batch&status=ready')).json()),
      ).toEqual([b]);
      expect(ids(await (await c.call(admin(), `machines/?id=${a}&id=${b}`)).json())).toEqual(
        [a, b].sort(),
      );
      expect((await c.call(admin(), 'machines/?status=sleepy')).status).toBe(400);
      expect(ids(await (await c.call(admin(), 'tags/gpu/?op=machines')).json())).toEqual([a]);

      const gpu = await c.post(region().userApiKey, 'machines/?op=allocate', {
        tags: 'gpu',
        not_in_zone: 'rack2',
      });
      expect(((await gpu.json()) as { system_id: string }).system_id).toBe(a);
      const inZone = await c.post(region().userApiKey, 'machines/?op=allocate', {
        zone: 'rack2',
        not_tags: 'gpu',
      });
      expect(((await inZone.json()) as { system_id: string }).system_id).toBe(b);
      const allocated = ids(
        await (await c.call(region().userApiKey, 'machines/?op=list_allocated')).json(),
      );
      expect(allocated).toEqual(expect.arrayContaining([a, b]));
      expect((await c.call(admin(), 'zones/default/', { method: 'DELETE' })).status).toBe(400);
    });

    it('the events API filters a machine timeline by node', async () => {
      const [m = ''] = await insertReadyMachines(region().region.db, 1, 'ev');
      await c.post(region().userApiKey, 'machines/?op=allocate', { system_id: m });
      const events = (await (await c.call(admin(), `events/?op=query&id=${m}`)).json()) as {
        events: { type: string; node: string }[];
      };
      expect(events.events.map((e) => e.type)).toEqual(['Allocated']);
      expect(events.events[0]?.node).toBe(m);
    });

    it('an image is available only when every file is complete on every region', async () => {
      const db = region().region.db;
      const images = databaseImageAvailability(db);
      expect(await images.find({ osystem: 'ubuntu', release: 'plucky', arch: 'amd64' })).toBeNull();
      const [kernel = 0] = await insertCompleteImage(db, 'plucky');
      const found = await images.find({ osystem: 'ubuntu', release: 'plucky', arch: 'amd64' });
      expect(found?.files.map((f) => f.filetype).sort()).toEqual([
        'boot-initrd',
        'boot-kernel',
        'squashfs',
      ]);
      expect(found?.files.find((f) => f.filetype === 'squashfs')?.path).toBe(
        `${'c'.repeat(64)}/ubuntu/amd64/ga-24.04/plucky/stable/squashfs`,
      );
      // Half of one file on the region: the set is not complete, so nothing is available.
      await sql`update boot_resource_file_syncs set size = 500 where file_id = ${kernel}`.execute(
        db,
      );
      expect(await images.find({ osystem: 'ubuntu', release: 'plucky', arch: 'amd64' })).toBeNull();
      await sql`update boot_resource_file_syncs set size = 1000 where file_id = ${kernel}`.execute(
        db,
      );
      expect(
        await images.find({ osystem: 'ubuntu', release: 'plucky', arch: 'amd64' }),
      ).not.toBeNull();
      expect(await images.find({ osystem: 'ubuntu', release: 'plucky', arch: 'arm64' })).toBeNull();
    });

    it('the periodic sweeper fails a stuck machine on its own', async () => {
      await insertCompleteImage(region().region.db);
      const [m = ''] = await insertReadyMachines(region().region.db, 1, 'sw');
      const deploy = await c.post(admin(), `machines/${m}/?op=deploy`, {
        distro_series: 'noble',
        ephemeral_deploy: 'true',
      });
      expect(deploy.status).toBe(200);
      const context = region().region.machines;
      clockOffsetMs = 3 * 3600_000;
      const stop = startTimeoutSweeper(context, 20);
      try {
        await expect
          .poll(
            async () =>
              ((await (await c.call(admin(), `machines/${m}/`)).json()) as { status_name: string })
                .status_name,
            { timeout: 10_000, interval: 50 },
          )
          .toBe('Failed deployment');
      } finally {
        stop();
        clockOffsetMs = 0;
      }
    });
  },
  { machines: { now: () => new Date(Date.now() + clockOffsetMs) } },
);
