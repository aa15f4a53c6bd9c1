import type { NodeStatus, TimelineEntry } from '@kiln/protocol';

export interface MachineInterface {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  readonly mac_address: string;
  readonly link_speed?: number;
  readonly enabled?: boolean;
}

export interface BlockDevice {
  readonly id: number;
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly model: string;
  readonly serial: string;
}

export interface Machine {
  readonly system_id: string;
  readonly hostname: string;
  readonly fqdn: string;
  readonly owner: string | null;
  readonly locked: boolean;
  readonly architecture: string;
  readonly cpu_count: number;
  readonly cpu_speed: number;
  readonly memory: number;
  readonly storage: number;
  readonly status: NodeStatus;
  readonly status_name: string;
  readonly status_message: string | null;
  readonly power_state: string;
  readonly power_type: string;
  readonly osystem: string;
  readonly distro_series: string;
  readonly ip_addresses: readonly string[];
  readonly interface_set: readonly MachineInterface[];
  readonly blockdevice_set: readonly BlockDevice[];
  readonly tag_names: readonly string[];
  readonly zone: { readonly name: string };
  readonly pool: { readonly name: string };
  readonly hardware_info: { readonly cpu_model: string; readonly system_vendor: string };
}

export interface MachineDetails {
  readonly timeline: readonly TimelineEntry[];
  readonly script_results: readonly {
    id: number;
    name: string;
    result_type: number;
    status: number;
    exit_status: number | null;
    runtime: number | null;
  }[];
}
