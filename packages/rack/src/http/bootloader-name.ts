/**
 * File names the HTTP server asks the bootloader resolver about, in any folder: firmware and
 * loaders ask for `bootx64.efi`, `grubx64.efi`, `lpxelinux.0`, `ldlinux.c32`, `ipxe.efi`,
 * `undionly.kpxe`, `bootppc64.bin`... relative to wherever they were loaded from.
 */
export function isBootloaderName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*\.(efi|c32|0|kpxe|pxe|bin|lkrn)$/.test(name);
}
