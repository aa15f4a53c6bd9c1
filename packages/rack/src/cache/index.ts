export { createBootFileCache } from './create-boot-file-cache.js';
export { isSha256, normalizeSha256 } from './sha256-name.js';
export { normalizeRegionUrl } from './region-urls.js';
export {
  DEFAULT_CACHE_MAX_BYTES,
  type BootFileCache,
  type BootFileCacheOptions,
  type BootFileCacheStats,
  type BootFileReader,
  type CacheEntryInfo,
  type CacheEntryState,
} from './types.js';
