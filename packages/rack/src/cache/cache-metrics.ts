import { Counter, Gauge, Registry } from 'prom-client';

export interface CacheMetrics {
  readonly hits: Counter;
  readonly misses: Counter;
  readonly servedBytes: Counter;
  readonly evictions: Counter;
  readonly regionFetches: Counter;
  readonly regionFetchBytes: Counter;
  readonly regionFetchFailures: Counter;
  readonly corruptFiles: Counter<'found_by'>;
  readonly verifiedFiles: Counter<'by'>;
  readonly verifyBytes: Counter<'by'>;
  readonly usedBytes: Gauge;
  readonly entries: Gauge;
}

/**
 * Metrics live in the injected registry (the rack's `/metrics`); a private registry is used when
 * none is given so that several caches in one test process never collide on metric names.
 */
export function createCacheMetrics(registry: Registry = new Registry()): CacheMetrics {
  const registers = [registry];
  return {
    hits: new Counter({
      name: 'kiln_rack_cache_hits_total',
      help: 'Boot file opens answered from a complete cached file',
      registers,
    }),
    misses: new Counter({
      name: 'kiln_rack_cache_misses_total',
      help: 'Boot file opens that needed the region (including joins of a fetch in flight)',
      registers,
    }),
    servedBytes: new Counter({
      name: 'kiln_rack_cache_served_bytes_total',
      help: 'Bytes handed to HTTP and TFTP clients through cache readers',
      registers,
    }),
    evictions: new Counter({
      name: 'kiln_rack_cache_evictions_total',
      help: 'Files removed from the cache to make room',
      registers,
    }),
    regionFetches: new Counter({
      name: 'kiln_rack_cache_region_fetches_total',
      help: 'HTTP requests made to a region for boot files (resumes count again)',
      registers,
    }),
    regionFetchBytes: new Counter({
      name: 'kiln_rack_cache_region_fetch_bytes_total',
      help: 'Bytes received from regions for boot files',
      registers,
    }),
    regionFetchFailures: new Counter({
      name: 'kiln_rack_cache_region_fetch_failures_total',
      help: 'Region requests that failed or were cut before the end',
      registers,
    }),
    corruptFiles: new Counter({
      name: 'kiln_rack_cache_corrupt_files_total',
      help: 'Cached files found corrupt at rest (wrong size or sha256), quarantined and fetched again',
      labelNames: ['found_by'],
      registers,
    }),
    verifiedFiles: new Counter({
      name: 'kiln_rack_cache_verified_files_total',
      help: 'Cached files re-hashed at rest and found good, by first serve or the background scrub',
      labelNames: ['by'],
      registers,
    }),
    verifyBytes: new Counter({
      name: 'kiln_rack_cache_verify_bytes_total',
      help: 'Bytes re-hashed at rest, by first serve or the background scrub (rate = scrub speed)',
      labelNames: ['by'],
      registers,
    }),
    usedBytes: new Gauge({
      name: 'kiln_rack_cache_used_bytes',
      help: 'Bytes used by cached, reserved and partial files',
      registers,
    }),
    entries: new Gauge({
      name: 'kiln_rack_cache_entries',
      help: 'Complete files in the cache',
      registers,
    }),
  };
}
