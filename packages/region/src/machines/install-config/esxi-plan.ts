/** The shape of an ESXi network plan: what renderEsxiNetwork returns (see esxi-network.ts). */

export type EsxiTeamingPolicy = 'portid' | 'explicit' | 'iphash';

export interface EsxiUplink {
  readonly name: string;
  readonly mac_address: string | undefined;
}
export interface EsxiVswitch {
  readonly name: string;
  readonly mtu: number | undefined;
  readonly uplinks: EsxiUplink[];
  teaming?: { policy: EsxiTeamingPolicy; active: string[]; standby: string[] };
}
export interface EsxiPortgroup {
  readonly name: string;
  readonly vswitch: string;
  readonly vlan_id: number | undefined;
}
export type EsxiAddress =
  | { readonly family: 'ipv4' | 'ipv6'; readonly type: 'dhcp' }
  | {
      readonly family: 'ipv4';
      readonly type: 'static';
      readonly address: string;
      readonly netmask: string;
    }
  | {
      readonly family: 'ipv6';
      readonly type: 'static';
      readonly address: string;
      readonly prefix: number;
    };
export interface EsxiVmknic {
  readonly name: string;
  readonly portgroup: string;
  readonly mac_address: string | undefined;
  readonly mtu: number | undefined;
  readonly address: EsxiAddress;
}
export interface EsxiIgnored {
  readonly interface: string;
  readonly setting: string;
  readonly value: string;
  readonly reason: string;
}
export interface EsxiNetworkPlan {
  readonly vswitches: EsxiVswitch[];
  readonly portgroups: EsxiPortgroup[];
  readonly vmknics: EsxiVmknic[];
  readonly default_gateways: { ipv4?: string; ipv6?: string };
  readonly nameservers: string[];
  readonly search: string[];
  readonly ignored: EsxiIgnored[];
  /** esxcli argument vectors applying the plan, in order. */
  readonly commands: string[][];
}
