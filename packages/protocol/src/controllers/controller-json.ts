import { z } from 'zod';

/** One entry of a controller's `service_set` (MAAS: running, off, degraded, dead, unknown). */
export const ControllerServiceSchema = z.object({
  name: z.string(),
  status: z.string(),
  status_info: z.string(),
});
export type ControllerService = z.infer<typeof ControllerServiceSchema>;

/**
 * Kiln extension field `boot_file_cache` of a rack controller: the cache figures from the rack's
 * latest heartbeat; null until a rack that reports them has sent one.
 */
export const BootFileCacheJsonSchema = z.object({
  /** Bytes used. */
  size: z.number(),
  /** Size limit in bytes. */
  capacity: z.number(),
  files: z.number(),
  hits: z.number(),
  misses: z.number(),
  /** hits / (hits + misses), 0..1; null before the first open since the rack started. */
  hit_rate: z.number().nullable(),
  region_fetches: z.number(),
  served_bytes: z.number().nullable(),
  /** When the rack reported these figures (its last heartbeat). */
  updated: z.string(),
  /**
   * The region's OS images (newest set with a complete copy on some region) whose boot files
   * are all in this cache, so a machine can boot them without the rack fetching; null when the
   * rack did not list its files.
   */
  images: z
    .object({
      total: z.number(),
      cached: z.number(),
      /** `<os>/<release> <arch>/<subarch>` of each cached image. */
      cached_images: z.array(z.string()),
    })
    .nullable(),
});
export type BootFileCacheJson = z.infer<typeof BootFileCacheJsonSchema>;

/**
 * Kiln extension field `image_sync` of a region controller: how many of the boot resource files
 * the region knows (distinct sha256) this region holds completely.
 */
export const ImageSyncJsonSchema = z.object({
  /** `synced` when every file is complete here (also with no files at all), else `syncing`. */
  status: z.enum(['synced', 'syncing']),
  files: z.number(),
  files_complete: z.number(),
  bytes: z.number(),
  bytes_complete: z.number(),
});
export type ImageSyncJson = z.infer<typeof ImageSyncJsonSchema>;

const ControllerBaseSchema = z.object({
  system_id: z.string(),
  hostname: z.string(),
  fqdn: z.string(),
  version: z.string(),
  node_type: z.number(),
  node_type_name: z.string(),
  service_set: z.array(ControllerServiceSchema),
  ip_addresses: z.array(z.string()),
  /** Kiln: the last registration or heartbeat (racks) / liveness beat (regions). */
  last_seen: z.string().nullable(),
  resource_uri: z.string(),
});

/** `GET rackcontrollers/` entries: the fields the UI and clients rely on (MAAS sends more). */
export const RackControllerJsonSchema = ControllerBaseSchema.extend({
  architecture: z.string(),
  boot_file_cache: BootFileCacheJsonSchema.nullable(),
});
export type RackControllerJson = z.infer<typeof RackControllerJsonSchema>;

/** `GET regioncontrollers/` entries (node_type 3). */
export const RegionControllerJsonSchema = ControllerBaseSchema.extend({
  image_sync: ImageSyncJsonSchema,
});
export type RegionControllerJson = z.infer<typeof RegionControllerJsonSchema>;
