import type { RegionModule } from '../api/index.js';
import { eventsHandler } from './events-handler.js';
import type { MachineMatcher } from './query-events.js';

/** events/; the machines domain resolves its machine filters. */
export function createEventsModule(deps: { readonly matchMachines: MachineMatcher }): RegionModule {
  return { name: 'events', handlers: [eventsHandler(deps.matchMachines)] };
}
