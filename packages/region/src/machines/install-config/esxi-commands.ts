import type { EsxiNetworkPlan } from './esxi-plan.js';

/**
 * The esxcli calls that apply an ESXi network plan on a host whose configuration was wiped first.
 * Uplinks are named by their Linux interface name; the ESXi-side script maps them to vmnicN by
 * MAC address (the plan keeps each uplink's MAC for that).
 */
export function esxiCommands(
  plan: Pick<
    EsxiNetworkPlan,
    'vswitches' | 'portgroups' | 'vmknics' | 'default_gateways' | 'nameservers' | 'search'
  >,
): string[][] {
  const vs = ['esxcli', 'network', 'vswitch', 'standard'];
  const ip = ['esxcli', 'network', 'ip'];
  const out: string[][] = [];
  for (const sw of plan.vswitches) {
    out.push([...vs, 'add', '-v', sw.name]);
    if (sw.mtu !== undefined) out.push([...vs, 'set', '-v', sw.name, '-m', String(sw.mtu)]);
    for (const u of sw.uplinks) out.push([...vs, 'uplink', 'add', '-v', sw.name, '-u', u.name]);
    if (sw.teaming !== undefined) {
      const cmd = [
        ...vs,
        'policy',
        'failover',
        'set',
        '-v',
        sw.name,
        '-l',
        sw.teaming.policy,
        '-a',
        sw.teaming.active.join(','),
      ];
      if (sw.teaming.standby.length > 0) cmd.push('-s', sw.teaming.standby.join(','));
      out.push(cmd);
    }
  }
  for (const pg of plan.portgroups) {
    out.push([...vs, 'portgroup', 'add', '-v', pg.vswitch, '-p', pg.name]);
    if (pg.vlan_id !== undefined)
      out.push([...vs, 'portgroup', 'set', '-p', pg.name, '--vlan-id', String(pg.vlan_id)]);
  }
  for (const vmk of plan.vmknics) {
    const add = [...ip, 'interface', 'add', '-i', vmk.name, '-p', vmk.portgroup];
    if (vmk.mac_address !== undefined) add.push('-M', vmk.mac_address);
    if (vmk.mtu !== undefined) add.push('-m', String(vmk.mtu));
    out.push(add);
    const a = vmk.address;
    if (a.family === 'ipv4') {
      out.push(
        a.type === 'dhcp'
          ? [...ip, 'interface', 'ipv4', 'set', '-i', vmk.name, '-t', 'dhcp']
          : [
              ...ip,
              'interface',
              'ipv4',
              'set',
              '-i',
              vmk.name,
              '-t',
              'static',
              '-I',
              a.address,
              '-N',
              a.netmask,
            ],
      );
    } else {
      out.push(
        a.type === 'dhcp'
          ? [...ip, 'interface', 'ipv6', 'set', '-i', vmk.name, '-d', 'true']
          : [
              ...ip,
              'interface',
              'ipv6',
              'address',
              'add',
              '-i',
              vmk.name,
              '-I',
              `${a.address}/${a.prefix}`,
            ],
      );
    }
  }
  if (plan.default_gateways.ipv4 !== undefined)
    out.push([...ip, 'route', 'ipv4', 'add', '-g', plan.default_gateways.ipv4, '-n', 'default']);
  if (plan.default_gateways.ipv6 !== undefined)
    out.push([...ip, 'route', 'ipv6', 'add', '-g', plan.default_gateways.ipv6, '-n', 'default']);
  for (const s of plan.nameservers) out.push([...ip, 'dns', 'server', 'add', '-s', s]);
  for (const d of plan.search) out.push([...ip, 'dns', 'search', 'add', '-d', d]);
  return out;
}
