import type { BootAnswer } from '@kiln/protocol';
import { RACK_HTTP_PORT, rackBaseUrl } from '@kiln/protocol';
import {
  answerSummary,
  bootifParameter,
  imageBasename,
  kernelCommandLine,
} from './kernel-command-line.js';

/**
 * iPXE scripts (spec §5.1–5.2). iPXE reaches them over HTTP (`http://<rack>:5248/ipxe.cfg` is the
 * DHCP filename for iPXE clients) or TFTP; either way every file they name is fetched over HTTP.
 */

/**
 * The static `ipxe.cfg`: chain to this machine's own config, then to the arch default. The rack
 * address is baked in when known, because with an external DHCP server `${next-server}` may not be
 * the rack at all.
 */
export function renderIpxeBootstrap(
  rackAddress: string | null,
  httpPort: number = RACK_HTTP_PORT,
): string {
  const base =
    rackAddress === null
      ? `http://\${next-server}:${httpPort}`
      : rackBaseUrl(rackAddress, httpPort);
  return [
    '#!ipxe',
    "# Kiln: load this machine's own config (unknown machines get the enlistment config),",
    '# falling back to the default for its architecture.',
    `set kiln-base ${base}`,
    'iseq ${buildarch} arm64 && set kiln-arch arm64 || set kiln-arch amd64',
    'chain ${kiln-base}/ipxe.cfg-${mac:hexhyp} || chain ${kiln-base}/ipxe.cfg-default-${kiln-arch}',
    '',
  ].join('\n');
}

const LOCAL_DRIVES = ['0x80', '0x81', '0x82', '0x83'];

/** `ipxe.cfg-<mac>` and `ipxe.cfg-default-<arch>`. */
export function renderIpxeConfig(answer: BootAnswer): string {
  const who = answer.bootif_mac ?? 'default';
  switch (answer.purpose) {
    case 'local':
      return [
        '#!ipxe',
        `# Kiln: ${who} boots from its local disk`,
        'echo Booting local disk under Kiln direction...',
        // UEFI: hand control back to the firmware, which tries its next boot entry (the disk).
        'iseq ${platform} efi || goto kiln-bios',
        'exit',
        ':kiln-bios',
        LOCAL_DRIVES.map((drive) => `sanboot --no-describe --drive ${drive}`).join(' || '),
        '',
      ].join('\n');
    case 'poweroff':
      return [
        '#!ipxe',
        `# Kiln: ${who} powers off`,
        'echo Powering off under Kiln direction...',
        'poweroff',
        '',
      ].join('\n');
    case 'enlist':
    case 'commissioning':
    case 'xinstall': {
      const initrdName = imageBasename(answer.initrd.path);
      const bootif = bootifParameter(answer.bootif_mac ?? '${mac:hexhyp}');
      return [
        '#!ipxe',
        `# Kiln: ${who} ${answerSummary(answer)}`,
        `echo Booting under Kiln direction: ${answerSummary(answer)}`,
        // initrd=<name> lets the EFI stub find the initrd iPXE downloaded; harmless under BIOS.
        `kernel ${answer.kernel.url} initrd=${initrdName} ${kernelCommandLine(answer)} ${bootif}`,
        `initrd ${answer.initrd.url}`,
        'boot',
        '',
      ].join('\n');
    }
  }
}
