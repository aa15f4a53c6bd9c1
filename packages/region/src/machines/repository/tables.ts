import type { Generated, Selectable } from 'kysely';

/** Tables of migration 0003-machines; same portable conventions as db/schema.ts. */
export interface NamedTable {
  id: Generated<number>;
  name: string;
  description: Generated<string>;
  created: string;
  updated: string;
}

export interface TagsTable {
  id: Generated<number>;
  name: string;
  comment: Generated<string>;
  definition: Generated<string>;
  kernel_opts: Generated<string>;
  created: string;
  updated: string;
}

export interface MachinesTable {
  id: Generated<number>;
  system_id: string;
  hostname: string;
  description: Generated<string>;
  /** MAAS form `amd64/generic`. */
  architecture: string;
  status: number;
  previous_status: number;
  /** ISO time after which the timeout sweeper fails the machine; null when not monitored. */
  status_expires: string | null;
  /** Username of the owner. */
  owner: string | null;
  agent_name: Generated<string>;
  locked: Generated<number>;
  power_type: Generated<string>;
  /** JSON object (validated by the power driver's schema). */
  power_parameters: Generated<string>;
  power_state: Generated<string>;
  osystem: Generated<string>;
  distro_series: Generated<string>;
  hwe_kernel: string | null;
  min_hwe_kernel: Generated<string>;
  /** As the user sent it (usually base64); decoded when served. */
  user_data: string | null;
  ephemeral_deploy: Generated<number>;
  netboot: Generated<number>;
  enlisting: Generated<number>;
  cpu_count: Generated<number>;
  cpu_model: Generated<string>;
  cpu_speed: Generated<number>;
  /** MiB. */
  memory: Generated<number>;
  firmware: string | null;
  hardware_uuid: string | null;
  error_description: Generated<string>;
  zone_id: number;
  pool_id: number;
  /** JSON: set_storage_layout parameters. */
  storage_layout: Generated<string>;
  /** JSON: {erase, secure_erase, quick_erase} of the running release. */
  erase_options: Generated<string>;
  /** JSON: {scripts, enable_ssh} of the running (or last) test request (migration 0008). */
  testing_options: Generated<string>;
  owner_data: Generated<string>;
  /** Rack address the machine last booted from: where its installer finds images. */
  boot_rack_address: string | null;
  /** The HTTP port of that rack's boot server, as the rack reported it (null: before 0009). */
  boot_rack_http_port: number | null;
  created: string;
  updated: string;
}

export interface InterfacesTable {
  id: Generated<number>;
  machine_id: number;
  name: string;
  type: Generated<string>;
  mac_address: string | null;
  params: Generated<string>;
  parents: Generated<string>;
  vlan_id: number | null;
  link_mode: Generated<string>;
  ip_address: string | null;
  subnet_cidr: string | null;
  gateway_ip: string | null;
  mtu: Generated<number>;
  link_connected: Generated<number>;
  speed_mbps: number | null;
}

export interface BlockDevicesTable {
  id: Generated<number>;
  machine_id: number;
  name: string;
  size: number;
  model: Generated<string>;
  serial: Generated<string>;
  path: string;
  rotational: Generated<number>;
}

export interface MachineTagsTable {
  machine_id: number;
  tag_id: number;
}

export interface NodeTokensTable {
  machine_id: number;
  consumer_key: string;
  token_key: string;
  token_secret: string;
  created: string;
}

export interface ScriptResultsTable {
  id: Generated<number>;
  machine_id: number;
  /** commissioning | installation | release | testing */
  result_type: string;
  name: string;
  /** MAAS-style: RUNNING, PASSED, FAILED, TIMEDOUT. */
  status: string;
  exit_status: number | null;
  runtime: string | null;
  output: Buffer;
  created: string;
}

declare module '../../db/schema.js' {
  interface Database {
    zones: NamedTable;
    resource_pools: NamedTable;
    tags: TagsTable;
    machines: MachinesTable;
    interfaces: InterfacesTable;
    block_devices: BlockDevicesTable;
    machine_tags: MachineTagsTable;
    node_tokens: NodeTokensTable;
    script_results: ScriptResultsTable;
  }
}

export type MachineRow = Selectable<MachinesTable>;
export type InterfaceRow = Selectable<InterfacesTable>;
export type BlockDeviceRow = Selectable<BlockDevicesTable>;
export type NamedRow = Selectable<NamedTable>;
export type TagRow = Selectable<TagsTable>;
export type ScriptResultRow = Selectable<ScriptResultsTable>;
