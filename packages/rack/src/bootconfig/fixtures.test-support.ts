import type { BootAnswer, BootFile, EphemeralBootAnswer, LocalBootAnswer } from '@kiln/protocol';
import { preseedUrl, rackBaseUrl, rackImageUrl } from '@kiln/protocol';

/** Hand-made region answers shared by the bootconfig tests. */
export const RACK = '10.0.0.2';
export const MAC = '52:54:00:12:34:56';
const SHA = { kernel: 'a'.repeat(64), initrd: 'b'.repeat(64), root: 'c'.repeat(64) };

export function bootFile(rack: string, sha256: string, name: string): BootFile {
  const path = `${sha256}/ubuntu/amd64/ga-24.04/noble/stable/${name}`;
  return { sha256, name, path, url: rackImageUrl(rack, path) };
}

export function ephemeralAnswer(overrides: Partial<EphemeralBootAnswer> = {}): EphemeralBootAnswer {
  const rack = overrides.rack_address ?? RACK;
  const purpose = overrides.purpose ?? 'commissioning';
  const systemId = overrides.system_id === undefined ? 'abc123' : overrides.system_id;
  return {
    purpose,
    system_id: systemId,
    hostname: 'node1',
    domain: 'maas',
    bootif_mac: MAC,
    rack_address: rack,
    arch: 'amd64',
    subarch: 'ga-24.04',
    osystem: 'ubuntu',
    release: 'noble',
    kernel: bootFile(rack, SHA.kernel, 'boot-kernel'),
    initrd: bootFile(rack, SHA.initrd, 'boot-initrd'),
    root: bootFile(rack, SHA.root, 'squashfs'),
    kernel_opts: '',
    kparams: '',
    log_host: rack,
    log_port: 5247,
    preseed_url: preseedUrl(rackBaseUrl(rack), purpose, systemId),
    ...overrides,
  };
}

export function enlistAnswer(): EphemeralBootAnswer {
  return ephemeralAnswer({
    purpose: 'enlist',
    system_id: null,
    hostname: 'maas-enlist',
    domain: 'local',
    bootif_mac: null,
  });
}

export function localAnswer(purpose: LocalBootAnswer['purpose'], arch = 'amd64'): LocalBootAnswer {
  return {
    purpose,
    system_id: 'abc123',
    hostname: 'node1',
    domain: 'maas',
    bootif_mac: MAC,
    rack_address: RACK,
    arch,
    subarch: 'generic',
  };
}

export const ALL_PURPOSES: readonly (readonly [string, BootAnswer])[] = [
  ['enlist', enlistAnswer()],
  ['commissioning', ephemeralAnswer()],
  [
    'xinstall',
    ephemeralAnswer({ purpose: 'xinstall', kernel_opts: 'console=ttyS0,115200', kparams: 'quiet' }),
  ],
  ['local', localAnswer('local')],
  ['poweroff', localAnswer('poweroff')],
];
