import type { BootAnswer, BootTransferProtocol } from '@kiln/protocol';
import { rackBaseUrl } from '@kiln/protocol';
import { answerSummary, bootifParameter, kernelCommandLine } from './kernel-command-line.js';

/**
 * GRUB configs for UEFI machines (shim → grubx64.efi): the static `grub/grub.cfg` and the
 * per-machine `grub/grub.cfg-<mac>` / `grub/grub.cfg-default-<arch>` (spec §5.1–5.2).
 */

export interface GrubRenderOptions {
  /** How GRUB itself reached the rack: over HTTP, image paths are relative to its HTTP root. */
  readonly protocol: BootTransferProtocol;
  /**
   * `http` (MAAS's choice): images always over HTTP, `(http,<rack>:5248)/images/...`. `same`:
   * over whatever GRUB came in on — for GRUB builds without the http module (Debian's signed
   * grubnetx64), which then fetch kernel and initrd over TFTP from the same namespace.
   */
  readonly imageTransport?: 'http' | 'same';
  /** The rack's HTTP boot port (`rack_http_port`), 5248 unless configured otherwise. */
  readonly httpPort?: number;
}

/** The static `grub/grub.cfg`: this machine's config first, then the default for its CPU. */
export function renderGrubBootstrap(): string {
  return [
    "# Kiln: load this machine's own config (unknown machines get the enlistment config),",
    '# falling back to the default for its architecture.',
    'set default="0"',
    'set timeout=0',
    'configfile /grub/grub.cfg-${net_default_mac}',
    'if [ "${grub_cpu}" = "arm64" ]; then',
    '    set kiln_arch=arm64',
    'elif [ "${grub_cpu}" = "powerpc" -o "${grub_cpu}" = "ppc64" -o "${grub_cpu}" = "ppc64le" ]; then',
    '    set kiln_arch=ppc64el',
    'else',
    '    set kiln_arch=amd64',
    'fi',
    'configfile /grub/grub.cfg-default-${kiln_arch}',
    '',
  ].join('\n');
}

/**
 * Escapes a command-line string for a GRUB `linux` line so the kernel receives it verbatim:
 * GRUB's lexer would otherwise strip the quotes of `cc:{'datasource_list': ['MAAS']}end_cc`,
 * expand `$`, and treat `{ } ; | & < >` as syntax.
 */
export function grubEscape(text: string): string {
  return text.replace(/[\\'"{}$;|&<>#]/g, (char) => `\\${char}`);
}

function imagePrefix(answer: BootAnswer, options: GrubRenderOptions): string {
  if (options.protocol === 'http' || options.imageTransport === 'same') return '/images/';
  const base = new URL(rackBaseUrl(answer.rack_address, options.httpPort));
  return `(http,${base.host})/images/`;
}

// EFI loaders worth chainloading on a local disk, most specific first; `boot/` is the removable-media fallback.
function localLoaders(arch: string): string[] {
  const efi = arch === 'arm64' ? 'aa64' : 'x64';
  return [
    `/efi/boot/boot${efi}.efi`,
    `/efi/ubuntu/shim${efi}.efi`,
    `/efi/ubuntu/grub${efi}.efi`,
    `/efi/debian/shim${efi}.efi`,
    `/efi/centos/shim${efi}.efi`,
    `/efi/redhat/shim${efi}.efi`,
    `/efi/rocky/shim${efi}.efi`,
    '/efi/Microsoft/Boot/bootmgfw.efi',
  ];
}

export function renderGrubConfig(answer: BootAnswer, options: GrubRenderOptions): string {
  const who = answer.bootif_mac ?? 'default';
  const header = [`# Kiln: ${who} ${answer.purpose}`, 'set default="0"', 'set timeout=0', ''];
  switch (answer.purpose) {
    case 'local':
      return [
        ...header,
        "menuentry 'Local' {",
        "    echo 'Booting local disk under Kiln direction...'",
        ...localLoaders(answer.arch).flatMap((loader) => [
          `    if search --set=root --file ${loader}; then`,
          `        chainloader ${loader}`,
          '        boot',
          '    fi',
        ]),
        // Nothing bootable found: give control back to the firmware's next boot entry.
        '    exit 1',
        '}',
        '',
      ].join('\n');
    case 'poweroff':
      return [
        ...header,
        "menuentry 'Power Off' {",
        "    echo 'Powering off under Kiln direction...'",
        '    halt',
        '}',
        '',
      ].join('\n');
    case 'enlist':
    case 'commissioning':
    case 'xinstall': {
      const prefix = imagePrefix(answer, options);
      const bootif = bootifParameter(answer.bootif_mac ?? '${net_default_mac}');
      return [
        ...header,
        "menuentry 'Ephemeral' {",
        `    echo 'Booting under Kiln direction: ${answerSummary(answer)}'`,
        `    linux ${prefix}${answer.kernel.path} ${grubEscape(kernelCommandLine(answer))} ${bootif}`,
        `    initrd ${prefix}${answer.initrd.path}`,
        '}',
        '',
      ].join('\n');
    }
  }
}
