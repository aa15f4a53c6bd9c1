import { z } from 'zod';

/** MAAS datetime rendering: `2018-12-04T18:11:31.894` (UTC, no zone suffix). */
export const MaasDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$/);

/** boot-sources/ and boot-sources/{id}/. `keyring_data` is base64 of the stored keyring ("" if none). */
export const BootSourceSchema = z.object({
  id: z.number().int(),
  url: z.string(),
  keyring_filename: z.string(),
  keyring_data: z.string(),
  created: MaasDateTimeSchema,
  updated: MaasDateTimeSchema,
  resource_uri: z.string(),
});
export type BootSource = z.infer<typeof BootSourceSchema>;
