import { getConfigValue } from '../../maas-config/index.js';
import type { RegionContext } from '../../region-context.js';
import type { ImageService } from '../importer/import-service.js';

export interface SchedulerOptions {
  /** How often the scheduler looks at the settings (they may change at any time). */
  readonly tickMs?: number;
  /** Delay before the start-up import, so a region started and stopped at once does not import. */
  readonly startDelayMs?: number;
}

/**
 * Runs the start-up import and then one every `boot_images_import_interval_minutes` while
 * `boot_images_auto_import` is true, reading both settings on every tick. Returns a stop function.
 */
export function startImportScheduler(
  region: RegionContext,
  service: ImageService,
  options: SchedulerOptions = {},
): () => void {
  let stopped = false;
  let lastStart: number | null = null;
  const tick = async (): Promise<void> => {
    const auto =
      (await getConfigValue(region.db, region.config, 'boot_images_auto_import')) === true;
    if (!auto) return;
    const minutes = Number(
      await getConfigValue(region.db, region.config, 'boot_images_import_interval_minutes'),
    );
    const since = Math.max(lastStart ?? 0, service.lastFinished ?? 0);
    if (lastStart !== null && Date.now() - since < minutes * 60_000) return;
    const reason = lastStart === null ? 'start-up' : 'schedule';
    lastStart = Date.now();
    await service.startImport(reason);
  };
  const run = (): void => {
    if (stopped) return;
    tick()
      .catch((error: unknown) => service.logger.warn({ err: error }, 'import schedule tick failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(run, options.tickMs ?? 30_000).unref();
      });
  };
  let timer = setTimeout(run, options.startDelayMs ?? 5_000).unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
