import { unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@kiln/node-kit';
import type { Logger } from 'pino';
import type { CacheMetrics } from './cache-metrics.js';
import type { CacheIndex, Victim } from './cache-index.js';
import { CompleteFileReader } from './complete-file-reader.js';
import { DISCARDING_CODES, Flight } from './flight.js';
import { FlightReader } from './flight-reader.js';
import { listEntries } from './list-entries.js';
import { savePins } from './pins-file.js';
import { RegionUrlTracker } from './region-urls.js';
import { normalizeSha256, partialName } from './sha256-name.js';
import {
  type BootFileCache,
  type BootFileCacheOptions,
  type BootFileCacheStats,
  type BootFileReader,
  type CacheEntryInfo,
} from './types.js';
import { UncachedReader } from './uncached-reader.js';

/** Last-use times reach the disk (mtime) at most this often per file: a hit must stay cheap. */
const TOUCH_INTERVAL_MS = 60_000;

/** The cache over one folder; built by `createBootFileCache` once the index is rebuilt. */
export class DiskBootFileCache implements BootFileCache {
  readonly dir: string;
  private readonly urls: RegionUrlTracker;
  private readonly flights = new Map<string, Flight>();
  /** Files known to be bigger than the whole cache: go straight to the region next time. */
  private readonly oversize = new Map<string, number>();
  private readonly deletions = new Map<string, Promise<void>>();
  private readonly touched = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly options: BootFileCacheOptions,
    private readonly logger: Logger,
    private readonly metrics: CacheMetrics,
    private readonly index: CacheIndex,
  ) {
    this.dir = options.dir;
    this.urls = new RegionUrlTracker(options.regionUrls);
  }

  open(sha256: string): Promise<BootFileReader> {
    try {
      return Promise.resolve(this.openNow(normalizeSha256(sha256)).reader);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  async warm(sha256: string): Promise<CacheEntryInfo> {
    const sha = normalizeSha256(sha256);
    const { reader, flight } = this.openNow(sha);
    try {
      if (flight !== undefined) await flight.done;
      if (flight?.state === 'uncacheable' || this.oversize.has(sha)) {
        throw new AppError('CACHE_TOO_LARGE', `Boot file ${sha} does not fit in the cache`, {
          details: {
            sha256: sha,
            size: this.oversize.get(sha) ?? flight?.total,
            maxBytes: this.index.maxBytes,
          },
        });
      }
      if (flight?.state === 'failed') throw flight.error ?? new Error('region fetch failed');
    } finally {
      reader.close();
    }
    const info = this.list().find((entry) => entry.sha256 === sha && entry.state === 'complete');
    if (info === undefined)
      throw new AppError('CACHE_FILE_NOT_FOUND', `Boot file ${sha} is not cached`);
    return info;
  }

  async pin(sha256: string): Promise<void> {
    this.index.pins.add(normalizeSha256(sha256));
    await savePins(this.dir, this.index.pins);
  }

  async unpin(sha256: string): Promise<void> {
    this.index.pins.delete(normalizeSha256(sha256));
    await savePins(this.dir, this.index.pins);
  }

  list(): CacheEntryInfo[] {
    return listEntries(this.index, this.flights);
  }

  stats(): BootFileCacheStats {
    return {
      maxBytes: this.index.maxBytes,
      usedBytes: this.index.usedBytes(),
      entries: this.index.complete.size,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const flights = [...this.flights.values()];
    for (const flight of flights) flight.abort();
    await Promise.all(flights.map((flight) => flight.done));
    await Promise.all(this.deletions.values());
  }

  removeVictims(victims: readonly Victim[]): void {
    for (const victim of victims) {
      const path = join(this.dir, victim.partial ? partialName(victim.sha256) : victim.sha256);
      this.logger.info({ sha256: victim.sha256, partial: victim.partial }, 'evicting boot file');
      const done = unlink(path)
        .catch((error: unknown) =>
          this.logger.warn({ path, err: error }, 'could not remove evicted file'),
        )
        .finally(() => this.deletions.delete(victim.sha256));
      this.deletions.set(victim.sha256, done);
    }
  }

  private openNow(sha: string): { reader: BootFileReader; flight: Flight | undefined } {
    if (this.closed) throw new AppError('CACHE_CLOSED', 'The boot file cache is closed');
    this.index.acquire(sha);
    const release = (): void => this.index.release(sha);
    const entry = this.index.complete.get(sha);
    if (entry !== undefined) {
      this.metrics.hits.inc();
      this.touch(sha);
      return {
        reader: new CompleteFileReader(sha, join(this.dir, sha), entry.size, this.metrics, release),
        flight: undefined,
      };
    }
    this.metrics.misses.inc();
    const oversize = this.oversize.get(sha);
    if (oversize !== undefined)
      return { reader: this.uncachedReader(sha, oversize, release), flight: undefined };
    const flight = this.flights.get(sha) ?? this.startFlight(sha);
    const reader = new FlightReader(
      sha,
      flight,
      this.metrics,
      () => this.uncachedReader(sha, flight.total, () => undefined),
      release,
    );
    return { reader, flight };
  }

  private uncachedReader(
    sha: string,
    size: number | undefined,
    release: () => void,
  ): BootFileReader {
    return new UncachedReader({
      sha256: sha,
      urls: this.urls,
      idleTimeoutMs: this.options.regionIdleTimeoutMs ?? 30_000,
      logger: this.logger,
      metrics: this.metrics,
      knownSize: size,
      release,
    });
  }

  private startFlight(sha: string): Flight {
    this.index.startFetch(sha);
    const flight = new Flight({
      sha256: sha,
      dir: this.dir,
      urls: this.urls,
      logger: this.logger,
      metrics: this.metrics,
      idleTimeoutMs: this.options.regionIdleTimeoutMs ?? 30_000,
      maxAttempts: this.options.maxRegionAttempts ?? 6,
      hooks: {
        admit: (s, total) => this.admit(s, total),
        beforeRename: (s) => this.deletions.get(s) ?? Promise.resolve(),
        settled: (f) => this.settled(f),
      },
    });
    this.flights.set(sha, flight);
    return flight;
  }

  private admit(sha: string, total: number): boolean {
    const victims = this.index.reserve(sha, total);
    if (victims !== undefined) {
      this.removeVictims(victims);
      return true;
    }
    if (total > this.index.maxBytes) {
      this.oversize.set(sha, total);
      this.logger.info(
        { sha256: sha, size: total, maxBytes: this.index.maxBytes },
        'file larger than the cache; streaming it uncached',
      );
    } else {
      this.logger.warn(
        { sha256: sha, size: total },
        'no evictable room in the cache; streaming file uncached',
      );
    }
    return false;
  }

  private settled(flight: Flight): void {
    this.flights.delete(flight.sha256);
    if (flight.state === 'complete') {
      this.index.endFetch(flight.sha256, { complete: flight.written });
      this.touched.set(flight.sha256, Date.now());
    } else if (
      flight.state === 'failed' &&
      !DISCARDING_CODES.has((flight.error as AppError | undefined)?.code ?? '')
    ) {
      this.index.endFetch(flight.sha256, { partial: flight.written });
    } else {
      this.index.endFetch(flight.sha256, 'discarded');
    }
  }

  private touch(sha: string): void {
    const now = Date.now();
    this.index.touch(sha, now);
    if (now - (this.touched.get(sha) ?? 0) < TOUCH_INTERVAL_MS) return;
    this.touched.set(sha, now);
    const seconds = now / 1000;
    utimes(join(this.dir, sha), seconds, seconds).catch(() => undefined);
  }
}
