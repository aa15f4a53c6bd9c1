import { z } from 'zod';
import { MaasDateTimeSchema } from './boot-source.js';

/**
 * One release a boot source offers (Kiln extension; MAAS lists this through its websocket
 * `bootresource.fetch`): the architectures it has images for, every subarch those images serve
 * (kernels such as `ga-24.04`, `hwe-24.04`, `ga-24.04-lowlatency`, and `generic`), and labels.
 */
export const OfferedReleaseSchema = z.object({
  os: z.string(),
  release: z.string(),
  release_title: z.string(),
  release_codename: z.string(),
  support_eol: z.string().nullable(),
  arches: z.array(z.string()),
  subarches: z.array(z.string()),
  labels: z.array(z.string()),
});
export type OfferedRelease = z.infer<typeof OfferedReleaseSchema>;

/** A bootloader a boot source offers (always imported; listed for completeness). */
export const OfferedBootloaderSchema = z.object({
  os: z.string(),
  bootloader_type: z.string(),
  arches: z.array(z.string()),
});
export type OfferedBootloader = z.infer<typeof OfferedBootloaderSchema>;

/**
 * `boot-sources/{boot_source_id}/available-images/`: what a boot source offers, read from its
 * signed stream (`op=fetch`) or from the region's cache of the last read (GET). `updated` is when
 * that read happened (null: never read). Releases are sorted by os then release.
 */
export const BootSourceOfferSchema = z.object({
  boot_source_id: z.number().int(),
  url: z.string(),
  updated: MaasDateTimeSchema.nullable(),
  releases: z.array(OfferedReleaseSchema),
  bootloaders: z.array(OfferedBootloaderSchema),
  resource_uri: z.string(),
});
export type BootSourceOffer = z.infer<typeof BootSourceOfferSchema>;
