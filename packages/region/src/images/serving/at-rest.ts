import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, sha256File } from '@kiln/node-kit';

export interface CorruptFile {
  readonly sha256: string;
  readonly problem: 'size' | 'sha256';
  readonly expected?: number;
  readonly actual: number | string;
}

/**
 * The region's rule for files at rest: a stored file is served without re-hashing only when it
 * has hashed to its name since this process started, and its size is still the size it had then.
 * Otherwise (after a restart, or a size that changed) the serve itself re-hashes it: a whole-file
 * GET streams through the hash and holds back its last chunk until the digest matched, so a
 * corrupt file fails its client before the final byte; a ranged GET hashes the file first.
 */
export class AtRestVerifier {
  private readonly verified = new Map<string, number>();

  constructor(
    private readonly onCorrupt: (file: CorruptFile) => void,
    private readonly onVerified: (sha256: string) => void = () => undefined,
  ) {}

  /** True when the file is known good at this size; a changed size is reported corrupt at once. */
  isKnownGood(sha256: string, size: number): boolean {
    const known = this.verified.get(sha256);
    if (known === undefined) return false;
    if (known === size) return true;
    this.verified.delete(sha256);
    this.onCorrupt({ sha256, problem: 'size', expected: known, actual: size });
    return false;
  }

  forget(sha256: string): void {
    this.verified.delete(sha256);
  }

  /** Hashes the whole file now (for ranged requests); false (and reported) when it is corrupt. */
  async verifyWhole(sha256: string, path: string): Promise<boolean> {
    const digest = await sha256File(path);
    if (digest.sha256 === sha256) {
      this.verified.set(sha256, digest.size);
      this.onVerified(sha256);
      return true;
    }
    this.onCorrupt({ sha256, problem: 'sha256', actual: digest.sha256 });
    return false;
  }

  /** The whole file as a stream that fails before its last chunk if it does not hash to its name. */
  verifyingStream(sha256: string, path: string, size: number): Readable {
    const hash = createHash('sha256');
    let held: Buffer | undefined;
    const check = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        const previous = held;
        held = chunk;
        callback(null, previous);
      },
      flush: (callback) => {
        const actual = hash.digest('hex');
        if (actual !== sha256) {
          this.onCorrupt({ sha256, problem: 'sha256', actual });
          callback(
            new AppError('IMAGE_FILE_CORRUPT', `Stored file ${sha256} failed its sha256 check`),
          );
          return;
        }
        this.verified.set(sha256, size);
        this.onVerified(sha256);
        callback(null, held);
      },
    });
    const source = createReadStream(path, { highWaterMark: 256 * 1024 });
    pipeline(source, check).catch(() => undefined);
    return check;
  }
}
