import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRegion, type TestRegion } from '@kiln/region/testing';
import { buildProbe, runProbe, type ProbeLine } from './support/gomaasapi.js';
import { commissionedMachines } from './support/machines.js';
import { DEBIAN_GO, GOMAASAPI_SRC, requireTools } from './support/tools.js';

/**
 * Juju's gomaasapi (Debian's package, unmodified): every method of its typed Controller against a
 * Kiln with commissioned machines. gomaasapi checks each object against its schema, so a missing
 * field or a wrong type is a failed call here.
 */
describe('gomaasapi (Juju) against Kiln', () => {
  let region: TestRegion | undefined;
  let lines: ProbeLine[] = [];
  beforeAll(async () => {
    requireTools({ 'Debian go': DEBIAN_GO, gomaasapi: GOMAASAPI_SRC });
    const [binary, started] = await Promise.all([
      buildProbe(),
      startTestRegion({ dialect: 'sqlite' }),
    ]);
    region = started;
    await commissionedMachines(started, ['juju-1', 'juju-2']);
    lines = await runProbe(binary, [started.url, started.adminApiKey, 'probe']);
  }, 600_000);
  afterAll(async () => {
    await region?.close();
  });
  const call = (name: string): ProbeLine => {
    const line = lines.find((l) => l.call === name);
    if (line === undefined)
      throw new Error(`the probe never reached ${name}: ${JSON.stringify(lines)}`);
    return line;
  };

  it('every call succeeds', () => {
    expect(lines.filter((l) => !l.ok)).toEqual([]);
    expect(lines.at(-1)?.call).toBe('ReleaseMachines');
  });

  it('reads the controller-wide resources', () => {
    expect(call('APIVersionInfo').result).toEqual(['3.6.5', 'kiln-0.1.0']);
    expect(call('Zones').result).toContain('default');
    expect(call('Pools').result).toContain('default');
    expect(call('Spaces').result).toEqual(expect.arrayContaining(['undefined']));
    expect(call('Fabrics').result).toEqual(expect.arrayContaining(['fabric-0']));
    expect(call('Domains').result).toEqual(['maas']);
    expect(call('BootResources').result).toEqual(['ubuntu/noble amd64/ga-24.04']);
  });

  it('lists machines with their disks and interfaces, and filters them', () => {
    expect(call('Machines').result).toEqual([
      'juju-1 disks=1 interfaces=1',
      'juju-2 disks=1 interfaces=1',
    ]);
    expect(call('Machines(Hostnames)').result).toEqual(['juju-1']);
    expect(call('Machines(Zone)').result).toBe(2);
  });

  it('allocates with constraints, keeps owner data, deploys and releases', () => {
    expect(call('AllocateMachine').result).toMatchObject({
      status: 'Allocated',
      storage_matches: 0,
      disks: 1,
      boot_interface: true,
    });
    expect(call('Machines(OwnerData)').result).toHaveLength(1);
    expect(call('SetOwnerData(clear)').result).toEqual({ 'juju-model-uuid': 'f00d' });
    expect(call('Start').result).toBe('Deploying');
    expect(call('ReleaseMachines').ok).toBe(true);
  });

  it('creates, lists and deletes devices', () => {
    expect(call('CreateDevice').result).toMatchObject({
      hostname: 'probe-device',
      fqdn: 'probe-device.maas',
      interfaces: 1,
    });
    expect(call('Devices').result).toEqual(['probe-device']);
    expect(call('Device.CreateInterface').result).toBe('eth1');
    expect(call('Device.Delete').ok).toBe(true);
  });

  it('stores, reads and deletes files', () => {
    expect(call('Files').result).toEqual(['probe-state']);
    expect(call('File.ReadAll').result).toBe('"juju state\\x00\\x01"');
    expect(call('GetFile(deleted)').result).toBe(true);
  });
});
