import { z } from 'zod';
import { describeDocumentSchema } from '../client/describe.js';

export const profileSchema = z.object({
  name: z.string().min(1),
  /** API root with trailing slash, e.g. `http://host:5240/MAAS/api/2.0/`. */
  url: z.string().min(1),
  /** `consumer:token:secret`, or null for an anonymous profile. */
  credentials: z.string().nullable(),
  description: describeDocumentSchema,
});

export const profilesFileSchema = z.object({
  version: z.literal(1),
  profiles: z.record(z.string(), profileSchema),
});

export type Profile = z.infer<typeof profileSchema>;
export type ProfilesFile = z.infer<typeof profilesFileSchema>;

export function emptyProfilesFile(): ProfilesFile {
  return { version: 1, profiles: {} };
}
