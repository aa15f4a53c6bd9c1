import { z } from 'zod';
import { networkConfigV1Schema } from './network-v1-schema.js';

/**
 * The install configuration (JSON form): everything `kiln-install` needs to turn a disk into a
 * bootable system. docs/installer.md documents each field. The installer itself reads the
 * line-oriented "shell form" derived from this document (see shell-form.ts) because the ephemeral
 * environment has no JSON parser that POSIX sh can rely on.
 */

export const INSTALL_CONFIG_FORMAT = 'kiln-install/1';

export const imageFormats = [
  'squashfs',
  'tgz',
  'tbz',
  'txz',
  'dd-raw',
  'dd-gz',
  'dd-bz2',
  'dd-xz',
  'dd-tgz',
  'dd-tbz',
  'dd-txz',
] as const;
export type ImageFormat = (typeof imageFormats)[number];

const partitionSchema = z.object({
  number: z.number().int().positive(),
  role: z.enum(['esp', 'bios_grub', 'boot', 'root', 'pv']),
  /** MiB; null takes the rest of the disk (only the last partition). */
  size_mib: z.number().int().positive().nullable(),
  fstype: z.enum(['vfat', 'ext4']).optional(),
  mount: z.string().startsWith('/').optional(),
  label: z.string().optional(),
});
export type InstallPartition = z.infer<typeof partitionSchema>;

const logicalVolumeSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/),
  size_mib: z.number().int().positive().nullable(),
  fstype: z.literal('ext4'),
  mount: z.string().startsWith('/'),
});

export const storageConfigSchema = z.object({
  layout: z.enum(['flat', 'lvm']),
  firmware: z.enum(['uefi', 'bios']),
  partitions: z.array(partitionSchema).min(1),
  lvm: z
    .object({
      vg: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/),
      pv_partition: z.number().int().positive(),
      lvs: z.array(logicalVolumeSchema).min(1),
    })
    .optional(),
});
export type StorageConfig = z.infer<typeof storageConfigSchema>;

export const installDiskSchema = z.object({
  path: z.string().startsWith('/dev/'),
  /** When set, the installer picks the disk with this serial and uses `path` only as a fallback. */
  serial: z.string().optional(),
  size: z.number().int().positive(),
});
export type InstallDisk = z.infer<typeof installDiskSchema>;

const credentialsSchema = z.object({
  consumer_key: z.string().min(1),
  token_key: z.string().min(1),
  token_secret: z.string().min(1),
});
export type NodeCredentials = z.infer<typeof credentialsSchema>;

const commandSchema = z.object({ name: z.string().min(1), command: z.string().min(1) });
export type InstallCommand = z.infer<typeof commandSchema>;

export const installConfigSchema = z.object({
  format: z.literal(INSTALL_CONFIG_FORMAT),
  system_id: z.string().min(1),
  hostname: z.string().min(1),
  osystem: z.string(),
  distro_series: z.string(),
  disk: installDiskSchema,
  /** Absent for dd images: the image carries its own partition table. */
  storage: storageConfigSchema.optional(),
  image: z.object({
    url: z.url(),
    format: z.enum(imageFormats),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int().nonnegative().optional(),
  }),
  network: networkConfigV1Schema,
  datasource: credentialsSchema.extend({ metadata_url: z.url() }),
  reporter: credentialsSchema.extend({ url: z.url() }),
  netboot_off_url: z.url(),
  bootloader: z.object({ install: z.boolean() }),
  early_commands: z.array(commandSchema),
  late_commands: z.array(commandSchema),
});
export type InstallConfig = z.infer<typeof installConfigSchema>;
