import type { Kysely } from 'kysely';
import { nowIso, type Database } from '../db/index.js';
import { EVENT_LEVELS, type EventLevelName } from './event-levels.js';

export interface NewEvent {
  /** Short event type, e.g. "Image import started", "Powering on". */
  readonly type: string;
  readonly description?: string;
  readonly level?: EventLevelName;
  readonly nodeSystemId?: string | null;
  readonly nodeHostname?: string | null;
  readonly username?: string | null;
}

/**
 * Appends one event to the log that `events/?op=query` reads. Features call this for everything
 * an operator may want to trace (imports, power actions, status changes); pass the transaction
 * handle when the event belongs to a change so both commit or neither does.
 */
export async function recordEvent(db: Kysely<Database>, event: NewEvent): Promise<number> {
  const row = await db
    .insertInto('events')
    .values({
      level: EVENT_LEVELS[event.level ?? 'INFO'],
      type: event.type,
      description: event.description ?? '',
      node_system_id: event.nodeSystemId ?? null,
      node_hostname: event.nodeHostname ?? null,
      username: event.username ?? null,
      created: nowIso(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
