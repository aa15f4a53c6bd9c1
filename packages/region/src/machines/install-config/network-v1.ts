import { AppError } from '@kiln/node-kit';
import type { InstallInterface, InstallLink } from './machine-input.js';
import type { NetworkConfigV1, NetworkEntryV1, NetworkSubnetV1 } from './network-v1-schema.js';

/**
 * Renders a machine's interfaces as network config v1. Entries come out parents-first so that a
 * consumer applying them in order (the ESXi renderer, cloud-init's v1 reader) never meets a
 * reference to an interface it has not created yet.
 */

function invalid(message: string, iface: string): AppError {
  return new AppError('MACHINE_NETWORK_INVALID', message, {
    details: { interface: iface },
  });
}

function prefixOf(cidr: string): string {
  const slash = cidr.indexOf('/');
  return slash < 0 ? '' : cidr.slice(slash);
}

function renderLink(link: InstallLink, iface: string): NetworkSubnetV1 {
  switch (link.mode) {
    case 'link_up':
      return { type: 'manual' };
    case 'dhcp':
      return { type: link.subnet?.cidr.includes(':') === true ? 'dhcp6' : 'dhcp' };
    case 'static':
    case 'auto': {
      if (link.ip_address === undefined || link.subnet === undefined) {
        throw invalid(
          `Interface ${iface}: a ${link.mode.toUpperCase()} link needs an assigned IP address and subnet.`,
          iface,
        );
      }
      const prefix = prefixOf(link.subnet.cidr);
      if (prefix === '')
        throw invalid(`Interface ${iface}: subnet '${link.subnet.cidr}' is not a CIDR.`, iface);
      return {
        type: 'static',
        address: `${link.ip_address}${prefix}`,
        ...(link.subnet.gateway_ip === undefined ? {} : { gateway: link.subnet.gateway_ip }),
        ...(link.subnet.dns_servers === undefined || link.subnet.dns_servers.length === 0
          ? {}
          : { dns_nameservers: [...link.subnet.dns_servers] }),
      };
    }
  }
}

function bondParams(iface: InstallInterface): Record<string, string | number> {
  const p = iface.params ?? {};
  const out: Record<string, string | number> = { 'bond-mode': p.bond_mode ?? 'balance-rr' };
  if (p.bond_miimon !== undefined) out['bond-miimon'] = p.bond_miimon;
  if (p.bond_lacp_rate !== undefined) out['bond-lacp-rate'] = p.bond_lacp_rate;
  if (p.bond_xmit_hash_policy !== undefined) out['bond-xmit-hash-policy'] = p.bond_xmit_hash_policy;
  if (p.bond_updelay !== undefined) out['bond-updelay'] = p.bond_updelay;
  if (p.bond_downdelay !== undefined) out['bond-downdelay'] = p.bond_downdelay;
  return out;
}

function renderEntry(iface: InstallInterface): NetworkEntryV1 {
  const links = iface.links ?? [];
  const subnets =
    links.length === 0
      ? [{ type: 'manual' as const }]
      : links.map((l) => renderLink(l, iface.name));
  const common = {
    name: iface.name,
    subnets,
    ...(iface.mtu === undefined ? {} : { mtu: iface.mtu }),
    ...(iface.mac_address === undefined ? {} : { mac_address: iface.mac_address.toLowerCase() }),
  };
  const parents = [...(iface.parents ?? [])];
  switch (iface.type) {
    case 'physical':
      if (iface.mac_address === undefined)
        throw invalid(
          `Interface ${iface.name}: a physical interface needs a MAC address.`,
          iface.name,
        );
      return { type: 'physical', ...common };
    case 'bond':
      if (parents.length === 0)
        throw invalid(`Interface ${iface.name}: a bond needs at least one member.`, iface.name);
      return { type: 'bond', ...common, bond_interfaces: parents, params: bondParams(iface) };
    case 'vlan': {
      const link = parents[0];
      if (parents.length !== 1 || link === undefined) {
        throw invalid(`Interface ${iface.name}: a VLAN needs exactly one parent.`, iface.name);
      }
      const id = iface.vlan_id;
      if (id === undefined || !Number.isInteger(id) || id < 1 || id > 4094) {
        throw invalid(
          `Interface ${iface.name}: vlan_id must be an integer from 1 to 4094.`,
          iface.name,
        );
      }
      return { type: 'vlan', ...common, vlan_link: link, vlan_id: id };
    }
    case 'bridge': {
      if (parents.length === 0)
        throw invalid(`Interface ${iface.name}: a bridge needs at least one port.`, iface.name);
      const p = iface.params ?? {};
      return {
        type: 'bridge',
        ...common,
        bridge_interfaces: parents,
        params: { bridge_stp: p.bridge_stp === true ? 'on' : 'off', bridge_fd: p.bridge_fd ?? 15 },
      };
    }
    default:
      throw invalid(
        `Interface ${iface.name}: unsupported interface type '${iface.type}'.`,
        iface.name,
      );
  }
}

/** Orders interfaces parents-first; rejects unknown parents and cycles. */
function orderInterfaces(interfaces: readonly InstallInterface[]): InstallInterface[] {
  const byName = new Map(interfaces.map((i) => [i.name, i]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: InstallInterface[] = [];
  const visit = (iface: InstallInterface): void => {
    if (done.has(iface.name)) return;
    if (visiting.has(iface.name))
      throw invalid(`Interface ${iface.name}: parent loop.`, iface.name);
    visiting.add(iface.name);
    for (const parentName of iface.parents ?? []) {
      const parent = byName.get(parentName);
      if (parent === undefined)
        throw invalid(`Interface ${iface.name}: unknown parent '${parentName}'.`, iface.name);
      visit(parent);
    }
    visiting.delete(iface.name);
    done.add(iface.name);
    out.push(iface);
  };
  interfaces.forEach(visit);
  return out;
}

export interface NetworkRenderOptions {
  /** Search domains for the nameserver entry (the machine's domain). */
  readonly searchDomains?: readonly string[];
}

export function renderNetworkConfigV1(
  interfaces: readonly InstallInterface[],
  options: NetworkRenderOptions = {},
): NetworkConfigV1 {
  const enabled = interfaces.filter((i) => i.enabled !== false);
  const names = new Set(enabled.map((i) => i.name));
  // A disabled parent takes its children with it: they could not come up anyway.
  const usable = enabled.filter((i) =>
    (i.parents ?? []).every((p) => names.has(p) || !interfaces.some((x) => x.name === p)),
  );
  const config: NetworkEntryV1[] = orderInterfaces(usable).map(renderEntry);
  const dns = new Set<string>();
  for (const iface of usable) {
    for (const link of iface.links ?? [])
      for (const server of link.subnet?.dns_servers ?? []) dns.add(server);
  }
  const search = [...(options.searchDomains ?? [])];
  if (dns.size > 0 || search.length > 0) {
    config.push({
      type: 'nameserver',
      address: [...dns],
      ...(search.length > 0 ? { search } : {}),
    });
  }
  return { version: 1, config };
}
