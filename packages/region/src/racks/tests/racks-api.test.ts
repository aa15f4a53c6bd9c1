import { expect, it } from 'vitest';
import { getOrCreateRackSecret } from '../../region-identity/index.js';
import { describeRegion } from '../../testing/index.js';
import { client, insertCompleteImage } from '../../machines/tests/test-support.js';

const report = (systemId: string, hostname = 'rack-one') =>
  JSON.stringify({
    system_id: systemId,
    hostname,
    architecture: 'amd64/generic',
    version: '0.1.0',
    cpu_count: 4,
    memory: 8 * 1024 ** 3,
    interfaces: [{ name: 'eth0', mac_address: '52:54:00:aa:bb:cc', addresses: ['10.9.0.2/24'] }],
    services: { http: 'running', tftp: 'off', dhcpd: 'disabled' },
  });

describeRegion('rack controllers', (region) => {
  const c = client(region);
  const admin = () => region().adminApiKey;
  const secret = () => getOrCreateRackSecret(region().region.db);

  it('refuses registration without the right secret, and changes nothing', async () => {
    for (const wrong of ['', 'nope']) {
      const response = await c.post(undefined, 'rack-agent/?op=register', {
        secret: wrong,
        report: report('badrack1'),
      });
      expect(response.status).toBe(wrong === '' ? 400 : 401);
    }
    const list = (await (await c.call(admin(), 'rackcontrollers/')).json()) as unknown[];
    expect(list).toEqual([]);
  });

  it('names the bad field of a malformed report', async () => {
    const response = await c.post(undefined, 'rack-agent/?op=register', {
      secret: await secret(),
      report: JSON.stringify({ system_id: 'NOT OK', hostname: 'x' }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('system_id');
  });

  it('registers, heartbeats and lists the rack with MAAS fields', async () => {
    const registered = await c.post(undefined, 'rack-agent/?op=register', {
      secret: await secret(),
      report: report('rack01'),
    });
    expect(registered.status).toBe(200);
    expect(await registered.json()).toMatchObject({ system_id: 'rack01', heartbeat_interval: 30 });
    const beat = await c.post(undefined, 'rack-agent/?op=heartbeat', {
      secret: await secret(),
      report: report('rack01', 'rack-renamed'),
    });
    expect(beat.status).toBe(200);
    const list = (await (await c.call(admin(), 'rackcontrollers/')).json()) as Record<
      string,
      unknown
    >[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      system_id: 'rack01',
      hostname: 'rack-renamed',
      fqdn: 'rack-renamed.maas',
      architecture: 'amd64/generic',
      node_type: 2,
      node_type_name: 'Rack controller',
      ip_addresses: ['10.9.0.2'],
      cpu_count: 4,
      memory: 8192,
      resource_uri: '/MAAS/api/2.0/rackcontrollers/rack01/',
    });
    const services = (list[0]?.service_set ?? []) as { name: string; status: string }[];
    expect(services.find((s) => s.name === 'http')?.status).toBe('running');
    expect(services.find((s) => s.name === 'tftp')?.status).toBe('off');
    const one = await c.call(admin(), 'rackcontrollers/rack01/');
    expect(((await one.json()) as { interface_set: unknown[] }).interface_set).toHaveLength(1);
    expect((await c.call(admin(), 'rackcontrollers/nosuch/')).status).toBe(404);
  });

  it('lists boot images from the region, accepts import as a no-op, describes power types', async () => {
    await insertCompleteImage(region().region.db, 'noble', 'amd64');
    const images = await c.call(admin(), 'rackcontrollers/rack01/?op=list_boot_images');
    expect(images.status).toBe(200);
    expect(await images.json()).toEqual({
      images: [{ name: 'ubuntu/noble', architecture: 'amd64', subarches: 'ga-24.04' }],
      connected: true,
      status: 'synced',
    });
    expect((await c.post(admin(), 'rackcontrollers/?op=import_boot_images')).status).toBe(202);
    expect((await c.post(admin(), 'rackcontrollers/rack01/?op=import_boot_images')).status).toBe(
      202,
    );
    expect(
      (await c.post(region().userApiKey, 'rackcontrollers/?op=import_boot_images')).status,
    ).toBe(403);
    const power = (await (
      await c.call(admin(), 'rackcontrollers/?op=describe_power_types')
    ).json()) as {
      name: string;
    }[];
    expect(power.map((p) => p.name)).toContain('manual');
  });

  it('keeps the rack registration out of describe/', async () => {
    const doc = JSON.stringify(await (await c.call(admin(), 'describe/')).json());
    expect(doc).toContain('RackControllersHandler');
    expect(doc).not.toContain('RackAgentHandler');
  });
});
