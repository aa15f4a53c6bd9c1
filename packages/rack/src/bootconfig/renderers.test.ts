import { describe, expect, it } from 'vitest';
import {
  ALL_PURPOSES,
  MAC,
  enlistAnswer,
  ephemeralAnswer,
  localAnswer,
} from './fixtures.test-support.js';
import { grubEscape, renderGrubBootstrap, renderGrubConfig } from './grub-config.js';
import { renderIpxeBootstrap, renderIpxeConfig } from './ipxe-config.js';
import { kernelCommandLine } from './kernel-command-line.js';
import { renderPxelinuxConfig } from './pxelinux-config.js';

describe.each(ALL_PURPOSES)('purpose %s', (_name, answer) => {
  it('renders iPXE', () => {
    expect(renderIpxeConfig(answer)).toMatchSnapshot();
  });
  it('renders PXELINUX', () => {
    expect(renderPxelinuxConfig(answer)).toMatchSnapshot();
  });
  it('renders GRUB fetched over TFTP', () => {
    expect(renderGrubConfig(answer, { protocol: 'tftp' })).toMatchSnapshot();
  });
});

describe('bootstrap configs', () => {
  it('ipxe.cfg chains to the per-MAC config at the rack, then to the arch default', () => {
    const text = renderIpxeBootstrap('10.0.0.2');
    expect(text.startsWith('#!ipxe\n')).toBe(true);
    expect(text).toContain('set kiln-base http://10.0.0.2:5248');
    expect(text).toContain(
      'chain ${kiln-base}/ipxe.cfg-${mac:hexhyp} || chain ${kiln-base}/ipxe.cfg-default-${kiln-arch}',
    );
    expect(renderIpxeBootstrap(null)).toContain('set kiln-base http://${next-server}:5248');
  });

  it('grub/grub.cfg loads grub.cfg-${net_default_mac}, then the default for the CPU', () => {
    const text = renderGrubBootstrap();
    expect(text).toContain('configfile /grub/grub.cfg-${net_default_mac}\n');
    expect(text).toContain('configfile /grub/grub.cfg-default-${kiln_arch}\n');
    expect(text.indexOf('${net_default_mac}')).toBeLessThan(text.indexOf('default-${kiln_arch}'));
  });
});

describe('iPXE ephemeral config', () => {
  it('names the initrd for the EFI stub and appends BOOTIF in dash form', () => {
    const lines = renderIpxeConfig(ephemeralAnswer()).split('\n');
    const kernel = lines.find((line) => line.startsWith('kernel '));
    expect(kernel).toBeDefined();
    expect(kernel).toMatch(
      /^kernel http:\/\/10\.0\.0\.2:5248\/images\/a{64}\/\S+\/boot-kernel initrd=boot-initrd nomodeset /,
    );
    expect(kernel?.endsWith(' BOOTIF=01-52-54-00-12-34-56')).toBe(true);
    expect(kernel).toContain(kernelCommandLine(ephemeralAnswer()));
    expect(lines).toContain(
      `initrd http://10.0.0.2:5248/images/${'b'.repeat(64)}/ubuntu/amd64/ga-24.04/noble/stable/boot-initrd`,
    );
    expect(lines.at(-2)).toBe('boot');
  });

  it('lets iPXE fill in the MAC when rendering a default config', () => {
    expect(renderIpxeConfig(enlistAnswer())).toContain(' BOOTIF=01-${mac:hexhyp}\n');
  });

  it('exits to the firmware on UEFI and sanboots the first disks on BIOS for local', () => {
    const text = renderIpxeConfig(localAnswer('local'));
    expect(text).toContain('iseq ${platform} efi || goto kiln-bios\nexit\n:kiln-bios\n');
    expect(text).toContain(
      'sanboot --no-describe --drive 0x80 || sanboot --no-describe --drive 0x81',
    );
  });
});

describe('PXELINUX config', () => {
  it('uses IPAPPEND 2 for BOOTIF and HTTP image URLs', () => {
    const text = renderPxelinuxConfig(ephemeralAnswer());
    expect(text).toContain('  IPAPPEND 2\n');
    expect(text).toContain(`  APPEND ${kernelCommandLine(ephemeralAnswer())}\n`);
    expect(text).toMatch(/ {2}KERNEL http:\/\/10\.0\.0\.2:5248\/images\/a{64}\//);
  });

  it('chains the first disk on x86 and uses LOCALBOOT elsewhere', () => {
    expect(renderPxelinuxConfig(localAnswer('local'))).toContain(
      '  KERNEL chain.c32\n  APPEND hd0\n',
    );
    expect(renderPxelinuxConfig(localAnswer('local', 'ppc64el'))).toContain('  LOCALBOOT 0\n');
  });
});

describe('GRUB config', () => {
  it('fetches images over HTTP with a (http,rack:5248) device when GRUB came over TFTP', () => {
    const text = renderGrubConfig(ephemeralAnswer(), { protocol: 'tftp' });
    expect(text).toMatch(/\n {4}linux \(http,10\.0\.0\.2:5248\)\/images\/a{64}\//);
    expect(text).toMatch(/\n {4}initrd \(http,10\.0\.0\.2:5248\)\/images\/b{64}\//);
    expect(text).toContain(' BOOTIF=01-52-54-00-12-34-56\n');
  });

  it('uses /images/ relative paths over HTTP and when told to stay on the same transport', () => {
    expect(renderGrubConfig(ephemeralAnswer(), { protocol: 'http' })).toContain(
      '    linux /images/',
    );
    expect(
      renderGrubConfig(ephemeralAnswer(), { protocol: 'tftp', imageTransport: 'same' }),
    ).toContain('    linux /images/');
    expect(
      renderGrubConfig(ephemeralAnswer({ rack_address: 'fd00::2' }), { protocol: 'tftp' }),
    ).toContain('linux (http,[fd00::2]:5248)/images/');
  });

  it('escapes the cloud-config braces and quotes so GRUB passes them through', () => {
    const text = renderGrubConfig(ephemeralAnswer(), { protocol: 'tftp' });
    expect(text).toContain("cc:\\{\\'datasource_list\\': [\\'MAAS\\']\\}end_cc");
    expect(grubEscape('a$b;c')).toBe('a\\$b\\;c');
    expect(renderGrubConfig(enlistAnswer(), { protocol: 'tftp' })).toContain(
      ' BOOTIF=01-${net_default_mac}\n',
    );
  });

  it('chainloads an EFI loader found on a local disk, else exits to the firmware', () => {
    const text = renderGrubConfig(localAnswer('local'), { protocol: 'tftp' });
    expect(text).toContain(
      '    if search --set=root --file /efi/ubuntu/shimx64.efi; then\n        chainloader /efi/ubuntu/shimx64.efi\n',
    );
    expect(text).toContain('/efi/Microsoft/Boot/bootmgfw.efi');
    expect(text.trimEnd().endsWith('    exit 1\n}')).toBe(true);
    expect(renderGrubConfig(localAnswer('local', 'arm64'), { protocol: 'tftp' })).toContain(
      '/efi/boot/bootaa64.efi',
    );
  });

  it('halts for poweroff', () => {
    expect(renderGrubConfig(localAnswer('poweroff'), { protocol: 'http' })).toContain(
      "menuentry 'Power Off' {\n",
    );
  });

  it('names the machine in every rendered config', () => {
    for (const render of [renderIpxeConfig, renderPxelinuxConfig]) {
      expect(render(ephemeralAnswer())).toContain(MAC);
    }
  });
});
