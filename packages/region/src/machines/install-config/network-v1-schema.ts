import { z } from 'zod';

/**
 * Network configuration version 1 (cloud-init "networking config version 1", the form MAAS sends
 * curtin for ESXi and non-Ubuntu systems). Kiln always renders v1: cloud-init on every supported
 * release reads it, and the ESXi renderer consumes the same document.
 */

const subnetSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('static'),
    address: z.string(),
    gateway: z.string().optional(),
    dns_nameservers: z.array(z.string()).optional(),
  }),
  z.object({ type: z.enum(['dhcp', 'dhcp4', 'dhcp6']) }),
  z.object({ type: z.literal('manual') }),
]);
export type NetworkSubnetV1 = z.infer<typeof subnetSchema>;

const common = {
  name: z.string().min(1),
  mtu: z.number().int().positive().optional(),
  mac_address: z.string().optional(),
  subnets: z.array(subnetSchema),
};

export const networkEntryV1Schema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('physical'), ...common }),
  z.object({
    type: z.literal('bond'),
    ...common,
    bond_interfaces: z.array(z.string()).min(1),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  }),
  z.object({
    type: z.literal('vlan'),
    ...common,
    vlan_link: z.string(),
    vlan_id: z.number().int().min(1).max(4094),
  }),
  z.object({
    type: z.literal('bridge'),
    ...common,
    bridge_interfaces: z.array(z.string()).min(1),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  }),
  z.object({
    type: z.literal('nameserver'),
    address: z.array(z.string()),
    search: z.array(z.string()).optional(),
  }),
]);
export type NetworkEntryV1 = z.infer<typeof networkEntryV1Schema>;

export const networkConfigV1Schema = z.object({
  version: z.literal(1),
  config: z.array(networkEntryV1Schema),
});
export type NetworkConfigV1 = z.infer<typeof networkConfigV1Schema>;
