import { z } from 'zod';

const count = () => z.number().int().nonnegative();

/** The most cached sha256s a rack lists in one report (a few hundred boot files is typical). */
export const RACK_REPORT_MAX_CACHED = 1024;

/**
 * The rack's boot-file cache as it reports it with every heartbeat. Counters run since the agent
 * started (a restart resets them), so the region shows what the rack is doing now, not history.
 */
export const RackCacheReportSchema = z.object({
  /** Bytes held: complete files, idle partials and room reserved by fetches in flight. */
  used_bytes: count(),
  /** The cache's size limit. */
  capacity_bytes: count(),
  /** Complete files in the cache. */
  files: count(),
  /** Opens answered from a complete cached file. */
  hits: count(),
  /** Opens that needed a region (joins of a fetch in flight included). */
  misses: count(),
  /** HTTP requests to a region for boot files (resumes count again). */
  region_fetches: count(),
  /** Bytes handed to HTTP and TFTP clients. */
  served_bytes: count().optional(),
  /** Cached files found corrupt at rest (quarantined and fetched again) since the agent started. */
  corrupt_files: count().optional(),
  /**
   * sha256 of the complete files, most recently used first, at most RACK_REPORT_MAX_CACHED: lets
   * the region tell which of its images this rack can boot without fetching.
   */
  cached: z
    .array(z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256'))
    .max(4 * RACK_REPORT_MAX_CACHED)
    .optional(),
});
export type RackCacheReport = z.infer<typeof RackCacheReportSchema>;

/**
 * What a rack reports about itself when it registers and with every heartbeat
 * (`rack-agent/?op=register|heartbeat`, form field `report`, JSON). Fields a region does not know
 * are dropped, so a newer rack can talk to an older region.
 */
export const RackReportSchema = z.object({
  system_id: z.string().regex(/^[a-z0-9]{6,32}$/, 'expected 6-32 lowercase letters or digits'),
  hostname: z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/, 'expected a host name'),
  architecture: z.string().max(64).default(''),
  version: z.string().max(64).default(''),
  cpu_count: count().default(0),
  memory: count().default(0),
  interfaces: z
    .array(
      z.object({
        name: z.string().max(64),
        mac_address: z.string().max(64).nullable().default(null),
        addresses: z.array(z.string().max(64)).max(64),
      }),
    )
    .max(256)
    .default([]),
  services: z.record(z.string(), z.unknown()).default({}),
  /** Absent from racks that predate cache reporting. */
  cache: RackCacheReportSchema.optional(),
});
export type RackReport = z.infer<typeof RackReportSchema>;
/** What the rack builds before defaults are applied (what it puts on the wire). */
export type RackReportInput = z.input<typeof RackReportSchema>;
