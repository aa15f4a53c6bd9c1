import { z } from 'zod';

export const EventLevelSchema = z.enum(['AUDIT', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);

/** One event of events/?op=query; `created` uses MAAS's event format `Tue, 04 Dec. 2018 18:11:31`. */
export const EventSchema = z.object({
  id: z.number().int(),
  username: z.string().nullable(),
  node: z.string().nullable(),
  hostname: z.string().nullable(),
  level: EventLevelSchema,
  created: z.string(),
  type: z.string(),
  description: z.string(),
});
export type Event = z.infer<typeof EventSchema>;

export const EventQueryResultSchema = z.object({
  count: z.number().int(),
  events: z.array(EventSchema),
  next_uri: z.string(),
  prev_uri: z.string(),
});
export type EventQueryResult = z.infer<typeof EventQueryResultSchema>;
