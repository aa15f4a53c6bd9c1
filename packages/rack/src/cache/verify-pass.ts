import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '@kiln/node-kit';
import type { FollowedFile } from './followed-file.js';

const CHUNK = 1024 * 1024;

export interface VerifyPassOptions {
  readonly sha256: string;
  readonly path: string;
  /** The size the cache recorded for the file; a different size on disk fails at once. */
  readonly size: number;
  /** Bytes per second while no reader waits (the background scrub); 0 = as fast as the disk. */
  readonly bytesPerSecond: number;
  readonly onBytes: (bytes: number) => void;
}

/**
 * Re-hashes one cached file from disk. Readers that open the file meanwhile follow the pass as
 * they would follow a region fetch: they get bytes as soon as they have been hashed, and the last
 * byte only once the digest matched, so a client of a corrupt file fails before its final byte.
 * The rate limit only holds while nobody waits: a booting machine never waits for the scrub's pace.
 */
export class VerifyPass implements FollowedFile {
  state: 'fetching' | 'complete' | 'failed' = 'fetching';
  written = 0;
  error: Error | undefined;
  readonly total: number;
  readonly done: Promise<void>;
  private waiters: { position: number; resolve: () => void }[] = [];
  private stopped = false;

  constructor(private readonly options: VerifyPassOptions) {
    this.total = options.size;
    this.done = this.run();
  }

  get partialPath(): string {
    return this.options.path;
  }

  get finalPath(): string {
    return this.options.path;
  }

  available(): number {
    if (this.state === 'complete') return this.total;
    return Math.min(this.written, Math.max(0, this.total - 1));
  }

  waitFor(position: number): Promise<void> {
    if (this.state !== 'fetching' || this.available() >= position) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  stop(): void {
    this.stopped = true;
  }

  private notify(): void {
    const available = this.available();
    const settled = this.state !== 'fetching';
    const remaining: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (settled || available >= waiter.position) waiter.resolve();
      else remaining.push(waiter);
    }
    this.waiters = remaining;
  }

  private async run(): Promise<void> {
    const { sha256, path, size } = this.options;
    try {
      const file = await open(path, 'r');
      try {
        const actualSize = (await file.stat()).size;
        if (actualSize !== size)
          throw corrupt(sha256, 'size', { expected: size, actual: actualSize });
        const hash = createHash('sha256');
        const buffer = Buffer.allocUnsafe(CHUNK);
        const started = Date.now();
        while (this.written < size) {
          if (this.stopped) throw new AppError('CACHE_CLOSED', 'The cache is closing');
          const { bytesRead } = await file.read(
            buffer,
            0,
            Math.min(CHUNK, size - this.written),
            this.written,
          );
          if (bytesRead === 0)
            throw corrupt(sha256, 'size', { expected: size, actual: this.written });
          hash.update(buffer.subarray(0, bytesRead));
          this.written += bytesRead;
          this.options.onBytes(bytesRead);
          this.notify();
          await this.pace(started);
        }
        const actual = hash.digest('hex');
        if (actual !== sha256) throw corrupt(sha256, 'sha256', { actual });
      } finally {
        await file.close();
      }
      this.state = 'complete';
    } catch (error) {
      this.error =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? corrupt(sha256, 'missing', {})
          : error instanceof Error
            ? error
            : new Error(String(error));
      this.state = 'failed';
    }
    this.notify();
  }

  private async pace(started: number): Promise<void> {
    const rate = this.options.bytesPerSecond;
    if (rate <= 0 || this.waiters.length > 0) return;
    const due = started + (this.written / rate) * 1000;
    // Short naps, so a reader that arrives meanwhile lifts the limit within a quarter second.
    while (Date.now() < due && this.waiters.length === 0 && !this.stopped)
      await sleep(Math.min(due - Date.now(), 250));
  }
}

export function corrupt(
  sha256: string,
  problem: 'size' | 'sha256' | 'missing',
  extra: Record<string, unknown>,
): AppError {
  const code = problem === 'sha256' ? 'CACHE_CHECKSUM_MISMATCH' : 'CACHE_SIZE_MISMATCH';
  return new AppError(code, `Cached boot file ${sha256} is corrupt (${problem})`, {
    details: { sha256, problem, ...extra },
  });
}
