import type { Kysely } from 'kysely';
import type { TimelineEntry } from '@kiln/protocol';
import type { Database } from '../../db/index.js';
import { levelName, type EventRow } from '../../events/index.js';

const toIso = (text: string): string => new Date(text).toISOString();

/**
 * A machine's timeline from its events, oldest first: each event starts a phase that lasts until
 * the next one starts. The last phase is open (no end, no duration) — the machine is still in it.
 */
export function timelineFromEvents(events: readonly EventRow[]): TimelineEntry[] {
  const sorted = [...events].sort((a, b) => a.id - b.id);
  return sorted.map((event, index) => {
    const next = sorted[index + 1];
    const started = toIso(event.created);
    const finished = next === undefined ? null : toIso(next.created);
    return {
      phase: event.type,
      level: levelName(event.level),
      description: event.description,
      started_at: started,
      finished_at: finished,
      duration_seconds:
        finished === null ? null : Math.max(0, (Date.parse(finished) - Date.parse(started)) / 1000),
    };
  });
}

export async function machineTimeline(
  db: Kysely<Database>,
  systemId: string,
): Promise<TimelineEntry[]> {
  const events = await db
    .selectFrom('events')
    .selectAll()
    .where('node_system_id', '=', systemId)
    .orderBy('id')
    .execute();
  return timelineFromEvents(events);
}
