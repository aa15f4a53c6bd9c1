import { describe, expect, it } from 'vitest';
import type { DhcpState } from '@kiln/protocol';
import { planDhcp } from './dhcp-plan.js';
import { subtractRanges } from './ipv4.js';
import { rackAddressFacing } from './rack-interfaces.js';

const interfaces = [
  { name: 'eth0', addresses: ['192.168.1.5/24'] },
  { name: 'eth1', addresses: ['10.20.0.2/24'] },
];

function state(overrides: Partial<DhcpState> = {}): DhcpState {
  return {
    version: 4,
    subnets: [
      {
        id: 1,
        cidr: '10.20.0.0/24',
        gateway_ip: '10.20.0.1',
        dns_servers: ['10.20.0.1'],
        vlan: 10,
      },
      { id: 2, cidr: '10.30.0.0/24', gateway_ip: null, dns_servers: [], vlan: 11 },
      { id: 3, cidr: '192.168.1.0/24', gateway_ip: null, dns_servers: [], vlan: 12 },
      { id: 4, cidr: '10.40.0.0/24', gateway_ip: null, dns_servers: [], vlan: 10 },
      { id: 5, cidr: 'fd00::/64', gateway_ip: null, dns_servers: [], vlan: 10 },
    ],
    vlans: [
      { id: 10, vid: 0, dhcp_on: true, primary_rack: 'rack1' },
      { id: 11, vid: 11, dhcp_on: true, primary_rack: 'rack2' },
      { id: 12, vid: 12, dhcp_on: false, primary_rack: 'rack1' },
    ],
    ipranges: [
      { id: 1, type: 'dynamic', start_ip: '10.20.0.1', end_ip: '10.20.0.200', subnet: 1 },
      { id: 2, type: 'reserved', start_ip: '10.20.0.50', end_ip: '10.20.0.59', subnet: 1 },
      { id: 3, type: 'dynamic', start_ip: '10.99.0.1', end_ip: '10.99.0.9', subnet: 1 },
    ],
    hosts: [
      { mac: '52:54:00:00:00:01', ip: '10.20.0.10', hostname: 'node1' },
      { mac: '52:54:00:00:00:02', ip: '10.30.0.10', hostname: 'node2' },
    ],
    ...overrides,
  };
}

describe('planDhcp', () => {
  it('serves only subnets on VLANs with DHCP on, this rack primary, and a local interface', () => {
    const plan = planDhcp(state(), 'rack1', interfaces);
    expect(plan.subnets.map((subnet) => subnet.subnetId)).toEqual([1]);
    expect(plan.skipped).toEqual([
      { subnetId: 2, cidr: '10.30.0.0/24', reason: 'VLAN 11 is served by rack rack2' },
      { subnetId: 3, cidr: '192.168.1.0/24', reason: 'DHCP is off on VLAN 12' },
      {
        subnetId: 4,
        cidr: '10.40.0.0/24',
        reason: 'no interface of this rack has an address on the subnet',
      },
      { subnetId: 5, cidr: 'fd00::/64', reason: 'only IPv4 subnets are served by Kiln DHCP' },
    ]);
  });

  it('cuts reserved ranges and the rack address out of dynamic ranges, and reports bad ranges', () => {
    const plan = planDhcp(state(), 'rack1', interfaces);
    const subnet = plan.subnets[0];
    expect(subnet).toMatchObject({
      interfaceName: 'eth1',
      rackAddress: '10.20.0.2',
      netmask: '255.255.255.0',
    });
    expect(subnet?.dynamicRanges).toEqual([
      { start: '10.20.0.1', end: '10.20.0.1' },
      { start: '10.20.0.3', end: '10.20.0.49' },
      { start: '10.20.0.60', end: '10.20.0.200' },
    ]);
    expect(plan.problems).toEqual([
      'iprange 3 (10.99.0.1-10.99.0.9) is not inside subnet 10.20.0.0/24',
    ]);
  });

  it('gives each subnet the reservations whose address is inside it', () => {
    const plan = planDhcp(state(), 'rack1', interfaces);
    expect(plan.subnets[0]?.hosts.map((host) => host.hostname)).toEqual(['node1']);
  });

  it('serves nothing until a VLAN has DHCP on', () => {
    const off = state({ vlans: state().vlans.map((vlan) => ({ ...vlan, dhcp_on: false })) });
    expect(planDhcp(off, 'rack1', interfaces).subnets).toEqual([]);
  });

  it('subtracts overlapping holes', () => {
    expect(
      subtractRanges(
        [{ start: 10, end: 20 }],
        [
          { start: 5, end: 11 },
          { start: 15, end: 15 },
          { start: 19, end: 30 },
        ],
      ),
    ).toEqual([
      { start: 12, end: 14 },
      { start: 16, end: 18 },
    ]);
  });
});

describe('rackAddressFacing', () => {
  it('picks the rack address on the client subnet', () => {
    expect(rackAddressFacing('10.20.0.77', interfaces)).toBe('10.20.0.2');
    expect(rackAddressFacing('::ffff:192.168.1.9', interfaces)).toBe('192.168.1.5');
    expect(rackAddressFacing('172.16.0.1', interfaces)).toBeNull();
  });
});
