import { z } from 'zod';

/** GET /MAAS/api/2.0/version/ (anonymous). */
export const VersionSchema = z.object({
  capabilities: z.array(z.string()),
  version: z.string(),
  subversion: z.string(),
});
export type Version = z.infer<typeof VersionSchema>;
