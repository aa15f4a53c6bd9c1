import { z } from 'zod';

/**
 * MAC addresses arrive in every spelling firmware and bootloaders use: colons (iPXE `${mac}`,
 * GRUB `${net_default_mac}`), dashes (PXELINUX `01-aa-bb-...`, iPXE `${mac:hexhyp}`), upper or
 * lower case. Kiln keys everything on one canonical form: lowercase, colon-separated.
 */
const MAC_PATTERN = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i;

export function isMacAddress(value: string): boolean {
  return MAC_PATTERN.test(value);
}

/** Canonical form of a MAC address, or null when the text is not one. */
export function normalizeMac(value: string): string | null {
  return isMacAddress(value) ? value.toLowerCase().replaceAll('-', ':') : null;
}

/** `aa-bb-cc-dd-ee-ff`: the form PXELINUX file names and the BOOTIF kernel parameter use. */
export function macWithDashes(mac: string): string {
  return mac.toLowerCase().replaceAll(':', '-');
}

export const MacAddressSchema = z
  .string()
  .refine(isMacAddress, { message: 'expected a MAC address like 52:54:00:12:34:56' })
  .transform((value) => value.toLowerCase().replaceAll('-', ':'));
