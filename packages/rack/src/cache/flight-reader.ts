import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { CacheMetrics } from './cache-metrics.js';
import { readFully, STREAM_CHUNK } from './complete-file-reader.js';
import type { FollowedFile } from './followed-file.js';
import type { BootFileReader } from './types.js';

/**
 * A reader following a file while its single region fetch writes it: it waits for bytes with
 * `flight.waitFor`, reads them back from the partial file (same inode after the final rename),
 * and fails when the fetch fails. If the file turns out too big to cache it switches to a
 * reader streaming straight from the region.
 */
export class FlightReader implements BootFileReader {
  readonly hit: boolean;
  private handle: Promise<FileHandle> | undefined;
  private fallback: BootFileReader | undefined;
  private closed = false;

  constructor(
    readonly sha256: string,
    private readonly flight: FollowedFile,
    private readonly metrics: CacheMetrics,
    private readonly openUncached: () => BootFileReader,
    private readonly release: () => void,
    hit = false,
  ) {
    this.hit = hit;
  }

  get knownSize(): number | undefined {
    return this.fallback?.knownSize ?? this.flight.total;
  }

  async size(): Promise<number> {
    await this.flight.waitFor(0, true);
    const fallback = this.uncached();
    if (fallback !== undefined) return fallback.size();
    this.throwIfFailed();
    return this.flight.total ?? this.flight.written;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const size = await this.size();
    const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)));
    const count = await this.readInto(buffer, offset);
    return buffer.subarray(0, count);
  }

  async readInto(target: Buffer, position: number): Promise<number> {
    const size = await this.size();
    const want = Math.max(0, Math.min(target.length, size - position));
    if (want === 0) return 0;
    await this.flight.waitFor(position + want);
    const fallback = this.uncached();
    if (fallback !== undefined) return fallback.readInto(target, position);
    this.throwIfFailed();
    await readFully(await this.file(), target.subarray(0, want), position);
    this.metrics.servedBytes.inc(want);
    return want;
  }

  stream(start = 0, end?: number): Readable {
    return Readable.from(this.chunks(start, end), { objectMode: false });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.handle?.then((handle) => handle.close()).catch(() => undefined);
    this.fallback?.close();
    this.release();
  }

  private async *chunks(start: number, endArg: number | undefined): AsyncGenerator<Buffer> {
    const size = await this.size();
    const end = Math.min(endArg ?? size - 1, size - 1);
    let position = start;
    while (position <= end) {
      await this.flight.waitFor(position + 1);
      const fallback = this.uncached();
      if (fallback !== undefined) {
        yield* fallback.stream(position, end) as AsyncIterable<Buffer>;
        return;
      }
      this.throwIfFailed();
      const length = Math.min(this.flight.available(), end + 1) - position;
      const buffer = Buffer.allocUnsafe(Math.min(length, STREAM_CHUNK));
      await readFully(await this.file(), buffer, position);
      this.metrics.servedBytes.inc(buffer.length);
      position += buffer.length;
      yield buffer;
    }
  }

  private uncached(): BootFileReader | undefined {
    if (this.flight.state !== 'uncacheable') return undefined;
    return (this.fallback ??= this.openUncached());
  }

  private throwIfFailed(): void {
    if (this.flight.state === 'failed') throw this.flight.error ?? new Error('region fetch failed');
  }

  private file(): Promise<FileHandle> {
    this.handle ??= open(this.flight.partialPath, 'r').catch((error: unknown) => {
      // Renamed into place between our check and the open.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return open(this.flight.finalPath, 'r');
      throw error;
    });
    return this.handle;
  }
}
