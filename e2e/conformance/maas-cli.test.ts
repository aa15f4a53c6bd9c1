import { deserialize } from 'bson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRegion, type TestRegion } from '@kiln/region/testing';
import { maasCli, type MaasCli } from './support/maas-cli.js';
import { commissionedMachines } from './support/machines.js';
import { DEBIAN_PYTHON, maascliSource, requireTools } from './support/tools.js';

/**
 * The real `maas` CLI (canonical/maas's maascli, run with Debian's Python) through an operator's
 * day on every resource Kiln serves: exit status and printed output as an operator sees them.
 */
// One dialect: the CLI sees only HTTP, and the contract suite runs every resource on both.
// Each CLI call is a fresh Python process (seconds on a loaded machine): generous test timeouts.
describe('the maas CLI against Kiln', { timeout: 300_000 }, () => {
  let cli: MaasCli;
  let running: TestRegion | undefined;
  const region = (): TestRegion => {
    if (running === undefined) throw new Error('region not started');
    return running;
  };
  beforeAll(async () => {
    requireTools({ 'Debian python3': DEBIAN_PYTHON, maascli: `${maascliSource()}/maascli` });
    cli = await maasCli();
    running = await startTestRegion({ dialect: 'sqlite' });
  });
  afterAll(async () => {
    await cli.close();
    await running?.close();
  });

  it('logs in (describe/ is exactly application/json) and refreshes', async () => {
    const login = await cli.run('login', 'admin', region().url, region().adminApiKey);
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('You are now logged in to the MAAS server');
    const refresh = await cli.run('refresh');
    expect(refresh.code).toBe(0);
    const bad = await cli.run('login', 'nobody', region().url, 'a:b:c');
    expect(bad.code).not.toBe(0);
  });

  it('zones: create, read, update, delete (204 with a content type the CLI reads)', async () => {
    const zone = await cli.json<{ name: string }>(
      'admin',
      'zones',
      'create',
      'name=cli-zone',
      'description=rack A',
    );
    expect(zone.name).toBe('cli-zone');
    const updated = await cli.json<{ description: string }>(
      'admin',
      'zone',
      'update',
      'cli-zone',
      'description=rack B',
    );
    expect(updated.description).toBe('rack B');
    const zones = await cli.json<{ name: string }[]>('admin', 'zones', 'read');
    expect(zones.map((z) => z.name)).toContain('cli-zone');
    const removed = await cli.run('admin', 'zone', 'delete', 'cli-zone');
    expect(removed).toMatchObject({ code: 0, stderr: '' });
    const gone = await cli.run('admin', 'zone', 'read', 'cli-zone');
    expect(gone.code).toBe(2);
  });

  it('machine details is BSON with lshw and lldp XML', async () => {
    const machine = await cli.json<{ system_id: string }>(
      'admin',
      'machines',
      'create',
      'architecture=amd64/generic',
      'mac_addresses=52:54:00:13:00:01',
      'hostname=cli-details',
      'power_type=manual',
    );
    const details = await cli.run('admin', 'machine', 'details', machine.system_id);
    expect(details.code).toBe(0);
    const doc = deserialize(details.raw);
    expect(Object.keys(doc).sort()).toEqual(['lldp', 'lshw']);
  });

  it('spaces, domains, static routes: read, create, update, delete', async () => {
    const spaces = await cli.json<{ name: string }[]>('admin', 'spaces', 'read');
    expect(spaces.map((s) => s.name)).toContain('undefined');
    const space = await cli.json<{ id: number }>('admin', 'spaces', 'create', 'name=storage');
    const renamed = await cli.json<{ name: string }>(
      'admin',
      'space',
      'update',
      String(space.id),
      'name=storage-net',
    );
    expect(renamed.name).toBe('storage-net');
    expect(await cli.run('admin', 'space', 'delete', String(space.id))).toMatchObject({
      code: 0,
      stderr: '',
    });
    const bad = await cli.run('admin', 'spaces', 'create', 'name=bad name!');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('name');

    const domains = await cli.json<{ name: string; is_default: boolean }[]>(
      'admin',
      'domains',
      'read',
    );
    expect(domains[0]).toMatchObject({ name: 'maas', is_default: true });
    const domain = await cli.json<{ id: number }>(
      'admin',
      'domains',
      'create',
      'name=lab.example',
      'ttl=300',
    );
    const updated = await cli.json<{ ttl: number }>(
      'admin',
      'domain',
      'update',
      String(domain.id),
      'ttl=600',
    );
    expect(updated.ttl).toBe(600);
    expect((await cli.run('admin', 'domain', 'delete', String(domain.id))).code).toBe(0);
    expect((await cli.run('admin', 'domain', 'delete', '0')).code).toBe(2);

    const a = await cli.json<{ id: number }>(
      'admin',
      'subnets',
      'create',
      'cidr=10.10.0.0/24',
      'name=a',
    );
    const b = await cli.json<{ id: number }>(
      'admin',
      'subnets',
      'create',
      'cidr=10.20.0.0/24',
      'name=b',
    );
    const route = await cli.json<{ id: number; gateway_ip: string }>(
      'admin',
      'static-routes',
      'create',
      `source=${String(a.id)}`,
      'destination=10.20.0.0/24',
      'gateway_ip=10.10.0.1',
    );
    expect(route.gateway_ip).toBe('10.10.0.1');
    const offSubnet = await cli.run(
      'admin',
      'static-routes',
      'create',
      `source=${String(a.id)}`,
      `destination=${String(b.id)}`,
      'gateway_ip=10.99.0.1',
    );
    expect(offSubnet.code).toBe(2);
    const metric = await cli.json<{ metric: number }>(
      'admin',
      'static-route',
      'update',
      String(route.id),
      'metric=5',
    );
    expect(metric.metric).toBe(5);
    expect((await cli.run('admin', 'static-route', 'delete', String(route.id))).code).toBe(0);
  });

  it('devices, files and SSH keys', async () => {
    const device = await cli.json<{ system_id: string; fqdn: string }>(
      'admin',
      'devices',
      'create',
      'hostname=printer',
      'mac_addresses=52:54:00:13:00:aa',
    );
    expect(device.fqdn).toBe('printer.maas');
    const listed = await cli.json<{ hostname: string }[]>(
      'admin',
      'devices',
      'read',
      'hostname=printer',
    );
    expect(listed.map((d) => d.hostname)).toEqual(['printer']);
    const iface = await cli.json<{ name: string }>(
      'admin',
      'interfaces',
      'create-physical',
      device.system_id,
      'name=eth7',
      'mac_address=52:54:00:13:00:ab',
    );
    expect(iface.name).toBe('eth7');
    expect((await cli.run('admin', 'device', 'delete', device.system_id)).code).toBe(0);
    expect((await cli.run('admin', 'devices', 'create', 'mac_addresses=not-a-mac')).code).toBe(2);

    const added = await cli.run(
      'admin',
      'files',
      'add',
      'filename=state.json',
      `file@=${import.meta.filename}`,
    );
    expect(added.code).toBe(0);
    const files = await cli.json<{ filename: string }[]>('admin', 'files', 'read');
    expect(files.map((f) => f.filename)).toEqual(['state.json']);
    const got = await cli.run('admin', 'files', 'get', 'filename=state.json');
    expect(got.stdout).toContain('the maas CLI against Kiln');
    expect((await cli.run('admin', 'file', 'delete', 'state.json')).code).toBe(0);

    const key =
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ0Y3Vz4m8b5e8a3kP8x2C1pQ9x8z7y6w5v4u3t2s1r operator@laptop';
    const created = await cli.json<{ id: number; key: string }>(
      'admin',
      'sshkeys',
      'create',
      `key=${key}`,
    );
    expect(created.key).toBe(key);
    expect((await cli.json<unknown[]>('admin', 'sshkeys', 'read')).length).toBe(1);
    expect((await cli.run('admin', 'sshkeys', 'create', 'key=ssh-rsa truncated')).code).toBe(2);
    expect((await cli.run('admin', 'sshkey', 'delete', String(created.id))).code).toBe(0);
  });

  it('machines: owner data, allocate, deploy, release as an operator runs them', async () => {
    const [id = ''] = await commissionedMachines(region(), ['cli-day']);
    const owned = await cli.json<{ owner_data: Record<string, string> }>(
      'admin',
      'machine',
      'set-owner-data',
      id,
      'team=storage',
    );
    expect(owned.owner_data).toEqual({ team: 'storage' });
    const allocated = await cli.json<{ status_name: string }>(
      'admin',
      'machines',
      'allocate',
      `system_id=${id}`,
    );
    expect(allocated.status_name).toBe('Allocated');
    const deploying = await cli.json<{ status_name: string }>(
      'admin',
      'machine',
      'deploy',
      id,
      'distro_series=noble',
    );
    expect(deploying.status_name).toBe('Deploying');
    const released = await cli.json<{ status_name: string }>('admin', 'machine', 'release', id);
    expect(['Releasing', 'Ready']).toContain(released.status_name);
    const read = await cli.json<{ owner_data: object }>('admin', 'machine', 'read', id);
    expect(read.owner_data).toEqual({});
    const unknownOp = await cli.run('admin', 'machines', 'read', 'status=not-a-status');
    expect(unknownOp.code).not.toBe(0);
  });
});
