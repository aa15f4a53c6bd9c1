import { describe, expect, it } from 'vitest';
import type { InstallInterface } from './machine-input.js';
import { renderNetworkConfigV1 } from './network-v1.js';
import { networkConfigV1Schema } from './network-v1-schema.js';

const subnet = { cidr: '10.0.0.0/24', gateway_ip: '10.0.0.1', dns_servers: ['10.0.0.2'] };
const eth = (
  name: string,
  mac: string,
  extra: Partial<InstallInterface> = {},
): InstallInterface => ({
  name,
  type: 'physical',
  mac_address: mac,
  ...extra,
});

describe('network config v1', () => {
  it('physical NICs: static/auto with gateway and DNS, DHCP (v4 and v6), link_up → manual, no links → manual', () => {
    const config = renderNetworkConfigV1(
      [
        eth('eth0', '52:54:00:AA:00:01', {
          mtu: 9000,
          links: [{ mode: 'auto', ip_address: '10.0.0.5', subnet }],
        }),
        eth('eth1', '52:54:00:aa:00:02', {
          links: [{ mode: 'dhcp' }, { mode: 'dhcp', subnet: { cidr: 'fd00::/64' } }],
        }),
        eth('eth2', '52:54:00:aa:00:03', { links: [{ mode: 'link_up' }] }),
        eth('eth3', '52:54:00:aa:00:04'),
      ],
      { searchDomains: ['maas'] },
    );
    expect(networkConfigV1Schema.parse(config)).toEqual(config);
    expect(config).toEqual({
      version: 1,
      config: [
        {
          type: 'physical',
          name: 'eth0',
          mac_address: '52:54:00:aa:00:01',
          mtu: 9000,
          subnets: [
            {
              type: 'static',
              address: '10.0.0.5/24',
              gateway: '10.0.0.1',
              dns_nameservers: ['10.0.0.2'],
            },
          ],
        },
        {
          type: 'physical',
          name: 'eth1',
          mac_address: '52:54:00:aa:00:02',
          subnets: [{ type: 'dhcp' }, { type: 'dhcp6' }],
        },
        {
          type: 'physical',
          name: 'eth2',
          mac_address: '52:54:00:aa:00:03',
          subnets: [{ type: 'manual' }],
        },
        {
          type: 'physical',
          name: 'eth3',
          mac_address: '52:54:00:aa:00:04',
          subnets: [{ type: 'manual' }],
        },
        { type: 'nameserver', address: ['10.0.0.2'], search: ['maas'] },
      ],
    });
  });

  it('bond, vlan and bridge come after their parents whatever the input order', () => {
    const config = renderNetworkConfigV1([
      {
        name: 'br0',
        type: 'bridge',
        parents: ['bond0.100'],
        params: { bridge_stp: true },
        links: [{ mode: 'dhcp' }],
      },
      { name: 'bond0.100', type: 'vlan', parents: ['bond0'], vlan_id: 100 },
      {
        name: 'bond0',
        type: 'bond',
        mac_address: '52:54:00:aa:00:01',
        parents: ['eth0', 'eth1'],
        params: {
          bond_mode: '802.3ad',
          bond_miimon: 100,
          bond_lacp_rate: 'fast',
          bond_xmit_hash_policy: 'layer3+4',
        },
      },
      eth('eth1', '52:54:00:aa:00:02'),
      eth('eth0', '52:54:00:aa:00:01'),
    ]);
    expect(config.config.map((e) => (e.type === 'nameserver' ? e.type : e.name))).toEqual([
      'eth0',
      'eth1',
      'bond0',
      'bond0.100',
      'br0',
    ]);
    expect(config.config[2]).toEqual({
      type: 'bond',
      name: 'bond0',
      mac_address: '52:54:00:aa:00:01',
      subnets: [{ type: 'manual' }],
      bond_interfaces: ['eth0', 'eth1'],
      params: {
        'bond-mode': '802.3ad',
        'bond-miimon': 100,
        'bond-lacp-rate': 'fast',
        'bond-xmit-hash-policy': 'layer3+4',
      },
    });
    expect(config.config[3]).toMatchObject({ type: 'vlan', vlan_link: 'bond0', vlan_id: 100 });
    expect(config.config[4]).toMatchObject({
      type: 'bridge',
      bridge_interfaces: ['bond0.100'],
      params: { bridge_stp: 'on', bridge_fd: 15 },
      subnets: [{ type: 'dhcp' }],
    });
  });

  it('disabled interfaces and their children are left out', () => {
    const config = renderNetworkConfigV1([
      eth('eth0', '52:54:00:aa:00:01', { enabled: false }),
      { name: 'eth0.5', type: 'vlan', parents: ['eth0'], vlan_id: 5 },
      eth('eth1', '52:54:00:aa:00:02'),
    ]);
    expect(config.config.map((e) => (e.type === 'nameserver' ? '' : e.name))).toEqual(['eth1']);
  });

  it.each<[string, InstallInterface[], string]>([
    [
      'auto without an address',
      [eth('eth0', 'aa:bb:cc:dd:ee:ff', { links: [{ mode: 'auto', subnet }] })],
      'Interface eth0: a AUTO link needs an assigned IP address and subnet.',
    ],
    [
      'unknown parent',
      [{ name: 'bond0', type: 'bond', parents: ['eth9'] }],
      "Interface bond0: unknown parent 'eth9'.",
    ],
    [
      'vlan without id',
      [eth('eth0', 'aa:bb:cc:dd:ee:ff'), { name: 'v', type: 'vlan', parents: ['eth0'] }],
      'Interface v: vlan_id must be an integer from 1 to 4094.',
    ],
    [
      'bond without members',
      [{ name: 'bond0', type: 'bond', parents: [] }],
      'Interface bond0: a bond needs at least one member.',
    ],
    [
      'physical without MAC',
      [{ name: 'eth0', type: 'physical' }],
      'Interface eth0: a physical interface needs a MAC address.',
    ],
    [
      'unknown type',
      [{ name: 'ib0', type: 'infiniband', mac_address: 'aa:bb:cc:dd:ee:ff' }],
      "Interface ib0: unsupported interface type 'infiniband'.",
    ],
    [
      'parent loop',
      [
        { name: 'a', type: 'bond', parents: ['b'] },
        { name: 'b', type: 'bond', parents: ['a'] },
      ],
      'Interface a: parent loop.',
    ],
  ])('%s is refused with MACHINE_NETWORK_INVALID', (_name, interfaces, message) => {
    expect(() => renderNetworkConfigV1(interfaces)).toThrow(
      expect.objectContaining({ code: 'MACHINE_NETWORK_INVALID', message, status: 400 }),
    );
  });
});
