import { z } from 'zod';
import { EventLevelSchema } from '../api/index.js';

// The events API entry itself (EventSchema, EventLevelSchema) lives in ../api/event.ts.

/** Event levels as `GET /events/?op=query` reports them (`level`). */
export type EventLevel = z.infer<typeof EventLevelSchema>;

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

/**
 * One step of a machine's timeline in Kiln's `op=details` extension: when each phase (power on,
 * boot config served, kernel fetched, each script, each install stage...) started and, once the
 * next one started or it finished, how long it took. Times are ISO 8601 UTC.
 */
export const timelineEntrySchema = z.object({
  phase: z.string().min(1),
  level: EventLevelSchema,
  description: z.string(),
  started_at: z.iso.datetime(),
  finished_at: z.iso.datetime().nullable(),
  duration_seconds: z.number().nonnegative().nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;
