import {
  NODE_TYPE,
  NODE_TYPE_NAMES,
  availableActions,
  isNodeStatus,
  nodeStatusName,
  NODE_STATUS,
  type NodeStatus,
} from '@kiln/protocol';
import { API_PREFIX } from '../../api/handler-types.js';
import { readJsonObject } from '../../db/index.js';
import type { MachineView } from './machine-view.js';
import type { BlockDeviceRow, InterfaceRow, MachineRow } from './tables.js';

export const MACHINE_DOMAIN = 'maas';

export function machineStatus(machine: MachineRow): NodeStatus {
  return isNodeStatus(machine.status) ? machine.status : NODE_STATUS.NEW;
}

function interfaceJson(systemId: string, row: InterfaceRow, all: readonly InterfaceRow[]) {
  const parents = JSON.parse(row.parents) as string[];
  const children = all.filter((o) => (JSON.parse(o.parents) as string[]).includes(row.name));
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    mac_address: row.mac_address ?? all.find((o) => parents.includes(o.name))?.mac_address ?? null,
    enabled: true,
    parents,
    children: children.map((c) => c.name),
    // gomaasapi reads vlan as a whole VLAN object or null; a machine interface's VLAN is not yet
    // resolved against the network model, so it is null rather than a partial object.
    vlan: null,
    tags: [],
    params: readJsonObject(row.params),
    effective_mtu: row.mtu,
    link_connected: row.link_connected === 1,
    link_speed: row.speed_mbps ?? 0,
    links:
      row.ip_address === null && row.link_mode !== 'dhcp'
        ? []
        : [
            {
              id: row.id,
              mode: row.link_mode,
              // MAAS leaves ip_address out of a link without an address; strict clients refuse null.
              ...(row.ip_address === null ? {} : { ip_address: row.ip_address }),
              subnet:
                row.subnet_cidr === null
                  ? null
                  : { cidr: row.subnet_cidr, gateway_ip: row.gateway_ip },
            },
          ],
    system_id: systemId,
    resource_uri: `${API_PREFIX}nodes/${systemId}/interfaces/${row.id}/`,
  };
}

function blockDeviceJson(systemId: string, row: BlockDeviceRow) {
  // Kiln lays disks out at deploy time and keeps no partition table, so a disk reads as unused.
  return {
    id: row.id,
    name: row.name,
    type: 'physical',
    uuid: null,
    path: row.path,
    size: row.size,
    used_size: 0,
    available_size: row.size,
    used_for: 'Unused',
    partitions: [],
    filesystem: null,
    partition_table_type: null,
    storage_pool: null,
    numa_node: 0,
    block_size: 512,
    model: row.model,
    serial: row.serial,
    id_path: row.path,
    tags: row.rotational === 1 ? ['rotary'] : ['ssd'],
    system_id: systemId,
    resource_uri: `${API_PREFIX}nodes/${systemId}/blockdevices/${row.id}/`,
  };
}

/** The machine object of MAAS 3.6 (every field of MACHINE_FIELDS, in order). */
export function machineJson(view: MachineView): Record<string, unknown> {
  const m = view.machine;
  const status = machineStatus(m);
  const devices = view.blockDevices.map((d) => blockDeviceJson(m.system_id, d));
  const storageMb = view.blockDevices.reduce((sum, d) => sum + d.size, 0) / 1e6;
  const actions = availableActions({ status, systemId: m.system_id, locked: m.locked === 1 });
  const addresses = view.interfaces.flatMap((i) => (i.ip_address === null ? [] : [i.ip_address]));
  const boot = view.interfaces.find((i) => i.type === 'physical') ?? null;
  const testStatus = { testing_status: -1, testing_status_name: 'None' };
  const ref = (row: { id: number; name: string; description: string }, path: string) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    resource_uri: `${API_PREFIX}${path}/${row.name}/`,
  });
  return {
    system_id: m.system_id,
    hostname: m.hostname,
    description: m.description,
    hardware_uuid: m.hardware_uuid,
    domain: { id: 0, name: MACHINE_DOMAIN },
    fqdn: `${m.hostname}.${MACHINE_DOMAIN}`,
    owner: m.owner,
    owner_data: readJsonObject(m.owner_data),
    locked: m.locked === 1,
    cache_sets: [],
    bcaches: [],
    bios_boot_method: m.firmware === 'uefi' ? 'uefi' : 'pxe',
    boot_interface: boot === null ? null : interfaceJson(m.system_id, boot, view.interfaces),
    architecture: m.architecture,
    min_hwe_kernel: m.min_hwe_kernel,
    hwe_kernel: m.hwe_kernel,
    cpu_count: m.cpu_count,
    cpu_speed: m.cpu_speed,
    memory: m.memory,
    swap_size: null,
    storage: storageMb,
    status,
    osystem: m.osystem,
    distro_series: m.distro_series,
    ephemeral_deploy: m.ephemeral_deploy === 1,
    error_description: m.error_description,
    netboot: m.netboot === 1,
    power_type: m.power_type,
    power_state: m.power_state,
    tag_names: [...view.tags],
    address_ttl: null,
    ip_addresses: addresses,
    interface_set: view.interfaces.map((i) => interfaceJson(m.system_id, i, view.interfaces)),
    zone: ref(view.zone, 'zones'),
    pool: ref(view.pool, 'resourcepool'),
    disable_ipv4: false,
    constraints_by_type: {},
    boot_disk: devices[0] ?? null,
    blockdevice_set: devices,
    physicalblockdevice_set: devices,
    virtualblockdevice_set: [],
    volume_groups: [],
    raids: [],
    status_action: actions[0] ?? '',
    status_message: m.error_description !== '' ? m.error_description : null,
    status_name: nodeStatusName(status),
    node_type: NODE_TYPE.MACHINE,
    node_type_name: NODE_TYPE_NAMES[NODE_TYPE.MACHINE],
    special_filesystems: [],
    parent: null,
    pod: null,
    default_gateways: {
      ipv4: { gateway_ip: null, link_id: null },
      ipv6: { gateway_ip: null, link_id: null },
    },
    current_commissioning_result_id: null,
    current_testing_result_id: null,
    current_installation_result_id: null,
    commissioning_status: m.cpu_count > 0 ? 2 : -1,
    commissioning_status_name: m.cpu_count > 0 ? 'Passed' : 'None',
    ...testStatus,
    cpu_test_status: -1,
    cpu_test_status_name: 'None',
    memory_test_status: -1,
    memory_test_status_name: 'None',
    network_test_status: -1,
    network_test_status_name: 'None',
    storage_test_status: -1,
    storage_test_status_name: 'None',
    other_test_status: -1,
    other_test_status_name: 'None',
    hardware_info: {
      cpu_model: m.cpu_model,
      system_vendor: 'Unknown',
      system_product: 'Unknown',
      system_version: 'Unknown',
      system_serial: 'Unknown',
      mainboard_vendor: 'Unknown',
      mainboard_product: 'Unknown',
      mainboard_firmware_version: 'Unknown',
      mainboard_firmware_date: 'Unknown',
    },
    interface_test_status: -1,
    interface_test_status_name: 'None',
    numanode_set: [{ index: 0, cores: [...Array(m.cpu_count).keys()], memory: m.memory }],
    virtualmachine_id: null,
    workload_annotations: {},
    last_sync: null,
    sync_interval: null,
    next_sync: null,
    enable_hw_sync: false,
    enable_kernel_crash_dump: false,
    resource_uri: `${API_PREFIX}machines/${m.system_id}/`,
  };
}
