import { describe, expect, it } from 'vitest';
import { NODE_STATUS } from '../machines/index.js';
import {
  BootAnswerSchema,
  EphemeralBootAnswerSchema,
  bootFileRef,
  bootPurposeFor,
  BootRequestSchema,
  DhcpStateSchema,
  clientArchByCode,
  clientArchFromVendorClass,
  macWithDashes,
  normalizeMac,
  preseedUrl,
  rackImageUrl,
} from './index.js';

const SHA = 'a'.repeat(64);
const file = (name: string) => ({
  sha256: SHA,
  name,
  path: `${SHA}/ubuntu/amd64/ga-24.04/noble/stable/${name}`,
  url: rackImageUrl('10.0.0.2', `${SHA}/ubuntu/amd64/ga-24.04/noble/stable/${name}`),
});

const ephemeral = {
  purpose: 'commissioning',
  system_id: 'abc123',
  hostname: 'node1',
  domain: 'maas',
  bootif_mac: '52-54-00-12-34-56',
  rack_address: '10.0.0.2',
  arch: 'amd64',
  subarch: 'ga-24.04',
  osystem: 'ubuntu',
  release: 'noble',
  kernel: file('boot-kernel'),
  initrd: file('boot-initrd'),
  root: file('squashfs'),
  kernel_opts: '',
  kparams: '',
  log_host: '10.0.0.2',
  log_port: 5247,
  preseed_url: preseedUrl('http://10.0.0.2:5248', 'commissioning', 'abc123'),
};

describe('boot wire shapes', () => {
  it('normalises MAC spellings to lowercase colons', () => {
    expect(normalizeMac('52-54-00-AB-cd-EF')).toBe('52:54:00:ab:cd:ef');
    expect(normalizeMac('52:54-00:ab:cd:ef')).toBeNull();
    expect(normalizeMac('52:54:00:ab:cd')).toBeNull();
    expect(macWithDashes('52:54:00:AB:CD:EF')).toBe('52-54-00-ab-cd-ef');
  });

  it('parses an ephemeral answer and canonicalises its MAC', () => {
    const parsed = BootAnswerSchema.parse(ephemeral);
    expect(parsed.bootif_mac).toBe('52:54:00:12:34:56');
    expect(parsed.purpose).toBe('commissioning');
  });

  it('rejects an ephemeral answer without a kernel and a file whose url disagrees with its path', () => {
    const { kernel: _kernel, ...noKernel } = ephemeral;
    expect(BootAnswerSchema.safeParse(noKernel).success).toBe(false);
    const badUrl = {
      ...ephemeral,
      initrd: { ...file('boot-initrd'), url: 'http://10.0.0.2:5248/images/x' },
    };
    expect(BootAnswerSchema.safeParse(badUrl).success).toBe(false);
  });

  it('accepts local and poweroff answers without files', () => {
    const local = {
      purpose: 'local',
      system_id: 'abc123',
      hostname: 'node1',
      domain: 'maas',
      bootif_mac: null,
      rack_address: 'fd00::2',
      arch: 'amd64',
      subarch: 'generic',
    };
    expect(BootAnswerSchema.parse(local).purpose).toBe('local');
    expect(BootAnswerSchema.safeParse({ ...local, purpose: 'rescue' }).success).toBe(false);
  });

  it('validates requests', () => {
    const request = {
      mac: null,
      arch: 'amd64',
      subarch: null,
      uuid: null,
      rack_address: '10.0.0.2',
      remote_address: null,
      protocol: 'tftp',
      loader: 'pxelinux',
    };
    expect(BootRequestSchema.parse(request).loader).toBe('pxelinux');
    expect(BootRequestSchema.safeParse({ ...request, arch: '../etc' }).success).toBe(false);
    expect(BootRequestSchema.safeParse({ ...request, protocol: 'ftp' }).success).toBe(false);
  });

  it('builds MAAS preseed URLs', () => {
    expect(preseedUrl('http://10.0.0.2:5248/', 'enlist', null)).toBe(
      'http://10.0.0.2:5248/MAAS/metadata/latest/enlist-preseed/?op=get_enlist_preseed',
    );
    expect(preseedUrl('http://10.0.0.2:5248', 'xinstall', 'x y')).toBe(
      'http://10.0.0.2:5248/MAAS/metadata/latest/by-id/x%20y/?op=get_preseed',
    );
    expect(rackImageUrl('fd00::2', `${SHA}/k`)).toBe(`http://[fd00::2]:5248/images/${SHA}/k`);
  });

  it('maps option 93 codes and PXE vendor classes', () => {
    expect(clientArchByCode(0)?.tag).toBe('bios');
    expect(clientArchByCode(9)?.tag).toBe('efi-x64');
    expect(clientArchByCode(16)?.firmware).toBe('uefi-http');
    expect(clientArchByCode(99)).toBeUndefined();
    expect(clientArchFromVendorClass('PXEClient:Arch:00007:UNDI:003016')?.arch).toBe('amd64');
    expect(clientArchFromVendorClass('HTTPClient:Arch:00019')?.arch).toBe('arm64');
    expect(clientArchFromVendorClass('udhcp 1.35.0')).toBeUndefined();
  });

  it('validates DHCP state', () => {
    const state = {
      version: 3,
      subnets: [{ id: 1, cidr: '10.0.0.0/24', gateway_ip: '10.0.0.1', dns_servers: [], vlan: 5 }],
      vlans: [{ id: 5, vid: 0, dhcp_on: true, primary_rack: 'rack01' }],
      ipranges: [
        { id: 1, type: 'dynamic', start_ip: '10.0.0.100', end_ip: '10.0.0.200', subnet: 1 },
      ],
      hosts: [{ mac: '52:54:00:00:00:01', ip: '10.0.0.10', hostname: 'node1' }],
    };
    expect(DhcpStateSchema.parse(state).hosts[0]?.mac).toBe('52:54:00:00:00:01');
    expect(
      DhcpStateSchema.safeParse({ ...state, subnets: [{ ...state.subnets[0], cidr: '10.0.0.0' }] })
        .success,
    ).toBe(false);
    expect(
      DhcpStateSchema.safeParse({ ...state, hosts: [{ ...state.hosts[0], hostname: 'bad name' }] })
        .success,
    ).toBe(false);
  });
});

describe('bootPurposeFor', () => {
  const machine = { isMachine: true, netboot: true, ephemeralDeploy: false };
  it.each([
    [null, 'enlist'],
    [NODE_STATUS.COMMISSIONING, 'commissioning'],
    [NODE_STATUS.TESTING, 'commissioning'],
    [NODE_STATUS.DISK_ERASING, 'commissioning'],
    [NODE_STATUS.RESCUE_MODE, 'commissioning'],
    [NODE_STATUS.RELEASING, 'commissioning'],
    [NODE_STATUS.DEPLOYING, 'xinstall'],
    [NODE_STATUS.DEPLOYED, 'local'],
    [NODE_STATUS.NEW, 'poweroff'],
    [NODE_STATUS.READY, 'poweroff'],
    [NODE_STATUS.ALLOCATED, 'poweroff'],
    [NODE_STATUS.FAILED_DEPLOYMENT, 'poweroff'],
  ] as const)('status %s → %s', (status, purpose) => {
    expect(bootPurposeFor({ ...machine, status })).toBe(purpose);
  });

  it('boots the disk once netboot is off, images every time for ephemeral deploys, and locally for devices', () => {
    expect(bootPurposeFor({ ...machine, status: NODE_STATUS.DEPLOYING, netboot: false })).toBe(
      'local',
    );
    expect(
      bootPurposeFor({ ...machine, status: NODE_STATUS.DEPLOYED, ephemeralDeploy: true }),
    ).toBe('xinstall');
    expect(
      bootPurposeFor({ ...machine, status: NODE_STATUS.COMMISSIONING, isMachine: false }),
    ).toBe('local');
  });
});

describe('bootFileRef', () => {
  it('builds the MAAS-shaped path and the rack URL, which the answer schema accepts', () => {
    const file = bootFileRef(
      '10.0.0.2',
      {
        sha256: SHA,
        name: 'boot-kernel',
        osystem: 'ubuntu',
        arch: 'amd64',
        subarch: 'ga-24.04',
        release: 'noble',
        label: 'stable',
      },
      8248,
    );
    expect(file.path).toBe(`${SHA}/ubuntu/amd64/ga-24.04/noble/stable/boot-kernel`);
    expect(file.url).toBe(`http://10.0.0.2:8248/images/${file.path}`);
    expect(EphemeralBootAnswerSchema.parse({ ...ephemeral, kernel: file }).kernel).toEqual(file);
  });
});
