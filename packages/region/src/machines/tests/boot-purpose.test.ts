import { BootAnswerSchema, NODE_STATUS as S } from '@kiln/protocol';
import { expect, it } from 'vitest';
import { getOrCreateRackSecret } from '../../region-identity/index.js';
import { describeRegion } from '../../testing/index.js';
import { BOOT_CONFIG_PATH, MACHINE_EVENT_PATH } from '../boot-purpose/boot-purpose-routes.js';
import { inventoryFiles } from '@kiln/testkit';
import { client, insertCompleteImage } from './test-support.js';

describeRegion('boot purpose for racks', (region) => {
  const c = client(region);
  const ask = async (mac: string | null, secret?: string, rackHttpPort?: number) =>
    fetch(new URL(BOOT_CONFIG_PATH, region().url), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Kiln-Rack-Secret': secret ?? (await getOrCreateRackSecret(region().region.db)),
      },
      body: JSON.stringify({
        mac,
        arch: 'amd64',
        subarch: null,
        uuid: null,
        rack_address: '10.0.0.2',
        ...(rackHttpPort === undefined ? {} : { rack_http_port: rackHttpPort }),
        remote_address: null,
        protocol: 'http',
        loader: 'ipxe',
      }),
    });
  const purpose = async (mac: string | null) => {
    const r = await ask(mac);
    if (r.status === 204) return null;
    return BootAnswerSchema.parse(await r.json());
  };

  it('answers each status as MAAS does, with image files and the preseed URL', async () => {
    expect(await purpose('52:54:00:00:30:01')).toBeNull(); // no image yet: nothing to boot
    await insertCompleteImage(region().region.db);
    const unknown = await purpose('52:54:00:00:30:01');
    expect(unknown).toMatchObject({
      purpose: 'enlist',
      hostname: 'maas-enlist',
      system_id: null,
      release: 'noble',
    });
    expect(unknown && 'preseed_url' in unknown ? unknown.preseed_url : '').toBe(
      'http://10.0.0.2:5248/MAAS/metadata/latest/enlist-preseed/?op=get_enlist_preseed',
    );

    const mac = '52:54:00:00:30:02';
    const created = await c.post(region().adminApiKey, 'machines/', {
      architecture: 'amd64/generic',
      mac_addresses: mac,
    });
    const { system_id: id } = (await created.json()) as { system_id: string };
    const commissioning = await purpose(mac);
    expect(commissioning).toMatchObject({
      purpose: 'commissioning',
      system_id: id,
      kernel: { sha256: 'a'.repeat(64) },
      initrd: { sha256: 'b'.repeat(64) },
      root: { sha256: 'c'.repeat(64) },
    });
    expect(commissioning && 'kernel' in commissioning ? commissioning.kernel.url : '').toBe(
      `http://10.0.0.2:5248/images/${'a'.repeat(64)}/ubuntu/amd64/ga-24.04/noble/stable/boot-kernel`,
    );

    await c.post(region().adminApiKey, `machines/${id}/?op=commission`);
    const key = await c.nodeKey(id);
    await c.signal(key, { status: 'OK' }, inventoryFiles(mac));
    expect((await purpose(mac))?.purpose).toBe('poweroff'); // READY
    await c.post(region().adminApiKey, `machines/${id}/?op=deploy`, { distro_series: 'noble' });
    const xinstall = await purpose(mac);
    expect(xinstall).toMatchObject({ purpose: 'xinstall' });
    expect(xinstall && 'preseed_url' in xinstall ? xinstall.preseed_url : '').toBe(
      `http://10.0.0.2:5248/MAAS/metadata/latest/by-id/${id}/?op=get_preseed`,
    );
    await c.metadata('latest/?op=netboot_off', { method: 'POST', nodeKey: key });
    expect((await purpose(mac))?.purpose).toBe('local');

    const event = await fetch(new URL(MACHINE_EVENT_PATH, region().url), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Kiln-Rack-Secret': await getOrCreateRackSecret(region().region.db),
      },
      body: JSON.stringify({ mac, type: 'Kernel fetched', description: 'boot-kernel over HTTP' }),
    });
    expect(event.status).toBe(204);
    const types = (
      await region()
        .region.db.selectFrom('events')
        .select('type')
        .where('node_system_id', '=', id)
        .execute()
    ).map((e) => e.type);
    expect(types.filter((t) => t === 'Boot config served').length).toBeGreaterThanOrEqual(4);
    expect(types).toContain('Kernel fetched');
    const machine = (await (await c.call(region().adminApiKey, `machines/${id}/`)).json()) as {
      status: number;
    };
    expect(machine.status).toBe(S.DEPLOYING);
  });

  it("writes the rack's own HTTP port into boot and install URLs (a rack on 8248, not 5248)", async () => {
    await insertCompleteImage(region().region.db);
    const mac = '52:54:00:00:30:07';
    const created = await c.post(region().adminApiKey, 'machines/', {
      architecture: 'amd64/generic',
      mac_addresses: mac,
    });
    const { system_id: id } = (await created.json()) as { system_id: string };
    const commissioning = BootAnswerSchema.parse(await (await ask(mac, undefined, 8248)).json());
    expect('kernel' in commissioning ? commissioning.kernel.url : '').toMatch(
      /^http:\/\/10\.0\.0\.2:8248\/images\//,
    );
    expect('preseed_url' in commissioning ? commissioning.preseed_url : '').toMatch(
      /^http:\/\/10\.0\.0\.2:8248\/MAAS\/metadata\//,
    );
    await c.post(region().adminApiKey, `machines/${id}/?op=commission`);
    await c.signal(await c.nodeKey(id), { status: 'OK' }, inventoryFiles(mac));
    await c.post(region().adminApiKey, `machines/${id}/?op=deploy`, { distro_series: 'noble' });
    await ask(mac, undefined, 8248);
    const install = await (
      await c.call(region().adminApiKey, `machines/${id}/?op=get_curtin_config`)
    ).text();
    expect(install).toContain('http://10.0.0.2:8248/');
    expect(install).not.toContain(':5248');
  });

  it('refuses racks without the secret and malformed requests', async () => {
    expect((await ask('52:54:00:00:30:09', 'wrong')).status).toBe(401);
    const bad = await fetch(new URL(BOOT_CONFIG_PATH, region().url), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Kiln-Rack-Secret': await getOrCreateRackSecret(region().region.db),
      },
      body: JSON.stringify({ mac: 'nope' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('mac');
  });
});
