import type { BootAnswer } from '@kiln/protocol';
import { answerSummary, kernelCommandLine } from './kernel-command-line.js';

/**
 * PXELINUX configs (`pxelinux.cfg/01-<mac>`, `pxelinux.cfg/default`), for BIOS machines that got
 * `lpxelinux.0`. lpxelinux fetches `http://` KERNEL and INITRD paths itself, so images come over
 * HTTP even when the config came over TFTP (spec §5.2).
 */

// chain.c32 hands the BIOS boot to the first disk's boot sector; other arches only have LOCALBOOT.
const CHAIN_ARCHES = new Set(['amd64', 'i386']);

export function renderPxelinuxConfig(answer: BootAnswer): string {
  const who = answer.bootif_mac ?? 'default';
  switch (answer.purpose) {
    case 'local':
      return [
        `# Kiln: ${who} boots from its local disk`,
        'DEFAULT local',
        '',
        'LABEL local',
        '  SAY Booting local disk under Kiln direction...',
        ...(CHAIN_ARCHES.has(answer.arch)
          ? ['  KERNEL chain.c32', '  APPEND hd0']
          : ['  LOCALBOOT 0']),
        '',
      ].join('\n');
    case 'poweroff':
      return [
        `# Kiln: ${who} powers off`,
        'DEFAULT poweroff',
        '',
        'LABEL poweroff',
        '  SAY Powering off under Kiln direction...',
        '  COM32 poweroff.c32',
        '',
      ].join('\n');
    case 'enlist':
    case 'commissioning':
    case 'xinstall':
      return [
        `# Kiln: ${who} ${answerSummary(answer)}`,
        'DEFAULT execute',
        '',
        'LABEL execute',
        `  SAY Booting under Kiln direction: ${answerSummary(answer)}`,
        `  KERNEL ${answer.kernel.url}`,
        `  INITRD ${answer.initrd.url}`,
        `  APPEND ${kernelCommandLine(answer)}`,
        // IPAPPEND 2 adds BOOTIF=01-<mac of the boot NIC>, the same thing the other loaders append.
        '  IPAPPEND 2',
        '',
      ].join('\n');
  }
}
