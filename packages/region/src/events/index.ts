export { EVENT_LEVELS, levelName, type EventLevelName } from './event-levels.js';
export { recordEvent, type NewEvent } from './record-event.js';
export { queryEvents, type EventQuery, type EventRow } from './query-events.js';
export type { MachineMatcher } from './query-events.js';
export { createEventsModule } from './events-module.js';
