import { expect, it } from 'vitest';
import { NODE_STATUS as S } from '@kiln/protocol';
import { describeRegion } from '../../testing/index.js';
import { insertCompleteImage } from './test-support.js';
import { machineSteps } from './machine-steps.js';

describeRegion('machine lifecycle', (region) => {
  const { c, admin, user, nextMac, read, commissioned } = machineSteps(region, '52:54:00:00:10');
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

    const details = (await (
      await c.call(admin(), `machines/${m.id}/?op=details`, {
        headers: { Accept: 'application/json' },
      })
    ).json()) as {
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
    // B is READY: no preseed for anyone; while B commissions, A's signed request still gets none.
    expect((await c.metadata(`latest/by-id/${b.id}/?op=get_preseed`)).status).toBe(403);
    await c.post(admin(), `machines/${b.id}/?op=commission`);
    const signed = await c.metadata(`latest/by-id/${b.id}/?op=get_preseed`, { nodeKey: a.key });
    expect(signed.status).toBe(403);
    expect(await signed.text()).toBe('Not authenticated as this node.');
  });
});
