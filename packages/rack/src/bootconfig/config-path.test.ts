import { describe, expect, it } from 'vitest';
import { parseBootConfigPath } from './config-path.js';

describe('parseBootConfigPath', () => {
  it.each([
    ['ipxe.cfg', { loader: 'ipxe', kind: 'bootstrap' }],
    ['/grub/grub.cfg', { loader: 'grub', kind: 'bootstrap' }],
    ['ipxe.cfg-52:54:00:AB:CD:EF', { loader: 'ipxe', kind: 'mac', mac: '52:54:00:ab:cd:ef' }],
    ['ipxe.cfg-52-54-00-ab-cd-ef', { loader: 'ipxe', kind: 'mac', mac: '52:54:00:ab:cd:ef' }],
    ['ipxe.cfg-default', { loader: 'ipxe', kind: 'default', arch: null, subarch: null }],
    ['ipxe.cfg-default-arm64', { loader: 'ipxe', kind: 'default', arch: 'arm64', subarch: null }],
    [
      'ipxe.cfg-default-amd64-ga-24.04',
      { loader: 'ipxe', kind: 'default', arch: 'amd64', subarch: 'ga-24.04' },
    ],
    [
      'pxelinux.cfg/01-52-54-00-12-34-56',
      { loader: 'pxelinux', kind: 'mac', mac: '52:54:00:12:34:56' },
    ],
    ['pxelinux.cfg/default', { loader: 'pxelinux', kind: 'default', arch: null, subarch: null }],
    [
      'pxelinux.cfg/default.amd64',
      { loader: 'pxelinux', kind: 'default', arch: 'amd64', subarch: null },
    ],
    [
      'pxelinux.cfg/default-i386-generic',
      { loader: 'pxelinux', kind: 'default', arch: 'i386', subarch: 'generic' },
    ],
    [
      'pxelinux.cfg/564D1A2B-0C3D-4E5F-8A9B-0C1D2E3F4A5B',
      { loader: 'pxelinux', kind: 'uuid', uuid: '564d1a2b-0c3d-4e5f-8a9b-0c1d2e3f4a5b' },
    ],
    ['grub/grub.cfg-52:54:00:12:34:56', { loader: 'grub', kind: 'mac', mac: '52:54:00:12:34:56' }],
    [
      'grub/grub.cfg-default-x86_64',
      { loader: 'grub', kind: 'default', arch: 'amd64', subarch: null },
    ],
    [
      'grub/grub.cfg-default-ppc64le',
      { loader: 'grub', kind: 'default', arch: 'ppc64el', subarch: null },
    ],
    [
      'grub/grub.cfg-default-amd64',
      { loader: 'grub', kind: 'default', arch: 'amd64', subarch: null },
    ],
  ])('%s', (path, expected) => {
    expect(parseBootConfigPath(path)).toEqual(expected);
  });

  it.each([
    'pxelinux.cfg/C0A8010A',
    'pxelinux.cfg/01-52-54-00-12-34',
    'ipxe.cfg-52:54-00:12:34:56',
    'ipxe.cfg-default-../../etc',
    'grub/x86_64-efi/command.lst',
    'lpxelinux.0',
    'images/aaaa/boot-kernel',
    'grub/grub.cfg-',
  ])('is not a config: %s', (path) => {
    expect(parseBootConfigPath(path)).toBeNull();
  });
});
