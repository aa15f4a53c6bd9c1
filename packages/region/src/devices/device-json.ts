import type { Kysely } from 'kysely';
import { API_PREFIX, notFound } from '../api/index.js';
import type { Database } from '../db/index.js';
import { fabricById, vlanById, vlanJson } from '../racks/index.js';
import type { DeviceInterfaceRow, DeviceRow } from './tables.js';

type Db = Kysely<Database>;

export async function deviceInterfaceJson(db: Db, device: DeviceRow, row: DeviceInterfaceRow) {
  const vlan = row.vlan_id === null ? null : await vlanById(db, row.vlan_id);
  return {
    id: row.id,
    name: row.name,
    type: 'physical',
    enabled: true,
    tags: [],
    mac_address: row.mac_address,
    vlan: vlan === null ? null : vlanJson(vlan, await fabricById(db, vlan.fabric_id)),
    links: [],
    parents: [],
    children: [],
    effective_mtu: vlan?.mtu ?? 1500,
    params: {},
    system_id: device.system_id,
    resource_uri: `${API_PREFIX}nodes/${device.system_id}/interfaces/${String(row.id)}/`,
  };
}

/** A device as MAAS 3.6 shows it (the fields gomaasapi's device schema requires and more). */
export async function deviceJson(db: Db, device: DeviceRow) {
  const interfaces = await db
    .selectFrom('device_interfaces')
    .selectAll()
    .where('device_id', '=', device.id)
    .orderBy('id')
    .execute();
  const zone = await db
    .selectFrom('zones')
    .select(['id', 'name', 'description'])
    .where('name', '=', 'default')
    .executeTakeFirst();
  return {
    system_id: device.system_id,
    hostname: device.hostname,
    description: device.description,
    domain: { name: device.domain },
    fqdn: `${device.hostname}.${device.domain}`,
    owner: device.owner,
    owner_data: {},
    parent: device.parent,
    tag_names: [],
    address_ttl: null,
    ip_addresses: [],
    interface_set: await Promise.all(interfaces.map((i) => deviceInterfaceJson(db, device, i))),
    zone: {
      id: zone?.id ?? 1,
      name: zone?.name ?? 'default',
      description: zone?.description ?? '',
      resource_uri: `${API_PREFIX}zones/default/`,
    },
    pool: null,
    node_type: 1,
    node_type_name: 'Device',
    workload_annotations: {},
    resource_uri: `${API_PREFIX}devices/${device.system_id}/`,
  };
}

export async function deviceBySystemId(db: Db, systemId: string): Promise<DeviceRow> {
  const row = await db
    .selectFrom('devices')
    .selectAll()
    .where('system_id', '=', systemId)
    .executeTakeFirst();
  if (row === undefined) throw notFound('DEVICE_NOT_FOUND', 'Device');
  return row;
}
