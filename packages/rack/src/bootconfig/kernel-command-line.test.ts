import { describe, expect, it } from 'vitest';
import { bootifParameter, kernelCommandLine, rootFilesystemType } from './kernel-command-line.js';
import { bootFile, enlistAnswer, ephemeralAnswer } from './fixtures.test-support.js';

describe('kernelCommandLine', () => {
  it('is MAAS’s line for a commissioning boot, in MAAS’s order', () => {
    const answer = ephemeralAnswer();
    expect(kernelCommandLine(answer)).toBe(
      [
        'nomodeset',
        `root=squash:http://10.0.0.2:5248/images/${'c'.repeat(64)}/ubuntu/amd64/ga-24.04/noble/stable/squashfs`,
        'ip=::::node1:BOOTIF',
        'ip6=off',
        "cc:{'datasource_list': ['MAAS']}end_cc",
        'cloud-config-url=http://10.0.0.2:5248/MAAS/metadata/latest/by-id/abc123/?op=get_preseed',
        'ro overlayroot=tmpfs overlayroot_cfgdisk=disabled',
        'log_host=10.0.0.2 log_port=5247',
      ].join(' '),
    );
  });

  it('points enlistment at the enlist preseed with the maas-enlist host name', () => {
    const line = kernelCommandLine(enlistAnswer());
    expect(line).toContain(
      'cloud-config-url=http://10.0.0.2:5248/MAAS/metadata/latest/enlist-preseed/?op=get_enlist_preseed',
    );
    expect(line).toContain('ip=::::maas-enlist:BOOTIF');
  });

  it('puts kernel_opts and kparams after the curtin separator', () => {
    const line = kernelCommandLine(
      ephemeralAnswer({ kernel_opts: ' console=ttyS0  nosplash ', kparams: 'quiet' }),
    );
    expect(line.endsWith('log_port=5247 --- console=ttyS0 nosplash quiet')).toBe(true);
    expect(kernelCommandLine(ephemeralAnswer())).not.toContain('---');
  });

  it('adds apparmor=0 only for Ubuntu releases older than jammy', () => {
    expect(kernelCommandLine(ephemeralAnswer({ release: 'focal' }))).toContain(' apparmor=0 ');
    expect(kernelCommandLine(ephemeralAnswer({ release: 'jammy' }))).not.toContain('apparmor');
    expect(
      kernelCommandLine(ephemeralAnswer({ osystem: 'centos', release: 'bionic' })),
    ).not.toContain('apparmor');
  });

  it('boots tarball roots with root=tar: and without overlayroot', () => {
    const root = bootFile('10.0.0.2', 'd'.repeat(64), 'root-tgz.tgz');
    const line = kernelCommandLine(ephemeralAnswer({ root }));
    expect(line).toContain(`root=tar:${root.url}`);
    expect(line).not.toContain('overlayroot');
    expect(rootFilesystemType('root.txz')).toBe('tar');
    expect(rootFilesystemType('squashfs')).toBe('squash');
  });

  it('switches to IPv6 settings when the rack is reached over IPv6', () => {
    const line = kernelCommandLine(
      ephemeralAnswer({ rack_address: 'fd00::2', log_host: 'fd00::2' }),
    );
    expect(line).toContain(' ip=off ip6=dhcp ');
    expect(line).toContain('root=squash:http://[fd00::2]:5248/images/');
  });

  it('formats BOOTIF from a MAC or passes a loader variable through', () => {
    expect(bootifParameter('52:54:00:AB:CD:EF')).toBe('BOOTIF=01-52-54-00-ab-cd-ef');
    expect(bootifParameter('${mac:hexhyp}')).toBe('BOOTIF=01-${mac:hexhyp}');
  });
});
