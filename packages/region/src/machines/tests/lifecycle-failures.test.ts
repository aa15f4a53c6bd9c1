import { expect, it } from 'vitest';
import { NODE_STATUS as S } from '@kiln/protocol';
import { describeRegion } from '../../testing/index.js';
import { createApiKey } from '../../auth/index.js';
import { insertUser } from '../../users/index.js';
import { sweepTimedOutMachines } from '../timeouts/timeout-sweeper.js';
import { insertCompleteImage } from './test-support.js';
import { machineSteps } from './machine-steps.js';

/** The machine services' clock runs this far ahead of the wall clock (the sweeper test moves it). */
let clockOffsetMs = 0;

describeRegion(
  'machine lifecycle failures and refusals',
  (region) => {
    const { c, admin, user, nextMac, read, newMachine, commissioned } = machineSteps(
      region,
      '52:54:00:00:11',
    );
    it('failed commissioning keeps the output', async () => {
      const m = await newMachine();
      await c.post(admin(), `machines/${m.id}/?op=commission`);
      const key = await c.nodeKey(m.id);
      await c.signal(
        key,
        { status: 'WORKING', exit_status: '3' },
        { '15-broken': 'disk on fire\n' },
      );
      await c.signal(key, { status: 'FAILED', error: 'Failed scripts: 15-broken(exit 3)' });
      const body = await read(m.id);
      expect(body).toMatchObject({
        status: S.FAILED_COMMISSIONING,
        error_description: 'Failed scripts: 15-broken(exit 3)',
      });
      const rows = await region()
        .region.db.selectFrom('script_results')
        .selectAll()
        .where('name', '=', '15-broken')
        .execute();
      expect(Buffer.from(rows[0]?.output ?? []).toString()).toBe('disk on fire\n');
    });

    it('a failed install goes to FAILED_DEPLOYMENT with its output in the events', async () => {
      await insertCompleteImage(region().region.db);
      const m = await commissioned();
      await c.post(user(), `machines/${m.id}/?op=deploy`, { distro_series: 'noble' });
      const files = [
        {
          path: 'kiln-install.log',
          encoding: 'base64',
          content: Buffer.from('mkfs.ext4: no space\n').toString('base64'),
        },
      ];
      const r = await c.status(m.key, m.id, {
        event_type: 'finish',
        origin: 'kiln-install',
        name: 'cmd-install',
        description: 'mkfs exited with status 1',
        result: 'FAIL',
        files,
      });
      expect(r.status).toBe(204);
      expect(await read(m.id)).toMatchObject({
        status: S.FAILED_DEPLOYMENT,
        error_description: 'mkfs exited with status 1',
      });
      const events = await region()
        .region.db.selectFrom('events')
        .select('description')
        .where('node_system_id', '=', m.id)
        .where('type', '=', 'cmd-install')
        .execute();
      expect(events.map((e) => e.description).join('\n')).toContain('mkfs.ext4: no space');
    });

    it('accepts a JSON status event labelled as a form, as `curl --data-binary` sends it', async () => {
      await insertCompleteImage(region().region.db);
      const m = await commissioned();
      await c.post(user(), `machines/${m.id}/?op=deploy`, { distro_series: 'noble' });
      const r = await c.status(
        m.key,
        m.id,
        {
          event_type: 'finish',
          origin: 'curl',
          name: 'cmd-install',
          description: 'installer gave up',
          result: 'FAIL',
        },
        'application/x-www-form-urlencoded',
      );
      expect(r.status).toBe(204);
      expect(await read(m.id)).toMatchObject({
        status: S.FAILED_DEPLOYMENT,
        error_description: 'installer gave up',
      });
    });

    it('abort returns deploying machines to ALLOCATED and commissioning ones to NEW', async () => {
      await insertCompleteImage(region().region.db);
      const m = await commissioned();
      await c.post(user(), `machines/${m.id}/?op=deploy`, { distro_series: 'noble' });
      expect(await (await c.post(user(), `machines/${m.id}/?op=abort`)).json()).toMatchObject({
        status: S.ALLOCATED,
        owner: 'user',
      });
      const fresh = await newMachine();
      await c.post(admin(), `machines/${fresh.id}/?op=commission`);
      expect(await (await c.post(admin(), `machines/${fresh.id}/?op=abort`)).json()).toMatchObject({
        status: S.NEW,
      });
    });

    it('failed disk erasing, broken and fixed, and timeouts', async () => {
      const m = await commissioned();
      await c.post(user(), 'machines/?op=allocate', { system_id: m.id });
      await c.post(user(), `machines/${m.id}/?op=release`, { erase: 'true' });
      const key = await c.nodeKey(m.id);
      await c.signal(key, { status: 'FAILED', error: 'wipe-disks failed' });
      expect((await read(m.id)).status).toBe(S.FAILED_DISK_ERASING);
      expect(
        await (
          await c.post(admin(), `machines/${m.id}/?op=mark_broken`, { comment: 'bad disk' })
        ).json(),
      ).toMatchObject({ status: S.BROKEN });
      expect(await (await c.post(admin(), `machines/${m.id}/?op=mark_fixed`)).json()).toMatchObject(
        {
          status: S.READY,
        },
      );

      await c.post(admin(), `machines/${m.id}/?op=commission`);
      clockOffsetMs = 31 * 60_000;
      try {
        expect(await sweepTimedOutMachines(region().region.machines)).toContain(m.id);
      } finally {
        clockOffsetMs = 0;
      }
      expect(await read(m.id)).toMatchObject({ status: S.FAILED_COMMISSIONING });
    });

    it('forbidden transitions answer 409 with MAAS messages; owner rules answer 403; bad input 400', async () => {
      const m = await newMachine();
      const deploy = await c.post(admin(), `machines/${m.id}/?op=deploy`);
      expect(deploy.status).toBe(409);
      expect(await deploy.text()).toBe("Can't deploy a machine that is in the 'New' state");
      const abort = await c.post(admin(), `machines/${m.id}/?op=abort`);
      expect(abort.status).toBe(409);
      expect((await c.post(admin(), `machines/${m.id}/?op=mark_fixed`)).status).toBe(409);

      const ready = await commissioned();
      await c.post(user(), 'machines/?op=allocate', { system_id: ready.id });
      await insertUser(region().region.db, {
        username: `other${region().region.database.dialect}`,
        password: 'pw-other-123',
        email: 'o@example.com',
        isAdmin: false,
      });
      const otherKey = await createApiKey(
        region().region.db,
        `other${region().region.database.dialect}`,
      );
      expect((await c.post(otherKey, `machines/${ready.id}/?op=deploy`)).status).toBe(403);
      expect((await c.post(otherKey, `machines/${ready.id}/?op=release`)).status).toBe(403);
      expect(
        (
          await c.post(user(), 'machines/', {
            architecture: 'amd64/generic',
            mac_addresses: nextMac(),
          })
        ).status,
      ).toBe(403);

      const bad = await c.post(admin(), 'machines/', {
        architecture: 'amd64/generic',
        mac_addresses: 'not-a-mac',
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toHaveProperty('mac_addresses');
      const missing = await c.post(admin(), 'machines/', { mac_addresses: nextMac() });
      expect(await missing.json()).toHaveProperty('architecture');
      const noImage = await c.post(user(), `machines/${ready.id}/?op=deploy`, {
        distro_series: 'ubuntu/18.04',
      });
      expect(noImage.status).toBe(400);
      expect(await noImage.text()).toContain(
        'No complete image is available for ubuntu/bionic on amd64',
      );
      expect((await read(ready.id)).status).toBe(S.ALLOCATED);
    });
  },
  { machines: { now: () => new Date(Date.now() + clockOffsetMs) } },
);
