import type { Kysely, Selectable } from 'kysely';
import type { Database, EventsTable } from '../db/index.js';
import { EVENT_LEVELS, type EventLevelName } from './event-levels.js';

export type EventRow = Selectable<EventsTable>;

/** The system ids of the machines matching the events API's machine filters (every given one). */
export type MachineMatcher = (filters: {
  readonly macs: readonly string[];
  readonly zones: readonly string[];
  readonly agentName?: string;
}) => Promise<readonly string[]>;

export interface EventQuery {
  readonly systemIds?: readonly string[];
  readonly hostnames?: readonly string[];
  readonly owner?: string;
  /** Only events of these machines (the machine filters, resolved by the caller's MachineMatcher). */
  readonly machineSystemIds?: readonly string[];
  /** Minimum level: events at this level or above. */
  readonly level?: EventLevelName;
  readonly limit: number;
  /** Only events with id < before (older), newest first. */
  readonly before?: number;
  /** Only events with id > after (newer). */
  readonly after?: number;
}

/** Newest first, like MAAS; `after` pages towards newer events and is still returned newest first. */
export async function queryEvents(db: Kysely<Database>, query: EventQuery): Promise<EventRow[]> {
  let select = db.selectFrom('events').selectAll();
  if (query.systemIds !== undefined && query.systemIds.length > 0) {
    select = select.where('node_system_id', 'in', [...query.systemIds]);
  }
  if (query.hostnames !== undefined && query.hostnames.length > 0) {
    select = select.where('node_hostname', 'in', [...query.hostnames]);
  }
  if (query.owner !== undefined) select = select.where('username', '=', query.owner);
  if (query.machineSystemIds !== undefined) {
    if (query.machineSystemIds.length === 0) return [];
    select = select.where('node_system_id', 'in', [...query.machineSystemIds]);
  }
  if (query.level !== undefined) select = select.where('level', '>=', EVENT_LEVELS[query.level]);
  if (query.before !== undefined) select = select.where('id', '<', query.before);
  if (query.after !== undefined) {
    const rows = await select
      .where('id', '>', query.after)
      .orderBy('id', 'asc')
      .limit(query.limit)
      .execute();
    return rows.reverse();
  }
  return select.orderBy('id', 'desc').limit(query.limit).execute();
}
