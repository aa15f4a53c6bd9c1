import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { SelectionChanges } from '../boot-sources/index.js';
import type { RegionContext } from '../region-context.js';
import { imageServiceFor, stopImageWork } from './image-services.js';
import { serveStoreFile } from './serving/serve-files.js';

/**
 * Wires the image store into the region's HTTP app: file serving under /MAAS/boot-resources/,
 * the import metrics in the region registry, an import after every successful change of boot
 * source selections (as MAAS's "save" does), and a clean stop of the import when the app closes.
 */
export function registerImageRoutes(
  app: FastifyInstance,
  region: RegionContext,
  registry: Registry,
  selectionChanges: SelectionChanges,
): void {
  const service = imageServiceFor(region);
  service.metrics.registerInto(registry);
  app.route({
    method: ['GET', 'HEAD'],
    url: '/MAAS/boot-resources/*',
    exposeHeadRoute: false,
    handler: (request, reply) => serveStoreFile(service.store, request, reply),
  });
  const stopListening = selectionChanges.listen(() => {
    service.startImport('boot source selections changed').catch((error: unknown) => {
      service.logger.warn({ err: error }, 'import after selection change not started');
    });
  });
  // preClose runs before fastify waits for in-flight requests: a source fetch must not hold it up.
  app.addHook('preClose', (done) => {
    service.stopping();
    done();
  });
  app.addHook('onClose', async () => {
    stopListening();
    await stopImageWork(region);
  });
}
