import type { ClientArch } from '@kiln/protocol';
import { CLIENT_ARCHES, rackBaseUrl } from '@kiln/protocol';

/**
 * Which first-stage bootloader each kind of client gets (spec §5.1). MAAS's defaults are
 * PXELINUX for BIOS and shim+GRUB for UEFI; iPXE is the alternative for both, and every iPXE
 * (recognised by its user class) is sent straight to `ipxe.cfg` over HTTP.
 */
export interface DhcpBootOptions {
  /** BIOS: `pxelinux` → `lpxelinux.0` (MAAS), `ipxe` → `undionly.kpxe`. */
  readonly biosLoader?: 'pxelinux' | 'ipxe';
  /** UEFI x86-64: `grub` → `bootx64.efi` (shim, then grubx64.efi; MAAS), `ipxe` → `ipxe.efi`. */
  readonly uefiLoader?: 'grub' | 'ipxe';
  /** The rack's HTTP boot port (`rack_http_port`); default 5248. */
  readonly httpPort?: number;
}

export interface BootFileChoice {
  readonly arch: ClientArch;
  /** What goes in the DHCP filename field (option 67): a TFTP name or an http:// URL. */
  readonly filename: string;
}

function uefiFile(arch: ClientArch, options: DhcpBootOptions): string {
  if (arch.arch === 'arm64') return 'bootaa64.efi';
  if (arch.arch === 'i386') return 'bootia32.efi';
  return options.uefiLoader === 'ipxe' ? 'ipxe.efi' : 'bootx64.efi';
}

/** One entry per option-93 tag, in the order the renderer writes them. */
export function bootFilesFor(rackAddress: string, options: DhcpBootOptions = {}): BootFileChoice[] {
  const seen = new Set<string>();
  const choices: BootFileChoice[] = [];
  for (const arch of CLIENT_ARCHES) {
    if (seen.has(arch.tag)) continue;
    seen.add(arch.tag);
    switch (arch.firmware) {
      case 'bios':
        choices.push({
          arch,
          filename: options.biosLoader === 'ipxe' ? 'undionly.kpxe' : 'lpxelinux.0',
        });
        break;
      case 'uefi':
        choices.push({ arch, filename: uefiFile(arch, options) });
        break;
      case 'uefi-http':
        // UEFI HTTP boot takes a URL and needs the reply to carry vendor class HTTPClient.
        choices.push({
          arch,
          filename: `${rackBaseUrl(rackAddress, options.httpPort)}/images/${uefiFile(arch, options)}`,
        });
        break;
      case 'open-firmware':
        choices.push({ arch, filename: 'bootppc64.bin' });
        break;
    }
  }
  return choices;
}

/** Where iPXE goes once it runs: the rack's static `ipxe.cfg`. */
export function ipxeScriptUrl(rackAddress: string, httpPort?: number): string {
  return `${rackBaseUrl(rackAddress, httpPort)}/ipxe.cfg`;
}

/**
 * The values an operator types into an existing DHCP server when Kiln does not serve DHCP
 * (DHCP-only / external mode): next-server and option 67 per client type.
 */
export interface ExternalDhcpSettings {
  readonly nextServer: string;
  readonly ipxeUserClassFilename: string;
  readonly filenames: readonly {
    readonly clientArch: number;
    readonly tag: string;
    readonly filename: string;
  }[];
  readonly pxelinuxPathPrefix: string | null;
}

export function externalDhcpSettings(
  rackAddress: string,
  options: DhcpBootOptions = {},
): ExternalDhcpSettings {
  const filenames = CLIENT_ARCHES.map((arch) => {
    const choice = bootFilesFor(rackAddress, options).find(
      (candidate) => candidate.arch.tag === arch.tag,
    );
    return { clientArch: arch.code, tag: arch.tag, filename: choice?.filename ?? '' };
  });
  return {
    nextServer: rackAddress,
    ipxeUserClassFilename: ipxeScriptUrl(rackAddress, options.httpPort),
    filenames,
    pxelinuxPathPrefix:
      options.biosLoader === 'ipxe' ? null : `${rackBaseUrl(rackAddress, options.httpPort)}/`,
  };
}
