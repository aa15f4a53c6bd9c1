import { z } from 'zod';

/** maas/?op=get_config answers the bare JSON value of the setting. */
export const ConfigValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type ConfigValue = z.infer<typeof ConfigValueSchema>;

/** The global settings Kiln knows (maas/?op=get_config&name=...). */
export const CONFIG_NAMES = [
  'boot_images_auto_import',
  'boot_images_import_interval_minutes',
  'commissioning_osystem',
  'commissioning_distro_series',
  'enable_http_proxy',
  'http_proxy',
  'boot_images_no_proxy',
  'default_osystem',
  'default_distro_series',
  'default_min_hwe_kernel',
  'enable_disk_erasing_on_release',
  'disk_erase_with_secure_erase',
  'disk_erase_with_quick_erase',
  'node_timeout',
  'kernel_opts',
  'maas_name',
  'enable_third_party_drivers',
  'enable_kernel_crash_dump',
  'release_notifications',
] as const;
export type ConfigName = (typeof CONFIG_NAMES)[number];
