import { CLIENT_ARCHES, rackBaseUrl } from '@kiln/protocol';
import type { DhcpBootOptions } from './boot-file-names.js';
import { bootFilesFor, ipxeScriptUrl } from './boot-file-names.js';
import type { DhcpPlan, PlannedSubnet } from './dhcp-plan.js';

/**
 * Renders dnsmasq's configuration from a DHCP plan. dnsmasq does DHCP only (`port=0`), binds to
 * exactly the interfaces of served subnets, and reads nothing else (no resolv.conf, no hosts).
 * The text is deterministic for a given plan, so the supervisor can compare it to decide whether
 * dnsmasq needs a restart.
 */
export interface DnsmasqRenderOptions {
  readonly leaseFile: string;
  readonly pidFile?: string;
  /** Lease time in seconds for dynamic and reserved addresses (MAAS uses 600). */
  readonly leaseSeconds?: number;
  /** Log every DHCP exchange in detail (dnsmasq `log-dhcp`). */
  readonly logDhcp?: boolean;
  /**
   * Ping a new address before offering it (dnsmasq's default). Off unless asked: dnsmasq waits up
   * to 3 s per ping and serves no other DHCP meanwhile, so in a boot storm of new machines offers
   * queue up 3 s apart (measured: 4 clients at once got leases after 6, 9, 12, 12 s; with no-ping,
   * 0.1 s). Kiln's region already owns every address in its ranges.
   */
  readonly pingCheck?: boolean;
  /** Unprivileged user dnsmasq switches to after binding; dnsmasq's default when absent. */
  readonly user?: string;
  readonly boot?: DhcpBootOptions;
}

export const DEFAULT_LEASE_SECONDS = 600;

function subnetTag(subnet: PlannedSubnet): string {
  return `subnet-${subnet.subnetId}`;
}

function subnetLines(subnet: PlannedSubnet, options: DnsmasqRenderOptions): string[] {
  const tag = subnetTag(subnet);
  const lease = `${options.leaseSeconds ?? DEFAULT_LEASE_SECONDS}`;
  const rack = subnet.rackAddress;
  const lines = [
    `# subnet ${subnet.subnetId}: ${subnet.cidr} on ${subnet.interfaceName}, rack address ${rack}`,
    ...subnet.dynamicRanges.map(
      (range) => `dhcp-range=set:${tag},${range.start},${range.end},${subnet.netmask},${lease}`,
    ),
    // A static range lets reservations outside the dynamic pool (or with no pool at all) be served.
    `dhcp-range=set:${tag},${subnet.networkAddress},static,${subnet.netmask},${lease}`,
    // An empty router option stops dnsmasq from advertising itself as the gateway.
    `dhcp-option=tag:${tag},option:router${subnet.gateway === null ? '' : `,${subnet.gateway}`}`,
  ];
  if (subnet.dnsServers.length > 0)
    lines.push(`dhcp-option=tag:${tag},option:dns-server,${subnet.dnsServers.join(',')}`);
  lines.push(
    `dhcp-boot=tag:${tag},tag:ipxe,${ipxeScriptUrl(rack, options.boot?.httpPort)},,${rack}`,
  );
  for (const choice of bootFilesFor(rack, options.boot)) {
    lines.push(`dhcp-boot=tag:${tag},tag:!ipxe,tag:${choice.arch.tag},${choice.filename},,${rack}`);
    if (choice.arch.firmware === 'uefi-http') {
      lines.push(
        `dhcp-option-force=tag:${tag},tag:${choice.arch.tag},option:vendor-class,HTTPClient`,
      );
    }
  }
  if (options.boot?.biosLoader !== 'ipxe') {
    // PXELINUX option 210 (path-prefix): lpxelinux fetches its configs and modules from the rack over HTTP.
    lines.push(
      `dhcp-option-force=tag:${tag},tag:!ipxe,tag:bios,210,${rackBaseUrl(rack, options.boot?.httpPort)}/`,
    );
  }
  for (const host of subnet.hosts)
    lines.push(`dhcp-host=${host.mac},${host.ip},${host.hostname},${lease}`);
  return lines;
}

export function renderDnsmasqConfig(plan: DhcpPlan, options: DnsmasqRenderOptions): string {
  const interfaces = [...new Set(plan.subnets.map((subnet) => subnet.interfaceName))];
  const tags = [...new Map(CLIENT_ARCHES.map((arch) => [arch.code, arch.tag])).entries()];
  const lines = [
    `# dnsmasq configuration rendered by Kiln from region state version ${plan.version}.`,
    '# Kiln rewrites this file whenever the region state changes: do not edit it.',
    'port=0',
    'no-resolv',
    'no-hosts',
    'bind-interfaces',
    ...interfaces.map((name) => `interface=${name}`),
    `dhcp-leasefile=${options.leaseFile}`,
    ...(options.pidFile === undefined ? [] : [`pid-file=${options.pidFile}`]),
    ...(options.user === undefined ? [] : [`user=${options.user}`]),
    // Logs go to stderr, which the rack's supervisor forwards to its own logger.
    'log-facility=-',
    ...(options.logDhcp === true ? ['log-dhcp'] : []),
    ...(options.pingCheck === true ? [] : ['no-ping']),
    // Kiln owns these subnets (their VLAN has DHCP on with this rack as primary): answer at once
    // and NAK leases the clients carried over from elsewhere.
    ...(plan.subnets.length > 0 ? ['dhcp-authoritative'] : []),
    '',
    '# Client classification: iPXE by its user class / option 175, firmware by option 93.',
    'dhcp-userclass=set:ipxe,iPXE',
    'dhcp-match=set:ipxe,175',
    ...tags.map(([code, tag]) => `dhcp-match=set:${tag},option:client-arch,${code}`),
    '',
    ...plan.subnets.flatMap((subnet) => [...subnetLines(subnet, options), '']),
  ];
  return lines.join('\n');
}
