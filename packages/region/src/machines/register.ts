import type { FastifyInstance } from 'fastify';
import type { RegionContext } from '../region-context.js';
import { registerBootPurposeRoutes } from './boot-purpose/boot-purpose-routes.js';
import { startTimeoutSweeper } from './timeouts/timeout-sweeper.js';

/**
 * Everything of the machine lifecycle that is not an API handler: the rack-facing boot-purpose
 * endpoint, and the timeout sweeper (started when the app is ready, stopped when it closes).
 */
export function registerMachineRoutes(app: FastifyInstance, region: RegionContext): void {
  registerBootPurposeRoutes(app, region);
  let stop: (() => void) | undefined;
  app.addHook('onReady', (done) => {
    stop = startTimeoutSweeper(region);
    done();
  });
  app.addHook('onClose', (_instance, done) => {
    stop?.();
    done();
  });
}
