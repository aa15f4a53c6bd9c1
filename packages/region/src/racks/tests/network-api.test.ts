import { DhcpStateSchema } from '@kiln/protocol';
import { expect, it } from 'vitest';
import { getOrCreateRackSecret } from '../../region-identity/index.js';
import { describeRegion } from '../../testing/index.js';
import { client } from '../../machines/tests/test-support.js';

type Json = Record<string, unknown>;

describeRegion('subnets, VLANs and IP ranges', (region) => {
  const c = client(region);
  const admin = () => region().adminApiKey;
  const post = async (path: string, params: Record<string, string | string[]>) => {
    const response = await c.post(admin(), path, params);
    return { status: response.status, body: (await response.json()) as Json };
  };
  const put = async (path: string, params: Record<string, string>) => {
    const response = await c.call(admin(), path, {
      method: 'PUT',
      body: new URLSearchParams(params),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const count = async (path: string) =>
    ((await (await c.call(admin(), path)).json()) as unknown[]).length;

  it('has a default fabric with an untagged VLAN', async () => {
    const fabrics = (await (await c.call(admin(), 'fabrics/')).json()) as Json[];
    expect(fabrics[0]).toMatchObject({ name: 'fabric-0', vlans: [{ vid: 0, dhcp_on: false }] });
    const vlan = await c.call(admin(), 'fabrics/1/vlans/0/');
    expect(await vlan.json()).toMatchObject({ vid: 0, name: 'untagged', primary_rack: null });
    expect((await c.call(admin(), 'fabrics/1/vlans/77/')).status).toBe(404);
  });

  it('rejects bad subnets naming the field, and stores nothing', async () => {
    const cases: [Record<string, string | string[]>, string][] = [
      [{ cidr: '10.1.0.0/33' }, 'cidr'],
      [{ cidr: 'banana' }, 'cidr'],
      [{ cidr: '10.1.0.0/24', gateway_ip: '10.2.0.1' }, 'gateway_ip'],
      [{ cidr: '10.1.0.0/24', gateway_ip: 'x' }, 'gateway_ip'],
      [{ cidr: '10.1.0.0/24', dns_servers: ['8.8.8.8', 'dns.example'] }, 'dns_servers'],
      [{ cidr: '10.1.0.0/24', vlan: '999' }, 'vlan'],
    ];
    for (const [params, field] of cases) {
      const result = await post('subnets/', params);
      expect(result.status, JSON.stringify(params)).toBe(400);
      expect(Object.keys(result.body)).toContain(field);
    }
    expect(await count('subnets/')).toBe(0);
  });

  it('creates a subnet (canonical CIDR) and validates IP ranges against it', async () => {
    const created = await post('subnets/', {
      cidr: '10.1.0.7/24',
      gateway_ip: '10.1.0.1',
      dns_servers: '10.1.0.1 1.1.1.1',
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      cidr: '10.1.0.0/24',
      gateway_ip: '10.1.0.1',
      dns_servers: ['10.1.0.1', '1.1.1.1'],
      vlan: { vid: 0, fabric: 'fabric-0' },
    });
    expect((await post('subnets/', { cidr: '10.1.0.0/24' })).body).toHaveProperty('cidr');
    const subnet = String(created.body.id);
    const bad: [Record<string, string>, string][] = [
      [{ type: 'dynamic', start_ip: '10.1.1.10', end_ip: '10.1.0.20', subnet }, 'start_ip'],
      [{ type: 'dynamic', start_ip: '10.1.0.10', end_ip: '10.1.1.20', subnet }, 'end_ip'],
      [{ type: 'dynamic', start_ip: '10.1.0.30', end_ip: '10.1.0.20', subnet }, 'end_ip'],
      [{ type: 'bogus', start_ip: '10.1.0.10', end_ip: '10.1.0.20', subnet }, 'type'],
      [{ type: 'dynamic', start_ip: 'nope', end_ip: '10.1.0.20', subnet }, 'start_ip'],
      [{ type: 'dynamic', start_ip: '10.1.0.10', end_ip: '10.1.0.20', subnet: '999' }, 'subnet'],
    ];
    for (const [params, field] of bad) {
      const result = await post('ipranges/', params);
      expect(result.status, JSON.stringify(params)).toBe(400);
      expect(Object.keys(result.body), JSON.stringify(result.body)).toContain(field);
    }
    const dynamic = await post('ipranges/', {
      type: 'dynamic',
      start_ip: '10.1.0.100',
      end_ip: '10.1.0.199',
    });
    expect(dynamic.status).toBe(200);
    expect(dynamic.body).toMatchObject({ type: 'dynamic', subnet: { cidr: '10.1.0.0/24' } });
    const overlap = await post('ipranges/', {
      type: 'reserved',
      start_ip: '10.1.0.150',
      end_ip: '10.1.0.210',
    });
    expect(overlap.status).toBe(400);
    expect(JSON.stringify(overlap.body)).toContain('conflicts');
    expect(await count('ipranges/')).toBe(1);
    const moved = await put(`ipranges/${String(dynamic.body.id)}/`, { end_ip: '10.1.1.5' });
    expect(moved.status).toBe(400);
    expect(moved.body).toHaveProperty('end_ip');
  });

  it('turns DHCP on only with a known primary rack and a dynamic range', async () => {
    const noRack = await put('fabrics/1/vlans/0/', { dhcp_on: 'true' });
    expect(noRack.status).toBe(400);
    expect(noRack.body).toHaveProperty('dhcp_on');
    const unknown = await put('fabrics/1/vlans/0/', { dhcp_on: 'true', primary_rack: 'ghost1' });
    expect(unknown.body).toHaveProperty('primary_rack');
    const secret = await getOrCreateRackSecret(region().region.db);
    await c.post(undefined, 'rack-agent/?op=register', {
      secret,
      report: JSON.stringify({
        system_id: 'netrack',
        hostname: 'netrack',
        interfaces: [{ name: 'eth1', mac_address: null, addresses: ['10.1.0.2/24'] }],
      }),
    });
    const on = await put('fabrics/1/vlans/0/', { dhcp_on: 'true', primary_rack: 'netrack' });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ dhcp_on: true, primary_rack: 'netrack' });
  });

  it('gives the rack its DHCP state with a reservation per known machine MAC', async () => {
    const machine = await c.post(admin(), 'machines/', {
      architecture: 'amd64/generic',
      mac_addresses: '52:54:00:12:34:56',
      power_type: 'manual',
      hostname: 'node-one',
    });
    expect(machine.status).toBe(200);
    const secret = await getOrCreateRackSecret(region().region.db);
    const denied = await c.post(undefined, 'rack-agent/?op=dhcp_state', {
      secret: 'wrong',
      system_id: 'netrack',
    });
    expect(denied.status).toBe(401);
    const read = async () => {
      const response = await c.post(undefined, 'rack-agent/?op=dhcp_state', {
        secret,
        system_id: 'netrack',
      });
      expect(response.status).toBe(200);
      return DhcpStateSchema.parse(await response.json());
    };
    const state = await read();
    expect(state.vlans[0]).toMatchObject({ dhcp_on: true, primary_rack: 'netrack' });
    expect(state.ipranges).toHaveLength(1);
    // Outside the dynamic range, not the gateway (.1) and not the rack's own address (.2).
    expect(state.hosts).toEqual([
      { mac: '52:54:00:12:34:56', ip: '10.1.0.3', hostname: 'node-one' },
    ]);
    const again = await read();
    expect(again.hosts).toEqual(state.hosts);
    expect(again.version).toBe(state.version);
  });
});
