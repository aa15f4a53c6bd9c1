import { deserialize } from 'bson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRegion, type TestRegion } from '@kiln/region/testing';
import { maasCli, type MaasCli } from './support/maas-cli.js';
import { DEBIAN_PYTHON, maascliSource, requireTools } from './support/tools.js';

/**
 * The real `maas` CLI (canonical/maas's maascli, run with Debian's Python) through an operator's
 * day on every resource Kiln serves: exit status and printed output as an operator sees them.
 */
// One dialect: the CLI sees only HTTP, and the contract suite runs every resource on both.
describe('the maas CLI against Kiln', () => {
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
});
