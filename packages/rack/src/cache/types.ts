import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/**
 * A handle on one boot file, whatever state it is in (cached, arriving from the region, or too big
 * to cache). The HTTP and TFTP servers both read through it, so a file is fetched once whichever
 * protocol asked first. Always `close()` it: an open reader pins the file against eviction.
 */
export interface BootFileReader {
  readonly sha256: string;
  /** True when the file was already complete in the cache when the reader was opened. */
  readonly hit: boolean;
  /** The size if it is already known (cached files, or once the region has answered). */
  readonly knownSize: number | undefined;
  /** The total size; waits for the region's first answer on a cold file. */
  size(): Promise<number>;
  /**
   * Exactly `min(length, size - offset)` bytes starting at `offset`, waiting until they have
   * arrived. Rejects if the region fetch fails or the file fails its sha256/size check.
   */
  read(offset: number, length: number): Promise<Buffer>;
  /**
   * Fills `target` from `position` and resolves with the count; fewer than `target.length` only
   * at end of file. The shape of the TFTP server's `TftpSource.read`, so no copy is needed.
   */
  readInto(target: Buffer, position: number): Promise<number>;
  /**
   * The bytes `[start, end]` (inclusive, default the whole file) as they arrive. The stream is
   * destroyed with an error if the file turns out to be bad, so a client never gets a silently
   * wrong file: the last byte is only released once the whole file has been verified.
   */
  stream(start?: number, end?: number): Readable;
  close(): void;
}

export type CacheEntryState = 'complete' | 'fetching' | 'partial';

export interface CacheEntryInfo {
  readonly sha256: string;
  /** Bytes on disk (complete files) or bytes so far (partial files). */
  readonly size: number;
  /** Expected size when fetching, if the region has told us. */
  readonly totalSize: number | undefined;
  readonly lastUsed: Date;
  readonly pinned: boolean;
  readonly readers: number;
  readonly state: CacheEntryState;
}

export interface BootFileCacheStats {
  readonly maxBytes: number;
  readonly usedBytes: number;
  readonly entries: number;
}

export interface BootFileCache {
  readonly dir: string;
  /** Opens a reader; a cold file starts (or joins) the single region fetch. */
  open(sha256: string): Promise<BootFileReader>;
  /** Fetches the file into the cache if missing and waits until it is complete and verified. */
  warm(sha256: string): Promise<CacheEntryInfo>;
  /** Pinned files are never evicted; pinning a file that is not cached yet pins it on arrival. */
  pin(sha256: string): Promise<void>;
  unpin(sha256: string): Promise<void>;
  list(): CacheEntryInfo[];
  stats(): BootFileCacheStats;
  /** Aborts region fetches (their partial files are kept for resume) and closes files. */
  close(): Promise<void>;
}

export interface BootFileCacheOptions {
  /** The cache folder, normally `<dataDir>/cache`. Created if missing. */
  readonly dir: string;
  /** Size limit in bytes; default 4 GiB. */
  readonly maxBytes?: number;
  /**
   * Region base URLs (`http://host:5240`, a trailing `/MAAS` is accepted). A function is asked
   * again on every fetch, so the rack can update the list as regions come and go.
   */
  readonly regionUrls: readonly string[] | (() => readonly string[]);
  readonly logger: Logger;
  readonly metricsRegistry?: Registry;
  /** A region connection idle for this long is dropped and resumed; default 30 s. */
  readonly regionIdleTimeoutMs?: number;
  /** Consecutive failed region attempts (without any byte of progress) before giving up; default 6. */
  readonly maxRegionAttempts?: number;
  /**
   * The background scrub's speed in bytes per second (default 8 MiB/s); 0 turns it off. Files not
   * verified since start-up are scrubbed first; a client opening one meanwhile is never slowed.
   */
  readonly scrubBytesPerSecond?: number;
  /** How often each cached file is re-hashed by the scrub; default 7 days. */
  readonly scrubPeriodMs?: number;
}

export const DEFAULT_SCRUB_BYTES_PER_SECOND = 8 * 1024 * 1024;
export const DEFAULT_SCRUB_PERIOD_MS = 7 * 24 * 3600 * 1000;

export const DEFAULT_CACHE_MAX_BYTES = 4 * 1024 * 1024 * 1024;
