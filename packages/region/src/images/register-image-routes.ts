import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { RegionContext } from '../region-context.js';
import { imageServiceFor, stopImageWork } from './image-services.js';
import { AtRestVerifier } from './serving/at-rest.js';
import { repairCorruptFile } from './serving/repair-corrupt.js';
import { serveStoreFile } from './serving/serve-files.js';

const SELECTION_ROUTE = /^\/MAAS\/api\/2\.0\/boot-sources\/[^/]+\/selections\//;

/**
 * Wires the image store into the region's HTTP app: file serving under /MAAS/boot-resources/,
 * the import metrics in the region registry, an import after every successful change of boot
 * source selections (as MAAS's "save" does), and a clean stop of the import when the app closes.
 */
export function registerImageRoutes(
  app: FastifyInstance,
  region: RegionContext,
  registry: Registry,
): void {
  const service = imageServiceFor(region);
  service.metrics.registerInto(registry);
  const repairing = new Set<string>();
  const verifier = new AtRestVerifier(
    (file) => {
      verifier.forget(file.sha256);
      if (repairing.has(file.sha256)) return;
      repairing.add(file.sha256);
      repairCorruptFile(service, file)
        .catch((error: unknown) =>
          service.logger.error(
            { err: error, sha256: file.sha256 },
            'repair of a corrupt file failed',
          ),
        )
        .finally(() => repairing.delete(file.sha256));
    },
    () => service.metrics.verifiedAtRest.inc(),
  );
  app.route({
    method: ['GET', 'HEAD'],
    url: '/MAAS/boot-resources/*',
    exposeHeadRoute: false,
    handler: (request, reply) => serveStoreFile(service.store, request, reply, verifier),
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || reply.statusCode >= 300) return;
    if (!SELECTION_ROUTE.test(request.url.split('?')[0] ?? '')) return;
    await service.startImport('boot source selections changed').catch((error: unknown) => {
      service.logger.warn({ err: error }, 'import after selection change not started');
    });
  });
  // preClose runs before fastify waits for in-flight requests: a source fetch must not hold it up.
  app.addHook('preClose', (done) => {
    service.stopping();
    done();
  });
  app.addHook('onClose', async () => {
    await stopImageWork(region);
  });
}
