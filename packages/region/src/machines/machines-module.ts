import { bindHandlers, type RegionModule } from '../api/index.js';
import type { RegionContext } from '../region-context.js';
import { MACHINE_HANDLERS } from './api/index.js';
import { registerBootPurposeRoutes } from './boot-purpose/boot-purpose-routes.js';
import type { MachineContext } from './machine-context.js';
import { createMachineServices, type MachineServices } from './services.js';
import { startTimeoutSweeper } from './timeouts/timeout-sweeper.js';

export interface MachinesModule extends RegionModule {
  /** The context the machine lifecycle runs with (the metadata server is handed it too). */
  readonly context: MachineContext;
}

/**
 * Machines, tags, zones and pools under /MAAS/api/2.0/, the rack-facing boot-purpose endpoint,
 * and the timeout sweeper. `services` replaces default pieces (tests: a clock, fake BMCs).
 */
export function createMachinesModule(
  region: RegionContext,
  services: Partial<MachineServices> = {},
): MachinesModule {
  const context: MachineContext = { ...region, machines: createMachineServices(region, services) };
  let stopSweeper: (() => void) | undefined;
  return {
    name: 'machines',
    context,
    handlers: bindHandlers(MACHINE_HANDLERS, context),
    routes: ({ app }) => registerBootPurposeRoutes(app, context),
    start: () => {
      stopSweeper = startTimeoutSweeper(context);
      return Promise.resolve();
    },
    stop: () => {
      stopSweeper?.();
      stopSweeper = undefined;
      return Promise.resolve();
    },
  };
}
