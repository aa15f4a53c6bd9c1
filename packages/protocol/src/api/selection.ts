import { z } from 'zod';

/** boot-sources/{boot_source_id}/selections/ and .../selections/{id}/. */
export const BootSourceSelectionSchema = z.object({
  id: z.number().int(),
  boot_source_id: z.number().int(),
  os: z.string(),
  release: z.string(),
  arches: z.array(z.string()),
  subarches: z.array(z.string()),
  labels: z.array(z.string()),
  resource_uri: z.string(),
});
export type BootSourceSelection = z.infer<typeof BootSourceSelectionSchema>;
