import { z } from 'zod';
import { RACK_HTTP_PORT } from './boot-urls.js';
import { MacAddressSchema } from './mac-address.js';

/**
 * What the rack asks the region for every boot config request (MAAS's GetBootConfig). The rack
 * knows the MAC from the config file name (or iPXE/GRUB variables), the arch from DHCP option 93 or
 * the `default-<arch>` file name, and the address the machine reached it on.
 */
export const BOOT_LOADERS = ['ipxe', 'pxelinux', 'grub'] as const;
export type BootLoader = (typeof BOOT_LOADERS)[number];

export const BOOT_TRANSFER_PROTOCOLS = ['tftp', 'http'] as const;
export type BootTransferProtocol = (typeof BOOT_TRANSFER_PROTOCOLS)[number];

const ArchNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,31}$/, 'expected an architecture name like amd64 or arm64');

export const BootRequestSchema = z.object({
  /** Absent for `*-default*` configs: the region then answers for an unknown machine. */
  mac: MacAddressSchema.nullable(),
  arch: ArchNameSchema.nullable(),
  subarch: ArchNameSchema.nullable(),
  /** SMBIOS system UUID, when the bootloader asked by UUID (PXELINUX tries it first). */
  uuid: z.uuid().nullable(),
  /** The rack address the machine reached: every URL in the answer must use it. */
  rack_address: z.union([z.ipv4(), z.ipv6()]),
  /**
   * The port the rack's HTTP boot server really listens on: kernel, initrd, squashfs and metadata
   * URLs in the answer use it. Racks that predate it send nothing and mean the standard 5248.
   */
  rack_http_port: z.number().int().min(1).max(65535).default(RACK_HTTP_PORT),
  /** Address the request came from, for the region's logs. */
  remote_address: z.union([z.ipv4(), z.ipv6()]).nullable(),
  protocol: z.enum(BOOT_TRANSFER_PROTOCOLS),
  loader: z.enum(BOOT_LOADERS),
});

export type BootRequest = z.infer<typeof BootRequestSchema>;
