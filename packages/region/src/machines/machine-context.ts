import type { RegionContext } from '../region-context.js';
import type { MachineServices } from './services.js';

/**
 * What the machine lifecycle runs with: the region's shared context and the machine services the
 * composition root built for it (the metadata server is handed the same one).
 */
export interface MachineContext extends RegionContext {
  readonly machines: MachineServices;
}
