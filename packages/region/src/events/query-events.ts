import type { Kysely, Selectable } from 'kysely';
import type { Database, EventsTable } from '../db/index.js';
import { filteredMachines } from '../machines/repository/machines-repository.js';
import { EVENT_LEVELS, type EventLevelName } from './event-levels.js';

export type EventRow = Selectable<EventsTable>;

export interface EventQuery {
  readonly systemIds?: readonly string[];
  readonly hostnames?: readonly string[];
  readonly owner?: string;
  /** Only events of machines with one of these (normalised) MAC addresses. */
  readonly macs?: readonly string[];
  /** Only events of machines in one of these zones. */
  readonly zones?: readonly string[];
  readonly agentName?: string;
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
  if (query.macs?.length || query.zones?.length || query.agentName !== undefined) {
    const machines = filteredMachines(db, {
      macs: query.macs,
      zones: query.zones,
      agentName: query.agentName,
    });
    select = select.where('node_system_id', 'in', machines.select('system_id'));
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
