import { RACK_REPORT_MAX_CACHED, type RackCacheReport } from '@kiln/protocol';
import type { Registry } from 'prom-client';
import type { BootFileCache } from '../cache/index.js';

/** The cache's Prometheus counters (cache-metrics.ts) that the heartbeat carries, by report field. */
const COUNTERS = {
  hits: 'kiln_rack_cache_hits_total',
  misses: 'kiln_rack_cache_misses_total',
  region_fetches: 'kiln_rack_cache_region_fetches_total',
  served_bytes: 'kiln_rack_cache_served_bytes_total',
  corrupt_files: 'kiln_rack_cache_corrupt_files_total',
} as const;

async function counterValue(registry: Registry, name: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const { values } = await metric.get();
  return values.reduce((sum, { value }) => sum + value, 0);
}

/**
 * The cache figures for a heartbeat. The counters are read from the agent's metrics registry, the
 * same numbers `/metrics` shows, so the region's view and Prometheus never disagree.
 */
export async function readCacheReport(
  cache: BootFileCache,
  registry: Registry,
): Promise<RackCacheReport> {
  const stats = cache.stats();
  const [hits, misses, regionFetches, servedBytes, corruptFiles] = await Promise.all(
    [
      COUNTERS.hits,
      COUNTERS.misses,
      COUNTERS.region_fetches,
      COUNTERS.served_bytes,
      COUNTERS.corrupt_files,
    ].map((name) => counterValue(registry, name)),
  );
  // Most recently used first, so a cache bigger than the list still reports what is booting now.
  const cached = cache
    .list()
    .filter((entry) => entry.state === 'complete')
    .sort((a, b) => b.lastUsed.getTime() - a.lastUsed.getTime())
    .slice(0, RACK_REPORT_MAX_CACHED)
    .map((entry) => entry.sha256);
  return {
    used_bytes: stats.usedBytes,
    capacity_bytes: stats.maxBytes,
    files: stats.entries,
    hits: hits ?? 0,
    misses: misses ?? 0,
    region_fetches: regionFetches ?? 0,
    served_bytes: servedBytes ?? 0,
    corrupt_files: corruptFiles ?? 0,
    cached,
  };
}
