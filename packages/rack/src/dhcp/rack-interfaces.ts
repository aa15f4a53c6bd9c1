import { networkInterfaces } from 'node:os';
import type { RackInterface } from './dhcp-plan.js';
import { contains, parseIpv4Cidr } from './ipv4.js';

/** The rack's IPv4 interfaces with their addresses in CIDR form, loopback left out. */
export function listRackInterfaces(): RackInterface[] {
  return Object.entries(networkInterfaces()).flatMap(([name, addresses]) => {
    const cidrs = (addresses ?? [])
      .filter((address) => address.family === 'IPv4' && !address.internal && address.cidr !== null)
      .map((address) => address.cidr ?? '');
    return cidrs.length === 0 ? [] : [{ name, addresses: cidrs }];
  });
}

/**
 * The rack's own address on the client's subnet. A UDP socket bound to 0.0.0.0 cannot tell which
 * local address a TFTP request arrived on (Node has no IP_PKTINFO), yet every URL in a boot config
 * must use an address the machine can reach: on a directly attached subnet, that one.
 */
export function rackAddressFacing(
  clientAddress: string,
  interfaces: readonly RackInterface[],
): string | null {
  const client = clientAddress.toLowerCase().startsWith('::ffff:')
    ? clientAddress.slice(7)
    : clientAddress;
  for (const iface of interfaces) {
    for (const cidr of iface.addresses) {
      const net = parseIpv4Cidr(cidr);
      if (net !== null && contains(net, client)) return cidr.split('/')[0] ?? null;
    }
  }
  return null;
}
