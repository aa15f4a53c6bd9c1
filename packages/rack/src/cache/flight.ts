import { createHash, type Hash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, isAppError } from '@kiln/node-kit';
import type { Logger } from 'pino';
import type { CacheMetrics } from './cache-metrics.js';
import { openRegionFile } from './region-client.js';
import type { RegionUrlTracker } from './region-urls.js';
import { diskError } from './disk-error.js';
import { partialName } from './sha256-name.js';

/** Failures after which the partial is worthless (wrong bytes) or must give its room back. */
export const DISCARDING_CODES: ReadonlySet<string> = new Set([
  'CACHE_CHECKSUM_MISMATCH',
  'CACHE_SIZE_MISMATCH',
  'CACHE_FILE_NOT_FOUND',
  'CACHE_DISK_FULL',
  'CACHE_WRITE_FAILED',
]);

const NOTIFY_STEP = 256 * 1024;
const NOTIFY_DELAY_MS = 10;

export type FlightState = 'fetching' | 'complete' | 'failed' | 'uncacheable';

export interface FlightHooks {
  /** Asked once the total size is known: may the file take that much room in the cache? */
  admit(sha256: string, total: number): boolean;
  /** Resolves when an evicted file of the same name is gone, before the rename. */
  beforeRename(sha256: string): Promise<void>;
  settled(flight: Flight): void;
}

export interface FlightOptions {
  readonly sha256: string;
  readonly dir: string;
  readonly urls: RegionUrlTracker;
  readonly logger: Logger;
  readonly metrics: CacheMetrics;
  readonly idleTimeoutMs: number;
  readonly maxAttempts: number;
  readonly hooks: FlightHooks;
}

/**
 * The one region download of one file. Bytes are appended to `<sha256>.partial`; readers follow
 * the growing file through `waitFor`, and the last byte is only released once sha256 and size
 * have been checked, so a reader that got every byte got the right file. Cuts are resumed with
 * Range from the bytes already on disk.
 */
export class Flight {
  state: FlightState = 'fetching';
  written = 0;
  total: number | undefined;
  error: Error | undefined;
  readonly partialPath: string;
  readonly finalPath: string;
  private waiters: { position: number; resolve: () => void }[] = [];
  private hash: Hash = createHash('sha256');
  private file: FileHandle | undefined;
  private current: { destroy(): void } | undefined;
  private aborted = false;
  private notifiedAt = 0;
  private notifyTimer: NodeJS.Timeout | undefined;
  readonly done: Promise<void>;

  constructor(private readonly options: FlightOptions) {
    this.partialPath = join(options.dir, partialName(options.sha256));
    this.finalPath = join(options.dir, options.sha256);
    this.done = this.run();
  }

  get sha256(): string {
    return this.options.sha256;
  }

  /** Bytes readers may have: all but the last one until the file is verified. */
  available(): number {
    if (this.state === 'complete') return this.written;
    if (this.total !== undefined && this.written < this.total) return this.written;
    return Math.max(0, this.written - 1);
  }

  isSettled(): boolean {
    return this.state !== 'fetching';
  }

  /** Resolves once `available() >= position`, the total is known (if `needTotal`), or it settles. */
  waitFor(position: number, needTotal = false): Promise<void> {
    if (
      this.isSettled() ||
      (this.available() >= position && (!needTotal || this.total !== undefined))
    )
      return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push({ position: needTotal ? -1 : position, resolve });
    });
  }

  abort(): void {
    this.aborted = true;
    this.current?.destroy();
  }

  /**
   * Waking every reader for every 64 KiB socket chunk costs hundreds of wake-ups and small reads
   * per reader in a boot storm; wake them per 256 KiB instead, or after 10 ms when bytes trickle.
   */
  private notifySoon(): void {
    if (this.written - this.notifiedAt >= NOTIFY_STEP) this.notify();
    else this.notifyTimer ??= setTimeout(() => this.notify(), NOTIFY_DELAY_MS);
  }

  private notify(): void {
    clearTimeout(this.notifyTimer);
    this.notifyTimer = undefined;
    this.notifiedAt = this.written;
    const available = this.available();
    const settled = this.isSettled();
    const remaining: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      const ready =
        settled || (waiter.position < 0 ? this.total !== undefined : available >= waiter.position);
      if (ready) waiter.resolve();
      else remaining.push(waiter);
    }
    this.waiters = remaining;
  }

  private async run(): Promise<void> {
    const { sha256, logger } = this.options;
    try {
      await this.openPartial();
      let fruitless = 0;
      while (this.state === 'fetching') {
        if (this.aborted) throw new AppError('CACHE_CLOSED', 'The cache is closing');
        const before = this.written;
        const finished = await this.attempt().catch((error: unknown) => {
          if (isAppError(error) && error.code !== 'CACHE_REGION_UNAVAILABLE') throw error;
          if (this.aborted) throw new AppError('CACHE_CLOSED', 'The cache is closing');
          this.options.metrics.regionFetchFailures.inc();
          logger.warn({ sha256, written: this.written, err: error }, 'region fetch interrupted');
          return false;
        });
        if (finished || this.isSettled()) break;
        fruitless = this.written > before ? 0 : fruitless + 1;
        if (fruitless >= this.options.maxAttempts) {
          throw new AppError(
            'CACHE_REGION_UNAVAILABLE',
            `Could not fetch ${sha256} from any region`,
            {
              details: { sha256, written: this.written },
            },
          );
        }
        await sleep(Math.min(100 * 2 ** fruitless, 2000));
      }
      if (this.state === 'fetching') await this.finish();
    } catch (error) {
      await this.fail(error instanceof Error ? error : new Error(String(error)));
    }
    this.notify();
    this.options.hooks.settled(this);
  }

  private async openPartial(): Promise<void> {
    // Not 'a+': Linux ignores the position of writes to a file opened for append.
    this.file = await open(this.partialPath, constants.O_RDWR | constants.O_CREAT);
    const { size } = await this.file.stat();
    if (size > 0) {
      // Resuming a partial left by an earlier run: its bytes must be part of the hash.
      for await (const chunk of createReadStream(this.partialPath, { end: size - 1 })) {
        this.hash.update(chunk as Buffer);
      }
      this.written = size;
      this.options.logger.info({ sha256: this.sha256, written: size }, 'resuming partial file');
    }
  }

  /** One region request; true when the body ended cleanly at the end of the file. */
  private async attempt(): Promise<boolean> {
    const { sha256, metrics } = this.options;
    const answer = await openRegionFile({
      urls: this.options.urls,
      sha256,
      start: this.written,
      idleTimeoutMs: this.options.idleTimeoutMs,
      logger: this.options.logger,
      onRequest: () => metrics.regionFetches.inc(),
    });
    this.current = answer.body;
    if (this.aborted) answer.body.destroy();
    if (answer.start === 0 && this.written > 0) await this.restartFromZero();
    if (this.total === undefined && answer.total !== undefined) {
      this.total = answer.total;
      if (!this.options.hooks.admit(sha256, answer.total)) {
        answer.body.destroy();
        this.state = 'uncacheable';
        await this.discard();
        return true;
      }
      this.notify();
    } else if (answer.total !== undefined && answer.total !== this.total) {
      throw this.sizeMismatch(answer.total);
    }
    for await (const chunk of answer.body) {
      const data = chunk as Buffer;
      if (this.total !== undefined && this.written + data.length > this.total) {
        throw this.sizeMismatch(this.written + data.length);
      }
      metrics.regionFetchBytes.inc(data.length);
      await this.writeChunk(data);
      this.notifySoon();
    }
    return this.total === undefined || this.written === this.total;
  }

  /**
   * `write` may put fewer bytes on disk than asked (a filling disk gives a short write, then
   * ENOSPC): the byte count and the hash advance only by what the kernel took, so they always
   * describe the file as it is on disk and a hole can never be hashed as data.
   */
  private async writeChunk(data: Buffer): Promise<void> {
    const file = this.requireFile();
    let done = 0;
    while (done < data.length) {
      let bytesWritten: number;
      try {
        ({ bytesWritten } = await file.write(data, done, data.length - done, this.written));
      } catch (error) {
        throw await diskError(error, this.options.dir, this.sha256, this.options.logger);
      }
      if (bytesWritten === 0)
        throw await diskError(
          Object.assign(new Error('write made no progress'), { code: 'ENOSPC' }),
          this.options.dir,
          this.sha256,
          this.options.logger,
        );
      this.hash.update(data.subarray(done, done + bytesWritten));
      done += bytesWritten;
      this.written += bytesWritten;
    }
    this.notifySoon();
  }

  private async restartFromZero(): Promise<void> {
    this.options.logger.info({ sha256: this.sha256 }, 'region ignored Range; fetching from zero');
    await this.requireFile().truncate(0);
    this.hash = createHash('sha256');
    this.written = 0;
  }

  private async finish(): Promise<void> {
    const { sha256, logger } = this.options;
    if (this.total !== undefined && this.written !== this.total)
      throw this.sizeMismatch(this.written);
    const digest = this.hash.digest('hex');
    if (digest !== sha256) {
      logger.error(
        { sha256, actual: digest, size: this.written },
        'boot file failed its sha256 check',
      );
      throw new AppError('CACHE_CHECKSUM_MISMATCH', `Boot file ${sha256} failed its sha256 check`, {
        details: { sha256, actual: digest },
      });
    }
    const file = this.requireFile();
    // The bytes on disk, not the bytes we meant to write, are what gets renamed into place.
    const { size } = await file.stat();
    if (size !== this.written) throw this.sizeMismatch(size);
    await file.sync().catch(async (error: unknown) => {
      throw await diskError(error, this.options.dir, this.sha256, this.options.logger);
    });
    await file.close();
    this.file = undefined;
    await this.options.hooks.beforeRename(sha256);
    await rename(this.partialPath, this.finalPath);
    this.total = this.written;
    this.state = 'complete';
    logger.info({ sha256, size: this.written }, 'boot file cached');
  }

  private async fail(error: Error): Promise<void> {
    const code = isAppError(error) ? error.code : '';
    if (DISCARDING_CODES.has(code)) {
      await this.discard();
    } else {
      await this.closeFile();
    }
    // Only now, so that a reader seeing "failed" also sees the bad partial gone.
    this.error = error;
    if (this.state === 'fetching') this.state = 'failed';
  }

  private async discard(): Promise<void> {
    await this.closeFile();
    await unlink(this.partialPath).catch(() => undefined);
  }

  private async closeFile(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    await file?.close().catch(() => undefined);
  }

  private requireFile(): FileHandle {
    if (this.file === undefined) throw new AppError('CACHE_CLOSED', 'Partial file is closed');
    return this.file;
  }

  private sizeMismatch(actual: number): AppError {
    this.options.logger.error(
      { sha256: this.sha256, expected: this.total, actual },
      'boot file has the wrong size',
    );
    return new AppError('CACHE_SIZE_MISMATCH', `Boot file ${this.sha256} has the wrong size`, {
      details: { sha256: this.sha256, expected: this.total, actual },
    });
  }
}
