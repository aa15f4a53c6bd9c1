import type { FastifyInstance } from 'fastify';
import { registerMetadataRoutes } from '../metadata/index.js';
import type { RegionContext } from '../region-context.js';
import { registerBootPurposeRoutes } from './boot-purpose/boot-purpose-routes.js';
import { startTimeoutSweeper } from './timeouts/timeout-sweeper.js';

/**
 * Everything of the machine lifecycle that is not an API handler: the metadata server, the
 * rack-facing boot-purpose endpoint, and the timeout sweeper (started when the app is ready,
 * stopped when it closes).
 */
export async function registerMachineRoutes(
  app: FastifyInstance,
  region: RegionContext,
): Promise<void> {
  await registerMetadataRoutes(app, region);
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
