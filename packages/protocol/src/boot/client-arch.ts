/**
 * DHCP option 93 (client system architecture, RFC 4578 and the IANA registry) decides which
 * bootloader a machine can run. The table is shared by the rack's DHCP renderer (boot file per
 * arch) and by anything that turns a DHCP request into a boot purpose request (Kiln arch name).
 */
export type BootFirmware = 'bios' | 'uefi' | 'uefi-http' | 'open-firmware';

export interface ClientArch {
  readonly code: number;
  /** Short, stable name used for dnsmasq tags and logs. */
  readonly tag: string;
  /** Debian-style architecture name the region knows images by. */
  readonly arch: string;
  readonly firmware: BootFirmware;
}

export const CLIENT_ARCHES: readonly ClientArch[] = [
  { code: 0, tag: 'bios', arch: 'amd64', firmware: 'bios' },
  { code: 6, tag: 'efi-ia32', arch: 'i386', firmware: 'uefi' },
  { code: 7, tag: 'efi-x64', arch: 'amd64', firmware: 'uefi' },
  // Code 9 is registered as "EFI x86-64"; firmware in the wild also sends it for x64 (MAAS treats it as 7).
  { code: 9, tag: 'efi-x64', arch: 'amd64', firmware: 'uefi' },
  { code: 11, tag: 'efi-arm64', arch: 'arm64', firmware: 'uefi' },
  { code: 12, tag: 'ofw-ppc64', arch: 'ppc64el', firmware: 'open-firmware' },
  { code: 16, tag: 'efi-x64-http', arch: 'amd64', firmware: 'uefi-http' },
  { code: 19, tag: 'efi-arm64-http', arch: 'arm64', firmware: 'uefi-http' },
];

export function clientArchByCode(code: number): ClientArch | undefined {
  return CLIENT_ARCHES.find((entry) => entry.code === code);
}

/**
 * Parse the arch out of a PXE vendor class (`PXEClient:Arch:00007:UNDI:003016`), which carries the
 * same number as option 93 for clients that only send option 60.
 */
export function clientArchFromVendorClass(vendorClass: string): ClientArch | undefined {
  const match = /^(?:PXEClient|HTTPClient):Arch:(\d{1,5})(?::|$)/.exec(vendorClass);
  if (match?.[1] === undefined) return undefined;
  return clientArchByCode(Number.parseInt(match[1], 10));
}
