import type { Generated, Selectable } from 'kysely';

/** Tables of migration 0005-racks (see there for what each column means), plus 0007's cache column. */
export interface RackControllersTable {
  id: Generated<number>;
  system_id: string;
  hostname: string;
  architecture: Generated<string>;
  version: Generated<string>;
  description: Generated<string>;
  interfaces: Generated<string>;
  services: Generated<string>;
  cpu_count: Generated<number>;
  memory: Generated<number>;
  /** JSON `RackCacheReport` from the latest heartbeat (migration 0007); null until reported. */
  cache_stats: string | null;
  last_seen: string;
  created: string;
  updated: string;
}

export interface FabricsTable {
  id: Generated<number>;
  name: string;
  created: string;
}

export interface VlansTable {
  id: Generated<number>;
  fabric_id: number;
  vid: number;
  name: Generated<string>;
  mtu: Generated<number>;
  dhcp_on: Generated<number>;
  primary_rack: string | null;
  secondary_rack: string | null;
  created: string;
}

export interface SubnetsTable {
  id: Generated<number>;
  name: string;
  cidr: string;
  gateway_ip: string | null;
  dns_servers: Generated<string>;
  vlan_id: number;
  created: string;
}

export interface IpRangesTable {
  id: Generated<number>;
  type: string;
  start_ip: string;
  end_ip: string;
  subnet_id: number;
  comment: Generated<string>;
  created: string;
}

export interface DhcpReservationsTable {
  mac: string;
  ip: string;
  subnet_id: number;
}

export interface NetworkVersionTable {
  id: number;
  version: number;
}

declare module '../db/schema.js' {
  interface Database {
    rack_controllers: RackControllersTable;
    fabrics: FabricsTable;
    vlans: VlansTable;
    subnets: SubnetsTable;
    ipranges: IpRangesTable;
    dhcp_reservations: DhcpReservationsTable;
    network_version: NetworkVersionTable;
  }
}

export type RackRow = Selectable<RackControllersTable>;
export type FabricRow = Selectable<FabricsTable>;
export type VlanRow = Selectable<VlansTable>;
export type SubnetRow = Selectable<SubnetsTable>;
export type IpRangeRow = Selectable<IpRangesTable>;
