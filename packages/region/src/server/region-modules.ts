import type { RegionModule } from '../api/index.js';
import { authModule } from '../auth/index.js';
import {
  createBootSourcesModule,
  type SelectionChanges,
  type SelectionValidator,
} from '../boot-sources/index.js';
import { createEventsModule } from '../events/index.js';
import { IMAGE_HANDLERS, registerImageRoutes } from '../images/index.js';
import { maasConfigModule } from '../maas-config/index.js';
import { MACHINE_HANDLERS, matchingMachineIds, registerMachineRoutes } from '../machines/index.js';
import { registerMetadataRoutes } from '../metadata/index.js';
import { notificationsModule } from '../notifications/index.js';
import { RACK_HANDLERS } from '../racks/index.js';
import type { RegionContext } from '../region-context.js';
import { regionIdentityModule } from '../region-identity/index.js';
import { usersModule } from '../users/index.js';
import { registerWebRoutes } from '../web/index.js';

export interface RegionModuleDeps {
  readonly selectionValidator: SelectionValidator;
  readonly selectionChanges: SelectionChanges;
}

/**
 * Every domain of the region, in the order their resources appear in describe/ (the API hash
 * depends on it) and their routes are registered.
 */
export function buildRegionModules(region: RegionContext, deps: RegionModuleDeps): RegionModule[] {
  return [
    regionIdentityModule,
    usersModule,
    authModule,
    maasConfigModule,
    createBootSourcesModule(deps),
    createEventsModule({ matchMachines: (filters) => matchingMachineIds(region.db, filters) }),
    notificationsModule,
    { name: 'metadata', routes: ({ app }) => registerMetadataRoutes(app, region) },
    {
      name: 'machines',
      handlers: MACHINE_HANDLERS,
      routes: ({ app }) => registerMachineRoutes(app, region),
    },
    {
      name: 'images',
      handlers: IMAGE_HANDLERS,
      routes: ({ app, metrics }) =>
        registerImageRoutes(app, region, metrics, deps.selectionChanges),
    },
    { name: 'racks', handlers: RACK_HANDLERS },
    { name: 'web', routes: ({ app }) => registerWebRoutes(app, region) },
  ];
}
