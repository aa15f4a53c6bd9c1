import type { Generated, Selectable } from 'kysely';

export interface DevicesTable {
  id: Generated<number>;
  system_id: string;
  hostname: string;
  domain: string;
  parent: string | null;
  owner: string | null;
  description: Generated<string>;
  created: string;
}

export interface DeviceInterfacesTable {
  id: Generated<number>;
  device_id: number;
  name: string;
  mac_address: string;
  vlan_id: number | null;
  created: string;
}

export type DeviceRow = Selectable<DevicesTable>;
export type DeviceInterfaceRow = Selectable<DeviceInterfacesTable>;

declare module '../db/schema.js' {
  interface Database {
    devices: DevicesTable;
    device_interfaces: DeviceInterfacesTable;
  }
}
