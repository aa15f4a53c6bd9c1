import { z } from 'zod';

/** Event levels as `GET /events/?op=query` reports them (`level`). */
export const EVENT_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'AUDIT'] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

/** MAAS renders event times like `Fri, 13 Jan. 2023 09:08:43` (strftime `%a, %d %b. %Y %H:%M:%S`). */
export const MAAS_EVENT_TIME = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2}\. \d{4} \d{2}:\d{2}:\d{2}$/;

const DAYS = 'SunMonTueWedThuFriSat';
const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

const pad = (n: number): string => String(n).padStart(2, '0');
const abbrev = (names: string, index: number): string => names.slice(index * 3, index * 3 + 3);

/** Format a date the way MAAS's events API does (UTC). */
export function formatEventTime(date: Date): string {
  const day = abbrev(DAYS, date.getUTCDay());
  const month = abbrev(MONTHS, date.getUTCMonth());
  return (
    `${day}, ${pad(date.getUTCDate())} ${month}. ${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}

/** One entry of the events API (`events` array of `GET /events/?op=query`). */
export const machineEventSchema = z.object({
  id: z.number().int(),
  node: z.string().nullable(),
  hostname: z.string(),
  username: z.string().nullable(),
  level: z.enum(EVENT_LEVELS),
  created: z.string().regex(MAAS_EVENT_TIME),
  type: z.string(),
  description: z.string(),
});
export type MachineEvent = z.infer<typeof machineEventSchema>;

export const eventsQueryResponseSchema = z.object({
  count: z.number().int().nonnegative(),
  events: z.array(machineEventSchema),
  next_uri: z.string(),
  prev_uri: z.string(),
});

/**
 * One step of a machine's timeline in Kiln's `op=details` extension: when each phase (power on,
 * boot config served, kernel fetched, each script, each install stage...) started and, once the
 * next one started or it finished, how long it took. Times are ISO 8601 UTC.
 */
export const timelineEntrySchema = z.object({
  phase: z.string().min(1),
  level: z.enum(EVENT_LEVELS),
  description: z.string(),
  started_at: z.iso.datetime(),
  finished_at: z.iso.datetime().nullable(),
  duration_seconds: z.number().nonnegative().nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;
