import { describe, expect, it } from 'vitest';
import { renderEsxiNetwork } from './esxi-network.js';
import type { NetworkConfigV1, NetworkEntryV1 } from './network-v1-schema.js';

const nic = (
  name: string,
  mac: string,
  subnets: NetworkEntryV1 extends infer _ ? object[] : never = [],
): NetworkEntryV1 =>
  ({
    type: 'physical',
    name,
    mac_address: mac,
    subnets: subnets.length > 0 ? subnets : [{ type: 'manual' }],
  }) as NetworkEntryV1;
const v1 = (...config: NetworkEntryV1[]): NetworkConfigV1 => ({ version: 1, config });
const bond = (mode: string, extra: Record<string, string | number> = {}): NetworkEntryV1 => ({
  type: 'bond',
  name: 'bond0',
  mac_address: '00:00:00:00:00:02',
  bond_interfaces: ['eth0', 'eth1'],
  params: { 'bond-mode': mode, ...extra },
  subnets: [{ type: 'dhcp' }],
});
const members = [nic('eth0', '00:00:00:00:00:01'), nic('eth1', '00:00:00:00:00:02')];

describe('ESXi network renderer', () => {
  it.each<[string, string, Record<string, string | number>, object, string[]]>([
    [
      'balance-rr',
      'balance-rr',
      {},
      { policy: 'portid', active: ['eth0', 'eth1'], standby: [] },
      [],
    ],
    // active-backup: the NIC whose MAC the bond carries (eth1) is the active uplink.
    [
      'active-backup',
      'active-backup',
      { 'bond-miimon': 100 },
      { policy: 'explicit', active: ['eth1'], standby: ['eth0'] },
      ['bond-miimon'],
    ],
    [
      '802.3ad',
      '802.3ad',
      { 'bond-lacp-rate': 'fast', 'bond-xmit-hash-policy': 'layer3+4' },
      { policy: 'iphash', active: ['eth0', 'eth1'], standby: [] },
      ['bond-lacp-rate', 'bond-xmit-hash-policy'],
    ],
  ])('bond %s → NIC teaming', (_name, mode, params, teaming, ignored) => {
    const plan = renderEsxiNetwork(v1(...members, bond(mode, params)));
    expect(plan.vswitches).toHaveLength(1);
    expect(plan.vswitches[0]!.teaming).toEqual(teaming);
    expect(plan.ignored.map((i) => i.setting)).toEqual(ignored);
    expect(
      plan.ignored.every(
        (i) => i.interface === 'bond0' && i.reason === 'ESXi NIC teaming has no equivalent',
      ),
    ).toBe(true);
    expect(plan.vmknics).toEqual([
      {
        name: 'vmk0',
        portgroup: 'bond0',
        mac_address: '00:00:00:00:00:02',
        mtu: undefined,
        address: { family: 'ipv4', type: 'dhcp' },
      },
    ]);
    const failover = plan.commands.find((c) => c.includes('failover'))!;
    expect(failover).toContain((teaming as { policy: string }).policy);
  });

  it('static, DHCP, aliases, VLANs, gateways and DNS', () => {
    const plan = renderEsxiNetwork(
      v1(
        {
          type: 'physical',
          name: 'eth0',
          mac_address: '00:00:00:00:00:01',
          mtu: 9000,
          subnets: [
            {
              type: 'static',
              address: '10.0.0.5/24',
              gateway: '10.0.0.1',
              dns_nameservers: ['10.0.0.2'],
            },
            { type: 'static', address: '10.0.1.5/23' },
            { type: 'static', address: 'fd00::5/64', gateway: 'fd00::1' },
          ],
        },
        nic('eth1', '00:00:00:00:00:03'),
        {
          type: 'vlan',
          name: 'eth1.100',
          vlan_link: 'eth1',
          vlan_id: 100,
          subnets: [{ type: 'dhcp6' }],
        },
        {
          type: 'vlan',
          name: 'eth0.200',
          vlan_link: 'eth0',
          vlan_id: 200,
          subnets: [{ type: 'dhcp4' }],
        },
        { type: 'nameserver', address: ['10.0.0.3'], search: ['maas'] },
      ),
    );
    expect(plan.vswitches.map((s) => [s.name, s.mtu, s.uplinks.map((u) => u.name)])).toEqual([
      ['vSwitch0', 9000, ['eth0']],
      ['vSwitch1', undefined, ['eth1']],
    ]);
    expect(plan.portgroups).toEqual([
      { name: 'eth0', vswitch: 'vSwitch0', vlan_id: undefined },
      { name: 'eth0:1', vswitch: 'vSwitch0', vlan_id: undefined },
      { name: 'eth0:2', vswitch: 'vSwitch0', vlan_id: undefined },
      { name: 'eth1.100', vswitch: 'vSwitch1', vlan_id: 100 },
      { name: 'eth0.200', vswitch: 'vSwitch0', vlan_id: 200 },
    ]);
    expect(plan.vmknics.map((v) => [v.name, v.mac_address ?? null, v.address])).toEqual([
      [
        'vmk0',
        '00:00:00:00:00:01',
        { family: 'ipv4', type: 'static', address: '10.0.0.5', netmask: '255.255.255.0' },
      ],
      [
        'vmk1',
        null,
        { family: 'ipv4', type: 'static', address: '10.0.1.5', netmask: '255.255.254.0' },
      ],
      ['vmk2', null, { family: 'ipv6', type: 'static', address: 'fd00::5', prefix: 64 }],
      ['vmk3', null, { family: 'ipv6', type: 'dhcp' }],
      ['vmk4', null, { family: 'ipv4', type: 'dhcp' }],
    ]);
    expect(plan.default_gateways).toEqual({ ipv4: '10.0.0.1', ipv6: 'fd00::1' });
    expect(plan.nameservers).toEqual(['10.0.0.2', '10.0.0.3']);
    expect(plan.search).toEqual(['maas']);
    expect(plan.commands).toContainEqual([
      'esxcli',
      'network',
      'vswitch',
      'standard',
      'portgroup',
      'set',
      '-p',
      'eth1.100',
      '--vlan-id',
      '100',
    ]);
    expect(plan.commands).toContainEqual([
      'esxcli',
      'network',
      'ip',
      'interface',
      'ipv4',
      'set',
      '-i',
      'vmk0',
      '-t',
      'static',
      '-I',
      '10.0.0.5',
      '-N',
      '255.255.255.0',
    ]);
    expect(plan.commands).toContainEqual([
      'esxcli',
      'network',
      'ip',
      'route',
      'ipv4',
      'add',
      '-g',
      '10.0.0.1',
      '-n',
      'default',
    ]);
    expect(plan.commands).toContainEqual([
      'esxcli',
      'network',
      'ip',
      'interface',
      'add',
      '-i',
      'vmk0',
      '-p',
      'eth0',
      '-M',
      '00:00:00:00:00:01',
      '-m',
      '9000',
    ]);
  });

  it('an unconfigured NIC gets no vSwitch (left for VM traffic)', () => {
    const plan = renderEsxiNetwork(
      v1(nic('eth0', '00:00:00:00:00:01'), nic('eth1', '00:00:00:00:00:02', [{ type: 'dhcp' }])),
    );
    expect(plan.vswitches.map((s) => s.uplinks[0]!.name)).toEqual(['eth1']);
  });

  it.each<[string, unknown, string]>([
    [
      'a bridge',
      v1(...members, {
        type: 'bridge',
        name: 'br0',
        bridge_interfaces: ['eth0'],
        params: {},
        subnets: [],
      }),
      'Interface br0: bridges are not supported on ESXi.',
    ],
    [
      'balance-xor',
      v1(...members, bond('balance-xor')),
      "Bond bond0: mode 'balance-xor' has no ESXi teaming equivalent (balance-rr, active-backup, 802.3ad).",
    ],
    [
      'a bond over a bond',
      v1(...members, bond('balance-rr'), {
        ...(bond('balance-rr') as object),
        name: 'bond1',
        bond_interfaces: ['bond0'],
      } as NetworkEntryV1),
      'Interface bond0: only physical NICs can be uplinks on ESXi.',
    ],
    [
      'an unknown type',
      { version: 1, config: [{ type: 'infiniband', name: 'ib0', subnets: [] }] },
      'ESXi accepts only network config version 1.',
    ],
    ['version 2', { version: 2, ethernets: {} }, 'ESXi accepts only network config version 1.'],
  ])('%s is rejected with a clear error', (_name, config, message) => {
    expect(() => renderEsxiNetwork(config as NetworkConfigV1)).toThrow(
      expect.objectContaining({ code: 'MACHINE_ESXI_NETWORK_UNSUPPORTED', message, status: 400 }),
    );
  });
});
