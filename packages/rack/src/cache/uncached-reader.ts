import { createHash, type Hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { AppError } from '@kiln/node-kit';
import type { Logger } from 'pino';
import type { CacheMetrics } from './cache-metrics.js';
import { openRegionFile } from './region-client.js';
import type { RegionUrlTracker } from './region-urls.js';
import type { BootFileReader } from './types.js';

/** Bytes kept behind the furthest read so TFTP can re-send a window without a new region request. */
const KEEP_BEHIND = 8 * 1024 * 1024;
/** A read this far ahead of the region stream reopens at the offset instead of reading through. */
const SKIP_AHEAD = 4 * 1024 * 1024;

export interface UncachedReaderOptions {
  readonly sha256: string;
  readonly urls: RegionUrlTracker;
  readonly idleTimeoutMs: number;
  readonly logger: Logger;
  readonly metrics: CacheMetrics;
  readonly knownSize: number | undefined;
  readonly release: () => void;
}

/**
 * For files bigger than the cache (or that cannot get room): bytes go from the region to the
 * client without touching the disk. Each reader has its own region request. A pass that starts
 * at byte 0 is hashed and its last byte held back until the sha256 matches.
 */
export class UncachedReader implements BootFileReader {
  readonly hit = false;
  knownSize: number | undefined;
  private cursor:
    { body: IncomingMessage; iterator: AsyncIterator<Buffer>; hash: Hash | undefined } | undefined;
  private chunks: Buffer[] = [];
  private windowStart = 0;
  private windowEnd = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: UncachedReaderOptions) {
    this.knownSize = options.knownSize;
  }

  get sha256(): string {
    return this.options.sha256;
  }

  async size(): Promise<number> {
    if (this.knownSize !== undefined) return this.knownSize;
    return this.serialized(async () => {
      if (this.knownSize === undefined) await this.reopen(0);
      return this.sizeOrThrow();
    });
  }

  read(offset: number, length: number): Promise<Buffer> {
    return this.serialized(async () => {
      if (this.knownSize === undefined) await this.reopen(offset);
      const size = this.sizeOrThrow();
      const want = Math.max(0, Math.min(length, size - offset));
      if (want === 0) return Buffer.alloc(0);
      if (
        this.cursor === undefined ||
        offset < this.windowStart ||
        offset > this.windowEnd + SKIP_AHEAD
      ) {
        await this.reopen(offset);
      }
      while (this.windowEnd < offset + want) await this.pull(size);
      const out = this.slice(offset, want);
      this.trim(offset + want - KEEP_BEHIND);
      this.options.metrics.servedBytes.inc(out.length);
      return out;
    });
  }

  async readInto(target: Buffer, position: number): Promise<number> {
    const bytes = await this.read(position, target.length);
    return bytes.copy(target);
  }

  stream(start = 0, end?: number): Readable {
    return Readable.from(this.streamChunks(start, end), { objectMode: false });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cursor?.body.destroy();
    this.options.release();
  }

  private async *streamChunks(start: number, endArg: number | undefined): AsyncGenerator<Buffer> {
    const size = await this.size();
    const end = Math.min(endArg ?? size - 1, size - 1);
    const step = 1024 * 1024;
    for (let position = start; position <= end; position += step) {
      yield await this.read(position, Math.min(step, end + 1 - position));
    }
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async reopen(offset: number): Promise<void> {
    this.cursor?.body.destroy();
    const answer = await openRegionFile({
      urls: this.options.urls,
      sha256: this.options.sha256,
      start: offset,
      idleTimeoutMs: this.options.idleTimeoutMs,
      logger: this.options.logger,
      onRequest: () => this.options.metrics.regionFetches.inc(),
    });
    this.knownSize ??= answer.total;
    this.chunks = [];
    this.windowStart = answer.start;
    this.windowEnd = answer.start;
    const hash = answer.start === 0 ? createHash('sha256') : undefined;
    this.cursor = { body: answer.body, iterator: answer.body[Symbol.asyncIterator](), hash };
  }

  private async pull(size: number): Promise<void> {
    const cursor = this.cursor;
    if (cursor === undefined) throw this.noSize();
    const next = await cursor.iterator.next();
    if (next.done === true) {
      throw new AppError('CACHE_REGION_UNAVAILABLE', 'Region stream ended early');
    }
    const chunk = next.value;
    cursor.hash?.update(chunk);
    this.chunks.push(chunk);
    this.windowEnd += chunk.length;
    this.options.metrics.regionFetchBytes.inc(chunk.length);
    if (this.windowEnd >= size && cursor.hash !== undefined) this.verify(cursor.hash);
  }

  private verify(hash: Hash): void {
    const actual = hash.digest('hex');
    if (actual === this.options.sha256) return;
    this.options.logger.error(
      { sha256: this.options.sha256, actual },
      'boot file failed its sha256 check',
    );
    throw new AppError(
      'CACHE_CHECKSUM_MISMATCH',
      `Boot file ${this.options.sha256} failed its sha256 check`,
      {
        details: { sha256: this.options.sha256, actual },
      },
    );
  }

  private slice(offset: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    let chunkStart = this.windowStart;
    let copied = 0;
    for (const chunk of this.chunks) {
      const chunkEnd = chunkStart + chunk.length;
      if (chunkEnd > offset && copied < length) {
        const from = Math.max(0, offset + copied - chunkStart);
        copied += chunk.copy(out, copied, from, Math.min(chunk.length, from + length - copied));
      }
      chunkStart = chunkEnd;
    }
    return out;
  }

  private trim(keepFrom: number): void {
    while (this.chunks.length > 1) {
      const first = this.chunks[0];
      if (first === undefined || this.windowStart + first.length > keepFrom) break;
      this.chunks.shift();
      this.windowStart += first.length;
    }
  }

  private sizeOrThrow(): number {
    if (this.knownSize === undefined) throw this.noSize();
    return this.knownSize;
  }

  private noSize(): AppError {
    return new AppError(
      'CACHE_REGION_UNAVAILABLE',
      `Region gave no size for ${this.options.sha256}`,
    );
  }
}
