import { bindHandlers, type RegionModule } from '../api/index.js';
import type { SelectionChanges } from '../boot-sources/index.js';
import type { RegionContext } from '../region-context.js';
import { IMAGE_HANDLERS } from './api/index.js';
import { primeSourceCache } from './cache/source-cache.js';
import type { ImageContext } from './image-context.js';
import { releaseOwnStaleLocks } from './importer/import-lock.js';
import { ImageService, type ImageServiceOptions } from './importer/import-service.js';
import { startImportScheduler, type SchedulerOptions } from './scheduler/import-scheduler.js';
import { AtRestVerifier } from './serving/at-rest.js';
import { repairCorruptFile } from './serving/repair-corrupt.js';
import { serveStoreFile } from './serving/serve-files.js';

export interface ImageWorkOptions extends ImageServiceOptions, SchedulerOptions {
  /** Run the schedule (start-up import and then every interval); default true. */
  readonly schedule?: boolean;
}

export interface ImagesDeps {
  /** The importer runs after every committed change of the boot source selections. */
  readonly selectionChanges: SelectionChanges;
  readonly options?: ImageWorkOptions;
}

export interface ImagesModule extends RegionModule {
  /** The region's one image service (the API, the schedule and file serving share it). */
  readonly service: ImageService;
}

/**
 * The region's image store and import: the boot-resources API, file serving under
 * /MAAS/boot-resources/, the import metrics, and the import schedule.
 */
export function createImagesModule(region: RegionContext, deps: ImagesDeps): ImagesModule {
  const options = deps.options ?? {};
  const service = new ImageService(region, options);
  const context: ImageContext = { ...region, images: service };
  let stopSchedule: (() => void) | undefined;
  const stopListening = deps.selectionChanges.listen(() => {
    service.startImport('boot source selections changed').catch((error: unknown) => {
      service.logger.warn({ err: error }, 'import after selection change not started');
    });
  });
  return {
    name: 'images',
    service,
    handlers: bindHandlers(IMAGE_HANDLERS, context),
    routes: ({ app, metrics }) => {
      service.metrics.registerInto(metrics);
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
    },
    // Reconcile the store with the database (stat only), then start the schedule, which
    // imports at start-up when auto-import is on.
    start: async () => {
      await primeSourceCache(region.db);
      await releaseOwnStaleLocks(region.db, region.regionId);
      await service.reconcile();
      if (options.schedule !== false) stopSchedule = startImportScheduler(region, service, options);
    },
    // Before in-flight requests are waited for: a source fetch must not hold up the shutdown.
    beforeClose: () => service.stopping(),
    // The schedule and any running import stop (partials kept); the database stays open.
    stop: async () => {
      stopListening();
      stopSchedule?.();
      await service.close();
    },
  };
}
