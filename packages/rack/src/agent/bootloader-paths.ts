/**
 * Where the region keeps a bootloader file by name (`bootloaders/<type>/<arch>/<name>`), the
 * same rewrite MAAS's rack proxy applies. Names it does not list (iPXE's `ipxe.efi`,
 * `undionly.kpxe`, other `.c32` modules) live with PXELINUX in `pxe/i386`, where the
 * bootloader products unpack them.
 */
const BY_NAME: Readonly<Record<string, string>> = {
  'bootx64.efi': 'uefi/amd64',
  'grubx64.efi': 'uefi/amd64',
  'bootaa64.efi': 'uefi/arm64',
  'grubaa64.efi': 'uefi/arm64',
  'bootppc64.bin': 'open-firmware/ppc64el',
};

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Relative path under the bootloaders folder, or null for a name that is not a plain file name. */
export function bootloaderRelativePath(name: string): string | null {
  if (!SAFE_NAME.test(name) || name.includes('..')) return null;
  return `${BY_NAME[name.toLowerCase()] ?? 'pxe/i386'}/${name}`;
}
