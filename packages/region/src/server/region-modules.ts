import type { RegionModule } from '../api/index.js';
import { authModule } from '../auth/index.js';
import {
  createBootSourcesModule,
  type SelectionChanges,
  type SelectionValidator,
} from '../boot-sources/index.js';
import { createEventsModule } from '../events/index.js';
import { createImagesModule, type ImagesModule, type ImageWorkOptions } from '../images/index.js';
import { maasConfigModule } from '../maas-config/index.js';
import {
  createMachinesModule,
  matchingMachineIds,
  type MachineServices,
  type MachinesModule,
} from '../machines/index.js';
import { createMetadataModule } from '../metadata/index.js';
import { notificationsModule } from '../notifications/index.js';
import { createRacksModule } from '../racks/index.js';
import type { RegionContext } from '../region-context.js';
import { regionIdentityModule } from '../region-identity/index.js';
import { usersModule } from '../users/index.js';
import { createWebModule } from '../web/index.js';
import { SPACE_HANDLERS } from '../spaces/index.js';
import { STATIC_ROUTE_HANDLERS } from '../static-routes/index.js';
import { DOMAIN_HANDLERS } from '../domains/index.js';
import { DEVICE_HANDLERS } from '../devices/index.js';
import { FILE_HANDLERS } from '../files/index.js';
import { SSH_KEY_HANDLERS } from '../ssh-keys/index.js';

export interface RegionModuleOptions {
  readonly selectionValidator: SelectionValidator;
  readonly selectionChanges: SelectionChanges;
  /** Pieces of the machine services to use instead of the defaults (tests: clock, backoff). */
  readonly machines?: Partial<MachineServices>;
  readonly images?: ImageWorkOptions;
}

export interface RegionModules {
  /** In the order their resources appear in describe/ (the API hash depends on it), routes are
   * registered and the modules start; they stop in reverse order. */
  readonly all: readonly RegionModule[];
  readonly machines: MachinesModule;
  readonly images: ImagesModule;
}

/** Builds every domain of the region and hands each the services it needs. */
export function buildRegionModules(
  region: RegionContext,
  options: RegionModuleOptions,
): RegionModules {
  const machines = createMachinesModule(region, options.machines);
  const images = createImagesModule(region, {
    selectionChanges: options.selectionChanges,
    ...(options.images === undefined ? {} : { options: options.images }),
  });
  const all: RegionModule[] = [
    regionIdentityModule,
    usersModule,
    authModule,
    maasConfigModule,
    createBootSourcesModule(options),
    createEventsModule({ matchMachines: (filters) => matchingMachineIds(region.db, filters) }),
    notificationsModule,
    createMetadataModule(machines.context),
    machines,
    images,
    createRacksModule({ power: machines.context.machines.power }),
    { name: 'spaces', handlers: SPACE_HANDLERS },
    { name: 'static-routes', handlers: STATIC_ROUTE_HANDLERS },
    { name: 'domains', handlers: DOMAIN_HANDLERS },
    { name: 'devices', handlers: DEVICE_HANDLERS },
    { name: 'files', handlers: FILE_HANDLERS },
    { name: 'ssh-keys', handlers: SSH_KEY_HANDLERS },
    createWebModule(region),
  ];
  return { all, machines, images };
}
