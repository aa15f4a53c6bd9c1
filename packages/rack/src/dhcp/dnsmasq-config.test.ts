import { describe, expect, it } from 'vitest';
import { externalDhcpSettings } from './boot-file-names.js';
import type { DhcpPlan, PlannedSubnet } from './dhcp-plan.js';
import { renderDnsmasqConfig } from './dnsmasq-config.js';

const subnet: PlannedSubnet = {
  subnetId: 1,
  cidr: '10.20.0.0/24',
  networkAddress: '10.20.0.0',
  netmask: '255.255.255.0',
  interfaceName: 'eth1',
  rackAddress: '10.20.0.2',
  gateway: '10.20.0.1',
  dnsServers: ['10.20.0.1', '9.9.9.9'],
  dynamicRanges: [{ start: '10.20.0.100', end: '10.20.0.200' }],
  hosts: [{ mac: '52:54:00:00:00:01', ip: '10.20.0.10', hostname: 'node1' }],
};
const plan: DhcpPlan = { version: 9, subnets: [subnet], skipped: [], problems: [] };
const paths = {
  leaseFile: '/var/lib/kiln/dhcp/dnsmasq.leases',
  pidFile: '/var/lib/kiln/dhcp/dnsmasq.pid',
};

describe('renderDnsmasqConfig', () => {
  it('renders a DHCP-only dnsmasq bound to the served interfaces', () => {
    expect(renderDnsmasqConfig(plan, paths)).toMatchSnapshot();
  });

  it('has the lines the rack relies on', () => {
    const lines = renderDnsmasqConfig(plan, { ...paths, leaseSeconds: 3600, logDhcp: true }).split(
      '\n',
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        'port=0',
        'bind-interfaces',
        'interface=eth1',
        'dhcp-leasefile=/var/lib/kiln/dhcp/dnsmasq.leases',
        'dhcp-authoritative',
        'log-dhcp',
        'no-ping',
        'dhcp-range=set:subnet-1,10.20.0.100,10.20.0.200,255.255.255.0,3600',
        'dhcp-range=set:subnet-1,10.20.0.0,static,255.255.255.0,3600',
        'dhcp-option=tag:subnet-1,option:router,10.20.0.1',
        'dhcp-option=tag:subnet-1,option:dns-server,10.20.0.1,9.9.9.9',
        'dhcp-host=52:54:00:00:00:01,10.20.0.10,node1,3600',
        'dhcp-userclass=set:ipxe,iPXE',
        'dhcp-match=set:bios,option:client-arch,0',
        'dhcp-match=set:efi-x64,option:client-arch,7',
        'dhcp-match=set:efi-x64,option:client-arch,9',
        'dhcp-match=set:efi-x64-http,option:client-arch,16',
        'dhcp-boot=tag:subnet-1,tag:ipxe,http://10.20.0.2:5248/ipxe.cfg,,10.20.0.2',
        'dhcp-boot=tag:subnet-1,tag:!ipxe,tag:bios,lpxelinux.0,,10.20.0.2',
        'dhcp-boot=tag:subnet-1,tag:!ipxe,tag:efi-x64,bootx64.efi,,10.20.0.2',
        'dhcp-boot=tag:subnet-1,tag:!ipxe,tag:efi-x64-http,http://10.20.0.2:5248/images/bootx64.efi,,10.20.0.2',
        'dhcp-option-force=tag:subnet-1,tag:efi-x64-http,option:vendor-class,HTTPClient',
        'dhcp-option-force=tag:subnet-1,tag:!ipxe,tag:bios,210,http://10.20.0.2:5248/',
      ]),
    );
  });

  it('switches BIOS and UEFI to iPXE binaries when asked', () => {
    const text = renderDnsmasqConfig(plan, {
      ...paths,
      boot: { biosLoader: 'ipxe', uefiLoader: 'ipxe' },
    });
    expect(text).toContain('dhcp-boot=tag:subnet-1,tag:!ipxe,tag:bios,undionly.kpxe,,10.20.0.2\n');
    expect(text).toContain('dhcp-boot=tag:subnet-1,tag:!ipxe,tag:efi-x64,ipxe.efi,,10.20.0.2\n');
    expect(text).not.toContain(',210,');
  });

  it('sends an empty router option when the subnet has no gateway, and no DNS option without servers', () => {
    const bare = { ...subnet, gateway: null, dnsServers: [] };
    const text = renderDnsmasqConfig({ ...plan, subnets: [bare] }, paths);
    expect(text).toContain('dhcp-option=tag:subnet-1,option:router\n');
    expect(text).not.toContain('dns-server');
  });

  it('uses a configured rack HTTP port in every URL it hands out', () => {
    const text = renderDnsmasqConfig(plan, { ...paths, boot: { httpPort: 8248 } });
    expect(text).toContain(',tag:ipxe,http://10.20.0.2:8248/ipxe.cfg,,');
    expect(text).toContain(',http://10.20.0.2:8248/images/bootx64.efi,,');
    expect(text).toContain(',210,http://10.20.0.2:8248/\n');
    expect(text).not.toContain(':5248');
  });

  it("keeps dnsmasq's ping check only when asked", () => {
    expect(renderDnsmasqConfig(plan, { ...paths, pingCheck: true })).not.toContain('no-ping');
  });

  it('is deterministic', () => {
    expect(renderDnsmasqConfig(plan, paths)).toBe(
      renderDnsmasqConfig(structuredClone(plan), paths),
    );
  });
});

describe('externalDhcpSettings', () => {
  it('lists next-server and option 67 per client type for an existing DHCP server', () => {
    const settings = externalDhcpSettings('10.20.0.2');
    expect(settings.nextServer).toBe('10.20.0.2');
    expect(settings.ipxeUserClassFilename).toBe('http://10.20.0.2:5248/ipxe.cfg');
    expect(settings.pxelinuxPathPrefix).toBe('http://10.20.0.2:5248/');
    expect(settings.filenames).toContainEqual({
      clientArch: 0,
      tag: 'bios',
      filename: 'lpxelinux.0',
    });
    expect(settings.filenames).toContainEqual({
      clientArch: 9,
      tag: 'efi-x64',
      filename: 'bootx64.efi',
    });
    expect(settings.filenames).toContainEqual({
      clientArch: 16,
      tag: 'efi-x64-http',
      filename: 'http://10.20.0.2:5248/images/bootx64.efi',
    });
  });
});
