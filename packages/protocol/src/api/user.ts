import { z } from 'zod';

/** users/?op=whoami, users/, users/{username}/. */
export const UserSchema = z.object({
  username: z.string(),
  email: z.string(),
  is_superuser: z.boolean(),
  is_local: z.boolean(),
  resource_uri: z.string(),
});
export type User = z.infer<typeof UserSchema>;
