import { AppError } from '@kiln/node-kit';
import type { NetworkConfigV1, NetworkEntryV1, NetworkSubnetV1 } from './network-v1-schema.js';
import { networkConfigV1Schema } from './network-v1-schema.js';
import { esxiCommands } from './esxi-commands.js';
import type {
  EsxiAddress,
  EsxiNetworkPlan,
  EsxiTeamingPolicy,
  EsxiUplink,
  EsxiVswitch,
} from './esxi-plan.js';

/**
 * Network config v1 → the standard-vSwitch layout an ESXi host gets (seeds: DHCP, static/auto
 * IPs, aliases, VLANs and bonds only). Every configured physical NIC or bond gets a vSwitch and a
 * VMkernel NIC keeping its MAC; extra subnets become alias port groups with their own vmk; a
 * VLAN gets a tagged port group on its parent's vSwitch (a new vSwitch when the parent has none).
 * Bonds become NIC teaming: balance-rr → portid, active-backup → explicit (the bond MAC's NIC
 * active), 802.3ad → iphash; settings ESXi has no equivalent for are returned in `ignored`.
 */

const TEAMING: Readonly<Record<string, EsxiTeamingPolicy>> = {
  'balance-rr': 'portid',
  'active-backup': 'explicit',
  '802.3ad': 'iphash',
};
const NO_EQUIVALENT = [
  'bond-lacp-rate',
  'bond-xmit-hash-policy',
  'bond-miimon',
  'bond-updelay',
  'bond-downdelay',
];

function unsupported(message: string, iface: string): AppError {
  return new AppError('MACHINE_ESXI_NETWORK_UNSUPPORTED', message, {
    details: { interface: iface },
  });
}

function netmaskOf(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.');
}

function addressOf(subnet: NetworkSubnetV1, iface: string): EsxiAddress | undefined {
  switch (subnet.type) {
    case 'manual':
      return undefined;
    case 'dhcp':
    case 'dhcp4':
      return { family: 'ipv4', type: 'dhcp' };
    case 'dhcp6':
      return { family: 'ipv6', type: 'dhcp' };
    case 'static': {
      const [ip = '', prefixText] = subnet.address.split('/');
      const v6 = ip.includes(':');
      const prefix = Number(prefixText ?? (v6 ? 64 : 24));
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (v6 ? 128 : 32)) {
        throw unsupported(
          `Interface ${iface}: '${subnet.address}' is not an address with a prefix.`,
          iface,
        );
      }
      return v6
        ? { family: 'ipv6', type: 'static', address: ip, prefix }
        : { family: 'ipv4', type: 'static', address: ip, netmask: netmaskOf(prefix) };
    }
  }
}

export function renderEsxiNetwork(input: NetworkConfigV1): EsxiNetworkPlan {
  const parsed = networkConfigV1Schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      'MACHINE_ESXI_NETWORK_UNSUPPORTED',
      'ESXi accepts only network config version 1.',
      {
        details: { issues: parsed.error.issues.map((i) => i.message) },
      },
    );
  }
  const entries = parsed.data.config;
  const plan: EsxiNetworkPlan = {
    vswitches: [],
    portgroups: [],
    vmknics: [],
    default_gateways: {},
    nameservers: [],
    search: [],
    ignored: [],
    commands: [],
  };
  const byName = new Map<string, NetworkEntryV1>();
  for (const e of entries) if (e.type !== 'nameserver') byName.set(e.name, e);
  const bondMember = new Set<string>();
  for (const e of entries) {
    if (e.type === 'bridge')
      throw unsupported(`Interface ${e.name}: bridges are not supported on ESXi.`, e.name);
    if (e.type === 'bond') e.bond_interfaces.forEach((m) => bondMember.add(m));
  }
  const switchOf = new Map<string, EsxiVswitch>();
  const newSwitch = (mtu: number | undefined, uplinks: EsxiUplink[]): EsxiVswitch => {
    const sw: EsxiVswitch = { name: `vSwitch${plan.vswitches.length}`, mtu, uplinks };
    plan.vswitches.push(sw);
    return sw;
  };
  const uplinkOf = (name: string): EsxiUplink => {
    const e = byName.get(name);
    if (e?.type !== 'physical')
      throw unsupported(`Interface ${name}: only physical NICs can be uplinks on ESXi.`, name);
    return { name, mac_address: e.mac_address };
  };
  const addVmks = (
    e: Exclude<NetworkEntryV1, { type: 'nameserver' }>,
    sw: EsxiVswitch,
    vlan: number | undefined,
  ): void => {
    let alias = 0;
    for (const subnet of e.subnets) {
      const address = addressOf(subnet, e.name);
      if (address === undefined) continue;
      const portgroup = alias === 0 ? e.name : `${e.name}:${alias}`;
      plan.portgroups.push({ name: portgroup, vswitch: sw.name, vlan_id: vlan });
      // Only the first vmk can carry the device's MAC: two vmks with one MAC break ARP.
      plan.vmknics.push({
        name: `vmk${plan.vmknics.length}`,
        portgroup,
        mac_address: alias === 0 ? e.mac_address : undefined,
        mtu: e.mtu,
        address,
      });
      alias += 1;
      if (subnet.type === 'static') {
        if (subnet.gateway !== undefined) {
          const family = subnet.gateway.includes(':') ? 'ipv6' : 'ipv4';
          plan.default_gateways[family] ??= subnet.gateway;
        }
        for (const s of subnet.dns_nameservers ?? [])
          if (!plan.nameservers.includes(s)) plan.nameservers.push(s);
      }
    }
  };
  const configured = (e: { subnets: NetworkSubnetV1[] }): boolean =>
    e.subnets.some((s) => s.type !== 'manual');
  for (const e of entries) {
    switch (e.type) {
      case 'physical': {
        if (bondMember.has(e.name) || !configured(e)) break;
        const sw = newSwitch(e.mtu, [uplinkOf(e.name)]);
        switchOf.set(e.name, sw);
        addVmks(e, sw, undefined);
        break;
      }
      case 'bond': {
        const mode = String(e.params['bond-mode'] ?? 'balance-rr');
        const policy = TEAMING[mode];
        if (policy === undefined) {
          throw unsupported(
            `Bond ${e.name}: mode '${mode}' has no ESXi teaming equivalent (balance-rr, active-backup, 802.3ad).`,
            e.name,
          );
        }
        for (const key of NO_EQUIVALENT) {
          const value = e.params[key];
          if (value !== undefined) {
            plan.ignored.push({
              interface: e.name,
              setting: key,
              value: String(value),
              reason: 'ESXi NIC teaming has no equivalent',
            });
          }
        }
        const uplinks = e.bond_interfaces.map(uplinkOf);
        // active-backup: the NIC whose MAC the bond carries is the active one, as on Linux.
        const first = uplinks.findIndex(
          (u) => u.mac_address !== undefined && u.mac_address === e.mac_address,
        );
        const ordered =
          policy === 'explicit' && first > 0
            ? [...uplinks.slice(first, first + 1), ...uplinks.filter((_, i) => i !== first)]
            : uplinks;
        const sw = newSwitch(e.mtu, ordered);
        const names = ordered.map((u) => u.name);
        sw.teaming =
          policy === 'explicit'
            ? { policy, active: names.slice(0, 1), standby: names.slice(1) }
            : { policy, active: names, standby: [] };
        switchOf.set(e.name, sw);
        addVmks(e, sw, undefined);
        break;
      }
      case 'vlan': {
        let sw = switchOf.get(e.vlan_link);
        if (sw === undefined) {
          sw = newSwitch(e.mtu, [uplinkOf(e.vlan_link)]);
          switchOf.set(e.vlan_link, sw);
        }
        addVmks(e, sw, e.vlan_id);
        break;
      }
      case 'nameserver':
        for (const s of e.address) if (!plan.nameservers.includes(s)) plan.nameservers.push(s);
        for (const d of e.search ?? []) if (!plan.search.includes(d)) plan.search.push(d);
        break;
      case 'bridge':
        break;
    }
  }
  plan.commands.push(...esxiCommands(plan));
  return plan;
}
