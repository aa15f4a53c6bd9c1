import { z } from 'zod';
import { MacAddressSchema } from './mac-address.js';

/**
 * The network model the region sends a rack so it can serve DHCP: MAAS-shaped subnets, VLANs and
 * IP ranges (spec §2, `subnets/`, `vlans/`, `ipranges/`), plus one reservation per known machine
 * interface. References between them are by id, as in MAAS's API.
 */
const IpAddressSchema = z.union([z.ipv4(), z.ipv6()]);

export const DhcpSubnetSchema = z.object({
  id: z.number().int().nonnegative(),
  name: z.string().optional(),
  cidr: z.union([z.cidrv4(), z.cidrv6()]),
  gateway_ip: IpAddressSchema.nullable(),
  dns_servers: z.array(IpAddressSchema),
  vlan: z.number().int().nonnegative(),
});
export type DhcpSubnet = z.infer<typeof DhcpSubnetSchema>;

export const DhcpVlanSchema = z.object({
  id: z.number().int().nonnegative(),
  vid: z.number().int().min(0).max(4094),
  name: z.string().optional(),
  dhcp_on: z.boolean(),
  /** system_id of the rack that serves DHCP on this VLAN. */
  primary_rack: z.string().min(1).nullable(),
  secondary_rack: z.string().min(1).nullable().optional(),
});
export type DhcpVlan = z.infer<typeof DhcpVlanSchema>;

export const IP_RANGE_TYPES = ['dynamic', 'reserved'] as const;
export type IpRangeType = (typeof IP_RANGE_TYPES)[number];

export const DhcpIpRangeSchema = z.object({
  id: z.number().int().nonnegative(),
  type: z.enum(IP_RANGE_TYPES),
  start_ip: IpAddressSchema,
  end_ip: IpAddressSchema,
  subnet: z.number().int().nonnegative(),
  comment: z.string().optional(),
});
export type DhcpIpRange = z.infer<typeof DhcpIpRangeSchema>;

/** A known machine interface: always gets the same address and its host name. */
export const DhcpHostSchema = z.object({
  mac: MacAddressSchema,
  ip: IpAddressSchema,
  hostname: z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,62})$/, 'expected a host name label'),
});
export type DhcpHost = z.infer<typeof DhcpHostSchema>;

export const DhcpStateSchema = z.object({
  /** Increases with every change the region makes; lets a rack skip re-rendering identical state. */
  version: z.number().int().nonnegative(),
  subnets: z.array(DhcpSubnetSchema),
  vlans: z.array(DhcpVlanSchema),
  ipranges: z.array(DhcpIpRangeSchema),
  hosts: z.array(DhcpHostSchema),
});
export type DhcpState = z.infer<typeof DhcpStateSchema>;
