import { z } from 'zod';
import { UserSchema } from './user.js';

export const NotificationCategorySchema = z.enum(['error', 'warning', 'success', 'info']);

/** notifications/ and notifications/{id}/. */
export const NotificationSchema = z.object({
  id: z.number().int(),
  ident: z.string().nullable(),
  user: UserSchema.nullable(),
  users: z.boolean(),
  admins: z.boolean(),
  message: z.string(),
  context: z.record(z.string(), z.unknown()),
  category: NotificationCategorySchema,
  dismissable: z.boolean(),
  resource_uri: z.string(),
});
export type Notification = z.infer<typeof NotificationSchema>;
