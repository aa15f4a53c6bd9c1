import { expect, it } from 'vitest';
import { NODE_STATUS as S } from '@kiln/protocol';
import { describeRegion } from '../../testing/index.js';
import { insertUser } from '../../users/index.js';
import { createApiKey } from '../../auth/index.js';
import { configureMachineServices } from '../services.js';
import { sweepTimedOutMachines } from '../timeouts/timeout-sweeper.js';
import { client, insertCompleteImage, inventoryFiles } from './test-support.js';

let macCounter = 0;
const nextMac = () => `52:54:00:00:10:${(++macCounter).toString(16).padStart(2, '0')}`;

describeRegion('machine lifecycle', (region) => {
  const c = client(region);
  const admin = () => region().adminApiKey;
  const user = () => region().userApiKey;
  const read = async (id: string) =>
    (await (await c.call(admin(), `machines/${id}/`)).json()) as Record<string, unknown>;

  async function newMachine(): Promise<{ id: string; mac: string }> {
    const mac = nextMac();
    const response = await c.post(admin(), 'machines/', {
      architecture: 'amd64/generic',
      mac_addresses: mac,
      power_type: 'manual',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { system_id: string; status: number };
    expect(body.status).toBe(S.NEW);
    return { id: body.system_id, mac };
  }

  async function commissioned(): Promise<{ id: string; mac: string; key: string }> {
    const m = await newMachine();
    expect((await c.post(admin(), `machines/${m.id}/?op=commission`)).status).toBe(200);
    expect((await read(m.id)).status).toBe(S.COMMISSIONING);
    const key = await c.nodeKey(m.id);
    expect(
      (await c.signal(key, { status: 'WORKING', error: 'Starting 00-cpu [1/5]' })).status,
    ).toBe(200);
    expect((await c.signal(key, { status: 'OK' }, inventoryFiles(m.mac))).status).toBe(200);
    return { ...m, key };
  }

  it('walks NEW → COMMISSIONING → READY → ALLOCATED → DEPLOYING → DEPLOYED → DISK_ERASING → READY', async () => {
    await insertCompleteImage(region().region.db);
    const m = await commissioned();
    const ready = await read(m.id);
    expect(ready).toMatchObject({
      status: S.READY,
      status_name: 'Ready',
      cpu_count: 2,
      memory: 2048,
    });
    expect((ready.blockdevice_set as unknown[]).length).toBe(1);
    expect((ready.interface_set as { name: string }[])[0]?.name).toBe('ens3');

    const allocated = await c.post(user(), 'machines/?op=allocate', { system_id: m.id });
    expect(allocated.status).toBe(200);
    expect(await allocated.json()).toMatchObject({ status: S.ALLOCATED, owner: 'user' });

    const userData = Buffer.from('#cloud-config\nruncmd: [echo hi]\n').toString('base64');
    const deploy = await c.post(user(), `machines/${m.id}/?op=deploy`, {
      distro_series: 'ubuntu/24.04',
      user_data: userData,
    });
    expect(deploy.status, await deploy.clone().text()).toBe(200);
    expect(await deploy.json()).toMatchObject({
      status: S.DEPLOYING,
      osystem: 'ubuntu',
      distro_series: 'noble',
    });

    const installer = await c.metadata('curtin/2012-03-01/user-data', { nodeKey: m.key });
    expect(installer.status).toBe(200);
    expect(await installer.text()).toContain('kiln-install');
    const config = await c.metadata('latest/install-config', { nodeKey: m.key });
    expect(await config.text()).toMatch(/^kiln-install-config 1\n[\s\S]*\nend\n?$/);
    const curtin = await c.call(user(), `machines/${m.id}/?op=get_curtin_config`);
    expect(await curtin.json()).toMatchObject({ system_id: m.id, storage: { firmware: 'uefi' } });

    for (const [type, name] of [
      ['start', 'cmd-install'],
      ['start', 'cmd-install/stage-partitioning'],
      ['finish', 'cmd-install/stage-partitioning'],
      ['finish', 'cmd-install'],
    ]) {
      const r = await c.status(m.key, m.id, {
        event_type: type,
        origin: 'kiln-install',
        name,
        description: name,
        result: 'SUCCESS',
      });
      expect(r.status).toBe(204);
    }
    expect(
      (await c.metadata('latest/?op=netboot_off', { method: 'POST', nodeKey: m.key })).status,
    ).toBe(200);
    expect((await read(m.id)).netboot).toBe(false);

    const firstBoot = await c.metadata('2012-03-01/user-data', { nodeKey: m.key });
    expect(firstBoot.status).toBe(200);
    expect(await firstBoot.text()).toBe('#cloud-config\nruncmd: [echo hi]\n');
    expect((await read(m.id)).status).toBe(S.DEPLOYED);

    const details = (await (await c.call(admin(), `machines/${m.id}/?op=details`)).json()) as {
      timeline: { phase: string; duration_seconds: number | null }[];
    };
    const phases = details.timeline.map((t) => t.phase);
    expect(phases).toEqual(
      expect.arrayContaining([
        'Commissioning',
        'Powering on',
        'Commissioned',
        'Allocated',
        'Deploying',
        'cmd-install',
        'Netboot off',
        'Deployed',
      ]),
    );
    expect(details.timeline.slice(0, -1).every((t) => t.duration_seconds !== null)).toBe(true);

    const release = await c.post(user(), `machines/${m.id}/?op=release`, {
      erase: 'true',
      quick_erase: 'true',
    });
    expect(release.status).toBe(200);
    expect((await read(m.id)).status).toBe(S.DISK_ERASING);
    // The deployed system's token died with the deployment.
    expect((await c.metadata('latest/meta-data/instance-id', { nodeKey: m.key })).status).toBe(403);
    const eraseKey = await c.nodeKey(m.id);
    const bundle = await c.metadata('latest/maas-scripts', { nodeKey: eraseKey });
    expect(Buffer.from(await bundle.arrayBuffer()).toString('latin1')).toContain('wipe-disks');
    expect((await c.signal(eraseKey, { status: 'OK' })).status).toBe(200);
    expect(await read(m.id)).toMatchObject({ status: S.READY, owner: null, osystem: '' });
  });

  it('plain release without erasing goes straight back to READY', async () => {
    const m = await commissioned();
    await c.post(user(), 'machines/?op=allocate', { system_id: m.id });
    const release = await c.post(user(), `machines/${m.id}/?op=release`);
    expect(await release.json()).toMatchObject({ status: S.READY, owner: null });
  });

  it('failed commissioning keeps the output', async () => {
    const m = await newMachine();
    await c.post(admin(), `machines/${m.id}/?op=commission`);
    const key = await c.nodeKey(m.id);
    await c.signal(key, { status: 'WORKING', exit_status: '3' }, { '15-broken': 'disk on fire\n' });
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
    expect(await (await c.post(admin(), `machines/${m.id}/?op=mark_fixed`)).json()).toMatchObject({
      status: S.READY,
    });

    await c.post(admin(), `machines/${m.id}/?op=commission`);
    const later = new Date(Date.now() + 31 * 60_000);
    configureMachineServices(region().region.context, { now: () => later });
    try {
      expect(await sweepTimedOutMachines(region().region.context)).toContain(m.id);
    } finally {
      configureMachineServices(region().region.context, { now: () => new Date() });
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
      username: `other${macCounter}`,
      password: 'pw-other-123',
      email: 'o@example.com',
      isAdmin: false,
    });
    const otherKey = await createApiKey(region().region.db, `other${macCounter}`);
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

  it('enlists anonymously once per MAC and answers is_registered', async () => {
    const mac = nextMac();
    const first = await c.post(undefined, 'machines/', {
      architecture: 'amd64',
      mac_addresses: mac,
      commission: 'true',
    });
    expect(first.status).toBe(200);
    const again = await c.post(undefined, 'machines/', {
      architecture: 'amd64',
      mac_addresses: mac,
    });
    expect(((await again.json()) as { system_id: string }).system_id).toBe(
      ((await first.json()) as { system_id: string }).system_id,
    );
    const registered = await c.call(undefined, `machines/?op=is_registered&mac_address=${mac}`);
    expect(await registered.json()).toBe(true);
  });

  it('keeps machine tokens apart', async () => {
    const a = await commissioned();
    const b = await commissioned();
    const idA = await c.metadata('2012-03-01/meta-data/instance-id', { nodeKey: a.key });
    expect(await idA.text()).toBe(a.id);
    const cross = await c.status(a.key, b.id, {
      event_type: 'finish',
      origin: 'x',
      name: 'cmd-install',
      description: 'x',
      result: 'FAIL',
    });
    expect(cross.status).toBe(403);
    expect(
      (await c.metadata('latest/meta-data/instance-id', { nodeKey: region().adminApiKey })).status,
    ).toBe(403);
    expect((await c.metadata('latest/meta-data/instance-id')).status).toBe(401);
    expect((await c.call(a.key, 'machines/')).status).toBe(401);
  });
});
