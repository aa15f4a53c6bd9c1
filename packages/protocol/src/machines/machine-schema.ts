import { z } from 'zod';
import { ALL_NODE_STATUSES, NODE_STATUS_NAMES, type NodeStatus } from './node-status.js';
import { powerStateSchema } from './power.js';

/** Every field of a machine object in MAAS 3.6's API responses, in MAAS's order (spec §2.11). */
export const MACHINE_FIELDS = [
  'system_id',
  'hostname',
  'description',
  'hardware_uuid',
  'domain',
  'fqdn',
  'owner',
  'owner_data',
  'locked',
  'cache_sets',
  'bcaches',
  'bios_boot_method',
  'boot_interface',
  'architecture',
  'min_hwe_kernel',
  'hwe_kernel',
  'cpu_count',
  'cpu_speed',
  'memory',
  'swap_size',
  'storage',
  'status',
  'osystem',
  'distro_series',
  'ephemeral_deploy',
  'error_description',
  'netboot',
  'power_type',
  'power_state',
  'tag_names',
  'address_ttl',
  'ip_addresses',
  'interface_set',
  'zone',
  'pool',
  'disable_ipv4',
  'constraints_by_type',
  'boot_disk',
  'blockdevice_set',
  'physicalblockdevice_set',
  'virtualblockdevice_set',
  'volume_groups',
  'raids',
  'status_action',
  'status_message',
  'status_name',
  'node_type',
  'node_type_name',
  'special_filesystems',
  'parent',
  'pod',
  'default_gateways',
  'current_commissioning_result_id',
  'current_testing_result_id',
  'current_installation_result_id',
  'commissioning_status',
  'commissioning_status_name',
  'testing_status',
  'testing_status_name',
  'cpu_test_status',
  'cpu_test_status_name',
  'memory_test_status',
  'memory_test_status_name',
  'network_test_status',
  'network_test_status_name',
  'storage_test_status',
  'storage_test_status_name',
  'other_test_status',
  'other_test_status_name',
  'hardware_info',
  'interface_test_status',
  'interface_test_status_name',
  'numanode_set',
  'virtualmachine_id',
  'workload_annotations',
  'last_sync',
  'sync_interval',
  'next_sync',
  'enable_hw_sync',
  'enable_kernel_crash_dump',
  'resource_uri',
] as const;

export type MachineField = (typeof MACHINE_FIELDS)[number];

export const nodeStatusSchema = z
  .number()
  .int()
  .refine((value): value is NodeStatus => (ALL_NODE_STATUSES as number[]).includes(value), {
    message: 'not a machine status code',
  });

/** `{id, name}` references MAAS nests for domain, zone and pool. */
const namedRefSchema = z.looseObject({ id: z.number().int(), name: z.string() });

/**
 * The fields the machines API needs first (listing, lifecycle, power). Other MAAS fields pass
 * through untouched (looseObject) so the schema can parse complete MAAS responses as well.
 */
export const machineSummarySchema = z
  .looseObject({
    system_id: z.string().min(1),
    hostname: z.string(),
    description: z.string(),
    fqdn: z.string(),
    domain: namedRefSchema,
    zone: namedRefSchema,
    pool: namedRefSchema.nullable(),
    owner: z.string().nullable(),
    locked: z.boolean(),
    architecture: z.string(),
    cpu_count: z.number().int().nonnegative(),
    memory: z.number().int().nonnegative(),
    storage: z.number().nonnegative(),
    status: nodeStatusSchema,
    status_name: z.string(),
    status_message: z.string().nullable(),
    status_action: z.string(),
    osystem: z.string(),
    distro_series: z.string(),
    hwe_kernel: z.string().nullable(),
    netboot: z.boolean(),
    ephemeral_deploy: z.boolean(),
    error_description: z.string(),
    power_type: z.string(),
    power_state: powerStateSchema,
    tag_names: z.array(z.string()),
    ip_addresses: z.array(z.string()),
    node_type: z.number().int(),
    node_type_name: z.string(),
    resource_uri: z.string(),
  })
  .refine((m) => NODE_STATUS_NAMES[m.status] === m.status_name, {
    message: 'status_name does not match status',
    path: ['status_name'],
  });

export type MachineSummary = z.infer<typeof machineSummarySchema>;
