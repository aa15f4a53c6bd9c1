import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout, unlessAvailable } from '@kiln/testkit';
import type { InstallMachine } from '../install-config/index.js';
import { renderCloudInitFiles, renderInstallConfig } from '../install-config/index.js';
import {
  startFakeMetadataServer,
  type FakeMetadataServer,
} from './test-support/fake-metadata-server.js';
import { runProgram } from './test-support/processes.js';

// The files kiln-install writes into the target, consumed by Debian's real cloud-init (22.4):
// its MAAS datasource, its webhook reporter and its v1 network parser + netplan renderer.

const PY = '/usr/bin/python3';
const probe = join(import.meta.dirname, 'test-support/cloud-init-probe.py');
const haveCloudInit =
  existsSync(PY) && (await runProgram(PY, ['-c', 'import cloudinit'])).code === 0;
const creds = { consumer_key: 'ck-ci', token_key: 'tk-ci', token_secret: 'ts-ci' };
const subnet = { cidr: '10.0.0.0/24', gateway_ip: '10.0.0.1', dns_servers: ['10.0.0.2'] };

const machine: InstallMachine = {
  system_id: 'abc123',
  hostname: 'node1',
  domain: 'maas',
  architecture: 'amd64/generic',
  osystem: 'debian',
  distro_series: 'bookworm',
  firmware: 'bios',
  block_devices: [{ name: 'vda', size: 10 * 2 ** 30 }],
  interfaces: [
    {
      name: 'eth0',
      type: 'physical',
      mac_address: '52:54:00:00:00:01',
      mtu: 1500,
      links: [{ mode: 'auto', ip_address: '10.0.0.21', subnet }],
    },
    { name: 'eth1', type: 'physical', mac_address: '52:54:00:00:00:02' },
    { name: 'eth2', type: 'physical', mac_address: '52:54:00:00:00:03' },
    {
      name: 'bond0',
      type: 'bond',
      mac_address: '52:54:00:00:00:02',
      parents: ['eth1', 'eth2'],
      params: {
        bond_mode: '802.3ad',
        bond_miimon: 100,
        bond_lacp_rate: 'fast',
        bond_xmit_hash_policy: 'layer3+4',
      },
    },
    { name: 'bond0.100', type: 'vlan', parents: ['bond0'], vlan_id: 100 },
    {
      name: 'br0',
      type: 'bridge',
      parents: ['bond0.100'],
      mac_address: '52:54:00:00:00:02',
      links: [{ mode: 'dhcp' }],
    },
  ],
};

describe.skipIf(
  skipWithout(unlessAvailable(haveCloudInit, `Debian's cloud-init is not importable by ${PY}`)),
)("Debian's cloud-init reads what kiln-install writes", () => {
  let dir: string;
  let server: FakeMetadataServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-ci-compat-'));
    server = await startFakeMetadataServer(creds);
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('datasource, reporter and network config', async () => {
    const config = await renderInstallConfig(machine, {
      rackUrl: server.url,
      image: {
        path: `${'c'.repeat(64)}/debian/amd64/generic/bookworm/stable/root-tgz`,
        filetype: 'root-tgz',
        sha256: 'c'.repeat(64),
      },
      credentials: creds,
    });
    const files = renderCloudInitFiles(config);
    const local = files.map((f, i) => join(dir, `f${i}.cfg`));
    await Promise.all(files.map((f, i) => writeFile(local[i]!, f.content)));
    const md = '/MAAS/metadata/2012-03-01';
    server.files.set(`${md}/meta-data/instance-id`, Buffer.from('abc123'));
    server.files.set(`${md}/meta-data/local-hostname`, Buffer.from('node1.maas'));
    server.files.set(`${md}/user-data`, Buffer.from('#cloud-config\nruncmd: [true]\n'));

    const run = await runProgram(PY, [probe, ...local, dir]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown> & {
      netplan: { network: Record<string, Record<string, Record<string, unknown>>> };
    };
    expect(out).toMatchObject({
      datasource_list: ['MAAS'],
      get_data: true,
      instance_id: 'abc123',
      local_hostname: 'node1.maas',
      userdata: '#cloud-config\nruncmd: [true]\n',
    });
    expect(server.unauthorized).toEqual([]);
    expect(server.events).toEqual([
      expect.objectContaining({
        name: 'init-network/config-ssh',
        event_type: 'start',
        origin: 'cloudinit',
      }),
    ]);

    const net = out.netplan.network;
    expect(net.ethernets!.eth0).toMatchObject({
      match: { macaddress: '52:54:00:00:00:01' },
      addresses: ['10.0.0.21/24'],
      mtu: 1500,
    });
    expect(net.bonds!.bond0).toMatchObject({
      interfaces: ['eth1', 'eth2'],
      parameters: {
        mode: '802.3ad',
        'mii-monitor-interval': 100,
        'lacp-rate': 'fast',
        'transmit-hash-policy': 'layer3+4',
      },
    });
    expect(net.vlans!['bond0.100']).toMatchObject({ id: 100, link: 'bond0' });
    expect(net.bridges!.br0).toMatchObject({ interfaces: ['bond0.100'], dhcp4: true });
  });
});
