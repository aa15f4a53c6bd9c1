import type { RegionContext } from '../region-context.js';
import { primeSourceCache } from './cache/source-cache.js';
import { releaseOwnStaleLocks } from './importer/import-lock.js';
import { ImageService, type ImageServiceOptions } from './importer/import-service.js';
import { startImportScheduler, type SchedulerOptions } from './scheduler/import-scheduler.js';

export interface ImageWorkOptions extends ImageServiceOptions, SchedulerOptions {
  /** Run the schedule (start-up import and then every interval); default true. */
  readonly schedule?: boolean;
}

const services = new WeakMap<RegionContext, ImageService>();
const schedulers = new WeakMap<RegionContext, () => void>();
const pendingOptions = new WeakMap<RegionContext, ImageServiceOptions>();

/** The one ImageService of a running region (API handlers reach it through their RegionContext). */
export function imageServiceFor(region: RegionContext): ImageService {
  let service = services.get(region);
  if (service === undefined) {
    service = new ImageService(region, pendingOptions.get(region) ?? {});
    services.set(region, service);
  }
  return service;
}

/** Sets the service options before anything asks for the service (tests, benchmarks). */
export function configureImageService(region: RegionContext, options: ImageServiceOptions): void {
  if (services.has(region)) throw new Error('image service already created');
  pendingOptions.set(region, options);
}

/**
 * Start-up work of the image store: reconcile the store with the database (stat only), then
 * start the schedule, which imports at start-up when auto-import is on.
 */
export async function startImageWork(
  region: RegionContext,
  options: ImageWorkOptions = {},
): Promise<void> {
  const service = imageServiceFor(region);
  await primeSourceCache(region.db);
  await releaseOwnStaleLocks(region.db, region.regionId);
  await service.reconcile();
  if (options.schedule !== false && !schedulers.has(region))
    schedulers.set(region, startImportScheduler(region, service, options));
}

/** Stops the schedule and any running import (partials kept); the database stays open. */
export async function stopImageWork(region: RegionContext): Promise<void> {
  schedulers.get(region)?.();
  schedulers.delete(region);
  await services.get(region)?.close();
}
