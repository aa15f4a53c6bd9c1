/**
 * What the install-config renderers need to know about a machine. The machines module maps its
 * database rows onto these shapes; keeping them structural (not the DB row types) lets the
 * renderers be tested without a database and keeps the wire format independent of the schema.
 */

export type Firmware = 'uefi' | 'bios';

export interface InstallBlockDevice {
  /** Kernel name without /dev, e.g. `vda`, `sda`, `nvme0n1`. */
  readonly name: string;
  /** Device path in the ephemeral environment; defaults to `/dev/<name>`. */
  readonly path?: string | undefined;
  readonly serial?: string | undefined;
  readonly model?: string | undefined;
  /** Bytes. */
  readonly size: number;
}

/** MAAS link modes (interface "links"): AUTO gets an address allocated by the region at deploy time. */
export type LinkMode = 'auto' | 'static' | 'dhcp' | 'link_up';

export interface InstallSubnet {
  readonly cidr: string;
  readonly gateway_ip?: string | undefined;
  readonly dns_servers?: readonly string[] | undefined;
}

export interface InstallLink {
  readonly mode: LinkMode;
  /** Required for static, and for auto once the region allocated it. */
  readonly ip_address?: string | undefined;
  readonly subnet?: InstallSubnet | undefined;
}

export type InterfaceType = 'physical' | 'bond' | 'vlan' | 'bridge' | (string & {});

export interface InstallInterfaceParams {
  readonly bond_mode?: string | undefined;
  readonly bond_miimon?: number | undefined;
  readonly bond_lacp_rate?: string | undefined;
  readonly bond_xmit_hash_policy?: string | undefined;
  readonly bond_updelay?: number | undefined;
  readonly bond_downdelay?: number | undefined;
  readonly bridge_stp?: boolean | undefined;
  readonly bridge_fd?: number | undefined;
}

export interface InstallInterface {
  readonly name: string;
  readonly type: InterfaceType;
  readonly mac_address?: string | undefined;
  readonly mtu?: number | undefined;
  readonly enabled?: boolean | undefined;
  /** Names of parent interfaces: bond members, the VLAN's link, bridge ports. */
  readonly parents?: readonly string[] | undefined;
  readonly vlan_id?: number | undefined;
  readonly params?: InstallInterfaceParams | undefined;
  readonly links?: readonly InstallLink[] | undefined;
}

export interface InstallMachine {
  readonly system_id: string;
  readonly hostname: string;
  readonly domain?: string | undefined;
  /** MAAS architecture, `amd64/generic`. */
  readonly architecture: string;
  readonly osystem: string;
  readonly distro_series: string;
  readonly firmware: Firmware;
  readonly block_devices: readonly InstallBlockDevice[];
  /** Name of the boot disk; defaults to the first block device. */
  readonly boot_disk?: string | undefined;
  readonly interfaces: readonly InstallInterface[];
}
