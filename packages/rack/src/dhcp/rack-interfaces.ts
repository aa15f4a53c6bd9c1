import { networkInterfaces } from 'node:os';
import type { RackInterface } from './dhcp-plan.js';

/** The rack's IPv4 interfaces with their addresses in CIDR form, loopback left out. */
export function listRackInterfaces(): RackInterface[] {
  return Object.entries(networkInterfaces()).flatMap(([name, addresses]) => {
    const cidrs = (addresses ?? [])
      .filter((address) => address.family === 'IPv4' && !address.internal && address.cidr !== null)
      .map((address) => address.cidr ?? '');
    return cidrs.length === 0 ? [] : [{ name, addresses: cidrs }];
  });
}
