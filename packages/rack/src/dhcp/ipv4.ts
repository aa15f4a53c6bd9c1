import { isIPv4 } from 'node:net';

/**
 * The little IPv4 arithmetic the DHCP planner needs: containment, netmasks, and carving reserved
 * ranges out of dynamic ones. Addresses are handled as unsigned 32-bit numbers.
 */
export interface Ipv4Network {
  readonly network: number;
  readonly prefix: number;
}

export function ipv4ToNumber(address: string): number {
  if (!isIPv4(address)) throw new RangeError(`not an IPv4 address: ${address}`);
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

export function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function maskNumber(prefix: number): number {
  return prefix === 0 ? 0 : 2 ** 32 - 2 ** (32 - prefix);
}

/** `10.0.0.7/24` or `10.0.0.0/24` → the network it names; null for anything that is not IPv4 CIDR. */
export function parseIpv4Cidr(cidr: string): Ipv4Network | null {
  const [address, prefixText, extra] = cidr.split('/');
  if (address === undefined || prefixText === undefined || extra !== undefined || !isIPv4(address))
    return null;
  if (!/^\d{1,2}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > 32) return null;
  const size = 2 ** (32 - prefix);
  const value = ipv4ToNumber(address);
  return { network: value - (value % size), prefix };
}

export function netmaskOf(net: Ipv4Network): string {
  return numberToIpv4(maskNumber(net.prefix));
}

export function networkAddressOf(net: Ipv4Network): string {
  return numberToIpv4(net.network);
}

export function contains(net: Ipv4Network, address: string): boolean {
  if (!isIPv4(address)) return false;
  const value = ipv4ToNumber(address);
  return value >= net.network && value < net.network + 2 ** (32 - net.prefix);
}

export interface NumericRange {
  readonly start: number;
  readonly end: number;
}

/** `ranges` minus every hole, keeping order; holes may overlap each other and the ranges' edges. */
export function subtractRanges(
  ranges: readonly NumericRange[],
  holes: readonly NumericRange[],
): NumericRange[] {
  let pieces = [...ranges];
  for (const hole of holes) {
    pieces = pieces.flatMap((piece) => {
      if (hole.end < piece.start || hole.start > piece.end) return [piece];
      const left = hole.start > piece.start ? [{ start: piece.start, end: hole.start - 1 }] : [];
      const right = hole.end < piece.end ? [{ start: hole.end + 1, end: piece.end }] : [];
      return [...left, ...right];
    });
  }
  return pieces;
}
