import type { RegionModule } from '../api/index.js';
import type { MachineContext } from '../machines/index.js';
import { registerMetadataRoutes } from './metadata-routes.js';

/** The metadata server machines talk to while they boot (it moves them through the lifecycle). */
export function createMetadataModule(machines: MachineContext): RegionModule {
  return { name: 'metadata', routes: ({ app }) => registerMetadataRoutes(app, machines) };
}
