import type { KilnClient } from './kiln-client.js';
import type { LabNetwork } from './netns.js';
import { inNs, waitFor } from './shell.js';

interface Row {
  readonly id: number;
  readonly [key: string]: unknown;
}

/**
 * What an operator does after `kiln start`: import the images from the boot source, and turn DHCP
 * on for the rack's subnet (dynamic range .100–.150, the rack as primary).
 */
export async function configureKiln(api: KilnClient, net: LabNetwork): Promise<void> {
  // MAAS's global kernel_opts: the VMs' consoles are their serial ports, which the harness records.
  await api.post('maas/?op=set_config', {
    name: 'kernel_opts',
    value: 'console=tty0 console=ttyS0,115200',
  });
  await api.post('boot-resources/?op=import');
  await waitFor(
    'the boot images to be imported',
    async () => {
      const importing = await api.get('boot-resources/?op=is_importing');
      const resources = (await api.get('boot-resources/')) as {
        name: string;
        complete?: boolean;
      }[];
      const noble = resources.find((r) => r.name === 'ubuntu/noble');
      return importing === false && noble !== undefined && noble.complete !== false
        ? true
        : undefined;
    },
    600_000,
    3000,
  );
  const racks = await waitFor(
    'the rack controller to register',
    async () => {
      const list = (await api.get('rackcontrollers/')) as { system_id: string }[];
      return list.length > 0 ? list : undefined;
    },
    60_000,
  );
  const rack = racks[0]?.system_id ?? '';
  const cidr = `${net.prefix}.0/24`;
  const subnets = (await api.get('subnets/')) as (Row & {
    cidr: string;
    vlan: Row & { fabric_id: number; vid: number };
  })[];
  const subnet =
    subnets.find((s) => s.cidr === cidr) ??
    ((await api.post('subnets/', { cidr, gateway_ip: net.address })) as (typeof subnets)[number]);
  await api.post('ipranges/', {
    type: 'dynamic',
    start_ip: `${net.prefix}.100`,
    end_ip: `${net.prefix}.150`,
    subnet: String(subnet.id),
  });
  await api.put(`fabrics/${String(subnet.vlan.fabric_id)}/vlans/${String(subnet.vlan.vid)}/`, {
    dhcp_on: 'true',
    primary_rack: rack,
  });
  // The rack applies DHCP on its next poll or heartbeat; a VM switched on before that gets no
  // lease and its firmware gives up. The rack's status page (loopback only) says when it serves.
  await waitFor(
    `the rack's dnsmasq to serve ${cidr}`,
    async () => {
      const text = await inNs(net.ns, 'curl', ['-s', 'http://127.0.0.1:5248/agent/status']);
      const status = JSON.parse(text) as { dhcp?: { state?: string; subnets?: string[] } | null };
      const serving =
        status.dhcp?.state === 'running' &&
        (status.dhcp.subnets ?? []).some((s) => s.startsWith(cidr));
      return serving ? true : undefined;
    },
    120_000,
    1000,
  );
}
