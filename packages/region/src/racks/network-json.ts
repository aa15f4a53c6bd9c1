import type { Kysely } from 'kysely';
import { API_PREFIX } from '../api/index.js';
import type { Database } from '../db/index.js';
import { notFound } from '../domain-errors.js';
import type { FabricRow, IpRangeRow, SubnetRow, VlanRow } from './tables.js';

/** MAAS-shaped JSON of the network model (fabric, vlan, subnet, iprange). */
export function vlanJson(vlan: VlanRow, fabric: FabricRow) {
  return {
    id: vlan.id,
    vid: vlan.vid,
    name: vlan.name === '' ? (vlan.vid === 0 ? 'untagged' : String(vlan.vid)) : vlan.name,
    fabric: fabric.name,
    fabric_id: fabric.id,
    mtu: vlan.mtu,
    dhcp_on: vlan.dhcp_on === 1,
    external_dhcp: null,
    primary_rack: vlan.primary_rack,
    secondary_rack: vlan.secondary_rack,
    relay_vlan: null,
    space: 'undefined',
    resource_uri: `${API_PREFIX}vlans/${vlan.id}/`,
  };
}

export function fabricJson(fabric: FabricRow, vlans: readonly VlanRow[]) {
  return {
    id: fabric.id,
    name: fabric.name,
    class_type: null,
    vlans: vlans.map((vlan) => vlanJson(vlan, fabric)),
    resource_uri: `${API_PREFIX}fabrics/${fabric.id}/`,
  };
}

export function subnetJson(subnet: SubnetRow, vlan: VlanRow, fabric: FabricRow) {
  return {
    id: subnet.id,
    name: subnet.name,
    cidr: subnet.cidr,
    gateway_ip: subnet.gateway_ip,
    dns_servers: JSON.parse(subnet.dns_servers) as string[],
    vlan: vlanJson(vlan, fabric),
    space: 'undefined',
    rdns_mode: 2,
    allow_dns: true,
    allow_proxy: true,
    active_discovery: false,
    managed: true,
    disabled_boot_architectures: [],
    resource_uri: `${API_PREFIX}subnets/${subnet.id}/`,
  };
}

export function ipRangeJson(range: IpRangeRow, subnet: ReturnType<typeof subnetJson>) {
  return {
    id: range.id,
    type: range.type,
    start_ip: range.start_ip,
    end_ip: range.end_ip,
    comment: range.comment,
    subnet,
    user: null,
    resource_uri: `${API_PREFIX}ipranges/${range.id}/`,
  };
}

type Db = Kysely<Database>;

export async function fabricById(db: Db, id: number): Promise<FabricRow> {
  const row = await db.selectFrom('fabrics').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('RACK_FABRIC_NOT_FOUND', 'Fabric');
  return row;
}

export async function vlanById(db: Db, id: number): Promise<VlanRow> {
  const row = await db.selectFrom('vlans').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('RACK_VLAN_NOT_FOUND', 'VLAN');
  return row;
}

export async function subnetById(db: Db, id: number): Promise<SubnetRow> {
  const row = await db.selectFrom('subnets').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('RACK_SUBNET_NOT_FOUND', 'Subnet');
  return row;
}

export async function subnetJsonById(db: Db, id: number) {
  const subnet = await subnetById(db, id);
  const vlan = await vlanById(db, subnet.vlan_id);
  return subnetJson(subnet, vlan, await fabricById(db, vlan.fabric_id));
}

/** Every change to the network model bumps this; racks re-read their DHCP state when it moves. */
export async function bumpNetworkVersion(db: Db): Promise<void> {
  await db
    .updateTable('network_version')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', 1)
    .execute();
}

export async function networkVersion(db: Db): Promise<number> {
  const row = await db
    .selectFrom('network_version')
    .select('version')
    .where('id', '=', 1)
    .executeTakeFirst();
  // PostgreSQL returns bigint columns as strings.
  return Number(String(row?.version ?? 0));
}
