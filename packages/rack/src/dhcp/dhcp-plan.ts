import type { DhcpHost, DhcpState, DhcpSubnet } from '@kiln/protocol';
import type { Ipv4Network, NumericRange } from './ipv4.js';
import {
  contains,
  ipv4ToNumber,
  netmaskOf,
  networkAddressOf,
  numberToIpv4,
  parseIpv4Cidr,
  subtractRanges,
} from './ipv4.js';

/**
 * Decides what this rack serves: the subnets whose VLAN has DHCP on with this rack as primary,
 * that sit on one of the rack's interfaces. Everything else is listed as skipped with a reason, so
 * `kiln rack` status can say why a subnet gets no DHCP instead of staying silent.
 */
export interface RackInterface {
  readonly name: string;
  /** Addresses in CIDR form, e.g. `10.0.0.2/24`. */
  readonly addresses: readonly string[];
}

export interface PlannedRange {
  readonly start: string;
  readonly end: string;
}

export interface PlannedSubnet {
  readonly subnetId: number;
  readonly cidr: string;
  readonly networkAddress: string;
  readonly netmask: string;
  readonly interfaceName: string;
  /** The rack's own address on the subnet: next-server and the host of every boot URL. */
  readonly rackAddress: string;
  readonly gateway: string | null;
  readonly dnsServers: readonly string[];
  /** Dynamic ranges with reserved ranges and the rack's own address cut out. */
  readonly dynamicRanges: readonly PlannedRange[];
  readonly hosts: readonly DhcpHost[];
}

export interface SkippedSubnet {
  readonly subnetId: number;
  readonly cidr: string;
  readonly reason: string;
}

export interface DhcpPlan {
  readonly version: number;
  readonly subnets: readonly PlannedSubnet[];
  readonly skipped: readonly SkippedSubnet[];
  /** Input the planner ignored (ranges outside their subnet, hosts on no served subnet, ...). */
  readonly problems: readonly string[];
}

function rackAddressOn(net: Ipv4Network, interfaces: readonly RackInterface[]) {
  for (const iface of interfaces) {
    for (const cidr of iface.addresses) {
      const address = cidr.split('/')[0] ?? '';
      if (contains(net, address)) return { interfaceName: iface.name, rackAddress: address };
    }
  }
  return null;
}

function rangesOf(state: DhcpState, subnet: DhcpSubnet, net: Ipv4Network, problems: string[]) {
  const dynamic: NumericRange[] = [];
  const reserved: NumericRange[] = [];
  for (const range of state.ipranges.filter((candidate) => candidate.subnet === subnet.id)) {
    if (!contains(net, range.start_ip) || !contains(net, range.end_ip)) {
      problems.push(
        `iprange ${range.id} (${range.start_ip}-${range.end_ip}) is not inside subnet ${subnet.cidr}`,
      );
      continue;
    }
    const numeric = { start: ipv4ToNumber(range.start_ip), end: ipv4ToNumber(range.end_ip) };
    if (numeric.start > numeric.end) {
      problems.push(`iprange ${range.id} starts after it ends (${range.start_ip}-${range.end_ip})`);
      continue;
    }
    (range.type === 'dynamic' ? dynamic : reserved).push(numeric);
  }
  return { dynamic, reserved };
}

export function planDhcp(
  state: DhcpState,
  rackId: string,
  interfaces: readonly RackInterface[],
): DhcpPlan {
  const subnets: PlannedSubnet[] = [];
  const skipped: SkippedSubnet[] = [];
  const problems: string[] = [];
  const claimedHosts = new Set<string>();

  for (const subnet of state.subnets) {
    const skip = (reason: string): void => {
      skipped.push({ subnetId: subnet.id, cidr: subnet.cidr, reason });
    };
    const vlan = state.vlans.find((candidate) => candidate.id === subnet.vlan);
    if (vlan === undefined) {
      skip(`VLAN ${subnet.vlan} is unknown`);
      continue;
    }
    if (!vlan.dhcp_on) {
      skip(`DHCP is off on VLAN ${vlan.vid}`);
      continue;
    }
    if (vlan.primary_rack !== rackId) {
      skip(`VLAN ${vlan.vid} is served by rack ${vlan.primary_rack ?? '(none)'}`);
      continue;
    }
    const net = parseIpv4Cidr(subnet.cidr);
    if (net === null) {
      skip('only IPv4 subnets are served by Kiln DHCP');
      continue;
    }
    const local = rackAddressOn(net, interfaces);
    if (local === null) {
      skip('no interface of this rack has an address on the subnet');
      continue;
    }
    const { dynamic, reserved } = rangesOf(state, subnet, net, problems);
    const rackNumber = ipv4ToNumber(local.rackAddress);
    const pool = subtractRanges(dynamic, [...reserved, { start: rackNumber, end: rackNumber }]);
    const hosts = state.hosts.filter(
      (host) => contains(net, host.ip) && !claimedHosts.has(host.mac),
    );
    for (const host of hosts) claimedHosts.add(host.mac);
    subnets.push({
      subnetId: subnet.id,
      cidr: `${networkAddressOf(net)}/${net.prefix}`,
      networkAddress: networkAddressOf(net),
      netmask: netmaskOf(net),
      interfaceName: local.interfaceName,
      rackAddress: local.rackAddress,
      gateway: subnet.gateway_ip,
      dnsServers: subnet.dns_servers,
      dynamicRanges: pool.map((range) => ({
        start: numberToIpv4(range.start),
        end: numberToIpv4(range.end),
      })),
      hosts,
    });
  }
  return { version: state.version, subnets, skipped, problems };
}
