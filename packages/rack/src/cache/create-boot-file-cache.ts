import { AppError } from '@kiln/node-kit';
import { DiskBootFileCache } from './boot-file-cache.js';
import { createCacheMetrics } from './cache-metrics.js';
import { CacheIndex } from './cache-index.js';
import { scanCacheDir } from './disk-scan.js';
import { loadPins } from './pins-file.js';
import { DEFAULT_CACHE_MAX_BYTES, type BootFileCache, type BootFileCacheOptions } from './types.js';

/** Opens the cache folder, rebuilding the index from what is on disk. */
export async function createBootFileCache(options: BootFileCacheOptions): Promise<BootFileCache> {
  const logger = options.logger.child({ module: 'rack-cache' });
  const metrics = createCacheMetrics(options.metricsRegistry);
  const maxBytes = options.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
  const scrubRate = options.scrubBytesPerSecond;
  if (scrubRate !== undefined && (!Number.isFinite(scrubRate) || scrubRate < 0)) {
    throw new AppError(
      'CACHE_INVALID_SIZE',
      `Scrub rate must be a byte count per second (0 = off), got ${scrubRate}`,
    );
  }
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new AppError(
      'CACHE_INVALID_SIZE',
      `Cache size must be a positive byte count, got ${maxBytes}`,
    );
  }
  const scan = await scanCacheDir(options.dir, logger);
  const index = new CacheIndex(maxBytes, metrics);
  for (const file of scan.complete)
    index.complete.set(file.sha256, { size: file.size, lastUsed: file.lastUsed });
  for (const file of scan.partials)
    index.partials.set(file.sha256, { size: file.size, lastUsed: file.lastUsed });
  for (const sha256 of await loadPins(options.dir)) index.pins.add(sha256);
  const cache = new DiskBootFileCache(options, logger, metrics, index);
  cache.removeVictims(index.enforceLimit());
  index.refreshGauges();
  cache.startScrub();
  logger.info(
    {
      dir: options.dir,
      files: scan.complete.length,
      partials: scan.partials.length,
      usedBytes: index.usedBytes(),
      maxBytes,
    },
    'boot file cache opened',
  );
  return cache;
}
